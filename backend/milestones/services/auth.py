"""Signing in, with per-account throttling that does not reveal whether an account exists."""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session
from flask_login import login_user, logout_user

from milestones.auth.passwords import verify_password
from milestones.auth.session import rotate_csrf_token
from milestones.errors import TooManyRequests, Unauthorized
from milestones.extensions import db
from milestones.models import LoginAttempt, User
from milestones.timeutil import as_utc, utcnow

BAD_CREDENTIALS = "Incorrect e-mail or password."


def login(email: str, password: str) -> User:
    email = email.strip().lower()
    now = utcnow()
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    recent = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.created_at > now - window
        )
    ).one()
    failures, oldest = recent
    if failures >= limit:
        oldest_at = as_utc(oldest) or now
        retry = max(1, math.ceil((oldest_at + window - now).total_seconds()))
        raise TooManyRequests(
            f"Too many failed sign-in attempts. Try again in {math.ceil(retry / 60)} minute(s).",
            headers={"Retry-After": str(retry)},
            errors={"retry_after": retry},
        )
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        db.session.add(LoginAttempt(email=email, created_at=now))
        db.session.commit()
        raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials")
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == email))
    db.session.commit()
    # A fresh session: nothing from before the login survives (session fixation).
    session.clear()
    login_user(user)
    rotate_csrf_token()
    return user


def logout() -> None:
    logout_user()
    session.clear()
