"""Unbound extension instances, initialised in create_app(). The flask-smorest Api is
milestones.api.api, beside the blueprints it serves."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from milestones.models.base import Base

_CONTEXT = "_limiter_request_context"  # where Flask-Limiter keeps a request's state


class RouteLimiter(Limiter):
    """Flask-Limiter without its work on every request while it has nothing to do there.

    Its check before every request evaluates only application, default, meta and
    blueprint limits (and the in-memory fallback's); a route's own `@limiter.limit` is
    checked by its decorator when the view runs. This app sets none of them, so the check
    resolved and filtered an empty set of limits on every request; set one and it runs
    again. After the request, the headers, the conditional deductions and the context's
    reset are skipped as well when nothing in the request asked the limiter (no limit was
    checked, so it has no context for the request)."""

    def _asked(self) -> bool:
        return hasattr(request_ctx._get_current_object(), _CONTEXT)  # type: ignore[attr-defined]

    @property
    def current_limit(self) -> Any:
        return super().current_limit if self._asked() else None

    def _Limiter__check_conditional_deductions(self, response: Any) -> None:
        if self._asked():
            getattr(Limiter, "_Limiter__check_conditional_deductions")(self, response)  # noqa: B009

    def _Limiter__release_context(self, exc: BaseException | None = None) -> None:
        if self._asked():
            getattr(Limiter, "_Limiter__release_context")(self, exc)  # noqa: B009

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if in_middleware and not self._has_request_wide_limits():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def _has_request_wide_limits(self) -> bool:
        manager: Any = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or self._meta_limits
            or self._in_memory_fallback
        )


class SessionLoginManager(LoginManager):
    """Flask-Login without hashing the caller's address and user agent at every request
    while session protection is off (auth/session.py turns it off): it computed that
    identifier before looking at the mode, and then did not use it."""

    def _session_protection_failed(self) -> bool:
        mode = current_app.config.get("SESSION_PROTECTION", self.session_protection)
        if mode not in ("basic", "strong"):
            return False
        return bool(super()._session_protection_failed())


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = SessionLoginManager()
mail = Mail()
# Limits are declared per route (login counts its failures in services/auth.py); the
# storage is RATELIMIT_STORAGE_URI, the app's database by default (sql/rate_limits.py).
limiter = RouteLimiter(get_remote_address, default_limits=[], headers_enabled=True)
