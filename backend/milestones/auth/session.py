"""Flask-Login wiring, CSRF tokens and the login-required-by-default gate."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask_login import current_user
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from milestones.errors import Forbidden, Unauthorized
from milestones.extensions import db, login_manager
from milestones.models import User
from milestones.sql import commits
from milestones.sql.dialect import db_snapshot
from milestones.sql.driver import DriverStatement

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


def view_mark(view: Callable[..., Any] | None, name: str) -> Any:
    """What a marker decorator (public, csrf_exempt, api/response_cache.cached_response)
    set on a view's MethodView class or on the view function itself; None when unset."""
    if view is None:
        return None
    target = getattr(view, "view_class", view)
    return getattr(target, name, None) or getattr(view, name, None)


def _flag(view: Callable[..., Any] | None, name: str) -> bool:
    return bool(view_mark(view, name))


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


_USERS = User.__table__.c
# The session's user, checked in the same statement: active, and the session version the
# cookie names (bumped at deactivation, password change and sign-out everywhere); and the
# snapshot it was read in, which names the data the request reads (api/response_cache.py).
_SNAPSHOT = "db_snapshot"
_LOAD_USER = DriverStatement(
    sa.select(*_USERS, db_snapshot().label(_SNAPSHOT)).where(
        _USERS.id == sa.bindparam("id"),
        _USERS.active.is_(True),
        _USERS.session_version == sa.bindparam("version"),
    )
)


_SNAPSHOT_NOW = DriverStatement(sa.select(db_snapshot().label(_SNAPSHOT)))
SNAPSHOT_REUSE_SECONDS = 1.0


def request_snapshot() -> str | None:
    """The snapshot this request's data is read in (api/response_cache.py, before the view):
    the one the user was loaded in; or, when the user was kept from an earlier request, the
    last one this process read while no commit was made on this host since and for
    SNAPSHOT_REUSE_SECONDS at most (_KeptUsers.snapshot); or one read now on a pooled
    connection. Only the gate has run, so the request's session holds no connection and has
    written nothing that the snapshot would not name."""
    if _SNAPSHOT not in g:
        kept: _KeptUsers | None = current_app.extensions.get(_KEPT_USERS)
        count = kept.counter.read() if kept is not None else 0
        snapshot = kept.snapshot(count) if kept is not None else None
        if snapshot is None:
            row = _SNAPSHOT_NOW.fetch_one_pooled()
            snapshot = None if row is None else row[_SNAPSHOT]
            if kept is not None:
                kept.keep_snapshot(count, snapshot)
        g.db_snapshot = snapshot
    found: str | None = g.db_snapshot
    return found


def forget_snapshot() -> None:
    """The snapshot kept by this process is not the database's any more (a statement read
    another one while no commit was counted: a write from outside this host's app)."""
    kept: _KeptUsers | None = current_app.extensions.get(_KEPT_USERS)
    if kept is not None:
        kept.keep_snapshot(-1, None)


class _KeptUsers:
    """The rows of the users this process signed in lately, each with the commit count read
    before it was read (sql/commits.py) and when: one is used again only while no commit
    has been made on this host since, for USER_CACHE_SECONDS at most, and for the session
    version it was read for. So deactivation, a password change or a sign-out everywhere
    made through the app still ends the session at its next request, in every worker."""

    _MOST = 10_000

    def __init__(self, seconds: int, counter: commits.CommitCounter) -> None:
        self.seconds = seconds
        self.counter = counter
        self._rows: dict[int, tuple[int, float, dict[str, Any]]] = {}
        self._snapshot: tuple[int, float, str] | None = None

    def snapshot(self, count: int) -> str | None:
        """The database's snapshot as this process last read it, if no commit has been
        made on this host since (the count it was read after is still `count`) and it was
        read less than SNAPSHOT_REUSE_SECONDS ago. A write this count cannot see (another
        host, psql, a worker container without this instance folder) is seen once that
        time has passed: the response cache's answers lag such writes by that much at most,
        and answer a write made through the app on this host at the next request."""
        kept = self._snapshot
        if kept is None or kept[0] != count or time.monotonic() >= kept[1]:
            return None
        return kept[2]

    def keep_snapshot(self, count: int, snapshot: str | None) -> None:
        until = time.monotonic() + SNAPSHOT_REUSE_SECONDS
        self._snapshot = None if snapshot is None else (count, until, snapshot)

    def get(self, count: int, user_id: int, version: int) -> dict[str, Any] | None:
        kept = self._rows.get(user_id)
        if kept is None:
            return None
        at, until, row = kept
        if at != count or time.monotonic() >= until or row["session_version"] != version:
            return None
        return row

    def keep(self, count: int, user_id: int, row: dict[str, Any]) -> None:
        if len(self._rows) >= self._MOST:
            self._rows.clear()
        self._rows[user_id] = (count, time.monotonic() + self.seconds, row)


_KEPT_USERS = "milestones.kept_users"
_NEW_USER = sa.inspect(User).class_manager.new_instance


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The signed-in user: active, and with the session version the cookie names. Read on
    the driver's cursor rather than by an ORM load (the row becomes a User attached to the
    session as if queried, at a fraction of the cost), and kept (_KeptUsers) until the next
    commit on this host, so a request that reads nothing else makes no round trip."""
    try:
        user_id, version = (int(part) for part in identity.split(":", 1))
    except ValueError:
        return None
    started = db.session.registry.has()
    kept: _KeptUsers | None = current_app.extensions.get(_KEPT_USERS)
    count = kept.counter.read() if kept is not None else 0
    row = kept.get(count, user_id, version) if kept is not None and not started else None
    if row is None:
        # Before the request's session has begun (the gate, for nearly every request) the
        # row is read on a pooled connection, so a request that reads nothing else (the
        # ping, a cached answer) never checks a connection out for its session.
        fetch = _LOAD_USER.fetch_one if started else _LOAD_USER.fetch_one_pooled
        row = fetch(id=user_id, version=version)
        if row is None:
            return None
        g.db_snapshot = row.pop(_SNAPSHOT)
        if kept is not None and not started:  # committed data only: a pooled read
            kept.keep(count, user_id, row)
            kept.keep_snapshot(count, g.db_snapshot)
    session = db.session()
    if started:
        known = session.identity_map.get(identity_key(User, user_id))
        if known is not None:  # already in this session (a test's own session): that one
            return known
    user = _NEW_USER()  # as the ORM makes a loaded row's object: no constructor, no events
    user.__dict__.update(row)
    make_transient_to_detached(user)
    session.add(user)
    return user


@login_manager.unauthorized_handler
def _unauthorized() -> None:
    raise Unauthorized("Sign in to continue.")


def init_app(app: Flask) -> None:
    from milestones.auth import hint

    hint.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # the session cookie is renewed at login instead
    app.before_request(_gate)
    # Now rather than at the first query: load_user makes User objects without their
    # constructor (which would configure the mappers), maybe before any query of a worker.
    sa.orm.configure_mappers()
    counter = commits.init_app(app)
    if counter is not None:
        app.extensions[_KEPT_USERS] = _KeptUsers(app.config["USER_CACHE_SECONDS"], counter)
