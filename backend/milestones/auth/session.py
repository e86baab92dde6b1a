"""Flask-Login wiring, CSRF tokens and the login-required-by-default gate."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request, session
from flask_login import current_user

from milestones.errors import Forbidden, Unauthorized
from milestones.extensions import db, login_manager
from milestones.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
T = TypeVar("T")


def public(view: T) -> T:
    """Mark a view (function or MethodView class) as open to anonymous callers."""
    view._public = True  # type: ignore[attr-defined]
    return view


def csrf_exempt(view: T) -> T:
    """Mark a view whose request carries its own credential (login, unsubscribe...)."""
    view._csrf_exempt = True  # type: ignore[attr-defined]
    return view


def csrf_token() -> str:
    token = session.get("csrf_token")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf_token"] = token
    return str(token)


def rotate_csrf_token() -> str:
    session.pop("csrf_token", None)
    return csrf_token()


def _flag(view: Callable[..., Any] | None, name: str) -> bool:
    if view is None:
        return False
    target = getattr(view, "view_class", view)
    return bool(getattr(target, name, False) or getattr(view, name, False))


def _gate() -> None:
    """Before every /api/v1 request: login required unless public, CSRF on unsafe methods."""
    if not request.path.startswith("/api/v1/") or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not _flag(view, "_public") and not current_user.is_authenticated:
        raise Unauthorized("Sign in to continue.")
    if request.method in SAFE_METHODS or _flag(view, "_csrf_exempt"):
        return
    sent = request.headers.get(CSRF_HEADER, "")
    expected = session.get("csrf_token", "")
    if not sent or not expected or not hmac.compare_digest(str(sent), str(expected)):
        raise Forbidden(
            f"Missing or invalid {CSRF_HEADER} header; get a token from GET /api/v1/auth/me.",
            code="csrf_failed",
        )


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    try:
        user_id, version = (int(part) for part in identity.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized() -> None:
    raise Unauthorized("Sign in to continue.")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the session cookie is renewed at login instead
    app.before_request(_gate)
