"""Signing in, with per-account throttling that does not reveal whether an account exists.

The throttle is Flask-Limiter's: the app's `limiter`, its strategy (a moving window) and
its storage (shared by every worker). It is applied here rather than by a route decorator
because it counts failed sign-ins only, per normalised e-mail from the validated body,
and a successful sign-in clears it: LOGIN_MAX_FAILURES failures within
LOGIN_WINDOW_SECONDS refuse every attempt at that address, even with the right password,
until the oldest of them leaves the window.
"""

from __future__ import annotations

import math
import time

import sqlalchemy as sa
from flask import current_app, session
from flask_login import login_user, logout_user
from limits import RateLimitItem, RateLimitItemPerSecond

from milestones.auth.passwords import verify_password
from milestones.auth.session import rotate_csrf_token
from milestones.errors import TooManyRequests, Unauthorized
from milestones.extensions import db, limiter
from milestones.models import User

BAD_CREDENTIALS = "Incorrect e-mail or password."
SCOPE = "login"


def _failures() -> RateLimitItem:
    config = current_app.config
    return RateLimitItemPerSecond(config["LOGIN_MAX_FAILURES"], config["LOGIN_WINDOW_SECONDS"])


def _check_throttle(email: str) -> None:
    failures = _failures()
    if limiter.limiter.test(failures, SCOPE, email):
        return
    reset_at, _ = limiter.limiter.get_window_stats(failures, SCOPE, email)
    retry = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(
        f"Too many failed sign-in attempts. Try again in {math.ceil(retry / 60)} minute(s).",
        headers={"Retry-After": str(retry)},
        errors={"retry_after": retry},
    )


def login(email: str, password: str) -> User:
    email = email.strip().lower()
    _check_throttle(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        limiter.limiter.hit(_failures(), SCOPE, email)
        raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials")
    limiter.limiter.clear(_failures(), SCOPE, email)
    # A fresh session: nothing from before the login survives (session fixation).
    session.clear()
    login_user(user)
    rotate_csrf_token()
    return user


def logout() -> None:
    logout_user()
    session.clear()
