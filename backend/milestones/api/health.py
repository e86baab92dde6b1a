"""Liveness and readiness of the API, for load balancers and orchestrators; and /ping, the
smallest signed-in response."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from typing import Any

import sqlalchemy as sa
from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import user
from milestones.auth.session import public
from milestones.extensions import db
from milestones.schemas.auth import HealthSchema, PingSchema
from milestones.sql.driver import DriverStatement

log = logging.getLogger(__name__)

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Health checks")
# On the driver's cursor: the health check is polled often and is all overhead.
_SELECT_ONE = DriverStatement(sa.select(sa.literal_column("1").label("one")))


class _SharedCheck:
    """The database asked by one health check at a time in a worker: a check that arrives
    while another one waits for the database's answer waits for that answer too (which
    comes after it arrived), rather than send a SELECT 1 of its own. When that check
    fails, each waiting one asks the database itself, so its answer is its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Future[None] | None = None
        self.joined = 0  # checks answered by another one's SELECT 1

    def run(self) -> None:
        with self._lock:
            pending, leading = self._pending, self._pending is None
            if pending is None:
                pending = self._pending = Future()
            else:
                self.joined += 1
        if not leading:
            try:
                pending.result()
            except Exception:  # that check's error: this one asks the database itself
                _SELECT_ONE.fetch_one_pooled()
            return
        try:
            _SELECT_ONE.fetch_one_pooled()
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        else:
            pending.set_result(None)
        finally:
            with self._lock:
                self._pending = None


_DATABASE = _SharedCheck()


@blp.route("/healthz")
@public
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database does not answer")
    def get(self) -> dict[str, Any]:
        """200 when the database answers"""
        _DATABASE.run()
        return {"status": "ok", "checks": {"database": "ok"}}


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log
        log.warning("readiness: database check failed: %s", exc.__class__.__name__)
        db.session.rollback()
        return "unavailable"
    return "ok"


def _storage() -> str:
    try:
        from milestones import storage

        storage.check()
    except Exception as exc:  # StorageUnavailable, or a misconfigured backend
        log.warning("readiness: storage check failed: %s", exc.__class__.__name__)
        return "unavailable"
    return "ok"


@blp.route("/readyz")
@public
class Ready(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database or the storage is down")
    def get(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        """200 when the database and the file storage both answer; 503 names the failing one"""
        checks = {"database": _database(), "storage": _storage()}
        if all(value == "ok" for value in checks.values()):
            return {"status": "ok", "checks": checks}, 200, {}
        return {"status": "unavailable", "checks": checks}, 503, {"Retry-After": "5"}


@blp.route("/ping")
class Ping(MethodView):
    @blp.response(200, PingSchema)
    def get(self) -> dict[str, Any]:
        """The smallest signed-in JSON response: the benchmark's baseline (the same session,
        user loading and serialization as every other view, and no work)"""
        return {"pong": True, "user_id": user().id}
