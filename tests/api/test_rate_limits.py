"""Flask-Limiter's storage in the database (database://): what every worker shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_limiter._manager import LimitManager
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from milestones.extensions import RouteLimiter, db, limiter
from milestones.models import RateLimitHit
from milestones.sql.rate_limits import DatabaseStorage, delete_expired

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
THREE = RateLimitItemPerMinute(3)


def rows() -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(RateLimitHit)) or 0)


def test_the_app_limiter_counts_in_the_database(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "database://"
    assert isinstance(limiter.storage, DatabaseStorage)
    assert isinstance(limiter.limiter, MovingWindowRateLimiter)
    assert limiter.storage.check()


def test_two_workers_count_the_same_hits(app, time_machine):
    # each gunicorn worker builds its own storage from the URI; the rows are the same
    time_machine.move_to(START, tick=False)
    first = MovingWindowRateLimiter(storage_from_string("database://"))
    second = MovingWindowRateLimiter(storage_from_string("database://"))
    assert first.hit(THREE, "10.0.0.1") and second.hit(THREE, "10.0.0.1")
    assert first.hit(THREE, "10.0.0.1")
    assert not second.hit(THREE, "10.0.0.1")
    assert not first.test(THREE, "10.0.0.1")
    assert second.test(THREE, "10.0.0.2")
    assert second.get_window_stats(THREE, "10.0.0.1") == (START.timestamp() + 60, 0)
    assert rows() == 3  # a refused hit is not stored


def test_a_moving_window_lets_hits_leave_one_by_one(app, time_machine):
    window = MovingWindowRateLimiter(limiter.storage)
    for second in (0, 20, 40):
        time_machine.move_to(START + timedelta(seconds=second), tick=False)
        assert window.hit(THREE, "k")
    time_machine.move_to(START + timedelta(seconds=59), tick=False)
    assert not window.hit(THREE, "k")
    time_machine.move_to(START + timedelta(seconds=61), tick=False)
    assert window.get_window_stats(THREE, "k") == ((START + timedelta(seconds=80)).timestamp(), 1)
    assert window.hit(THREE, "k")
    assert not window.hit(THREE, "k")
    assert rows() == 4
    assert delete_expired() == 1  # the hit of second 0, as the worker does every minute
    assert rows() == 3
    window.clear(THREE, "k")
    assert window.test(THREE, "k")
    assert rows() == 0


def test_a_fixed_window_counts_from_its_first_hit(app, time_machine):
    fixed = FixedWindowRateLimiter(limiter.storage)
    time_machine.move_to(START, tick=False)
    assert fixed.hit(THREE, "k")
    time_machine.move_to(START + timedelta(seconds=50), tick=False)
    assert fixed.hit(THREE, "k") and fixed.hit(THREE, "k")
    assert not fixed.hit(THREE, "k")
    assert fixed.get_window_stats(THREE, "k") == (START.timestamp() + 60, 0)
    time_machine.move_to(START + timedelta(seconds=60), tick=False)
    assert fixed.hit(THREE, "k")
    assert limiter.storage.get(THREE.key_for("k")) == 1


# SQLite has one writer at a time: there the session holds no write while a hit is stored
# (login stores it after reads only; share pages before the view runs).
@pytest.mark.postgres
def test_a_hit_counts_when_the_request_rolls_back(app, factory):
    factory.coach()
    db.session.execute(sa.delete(RateLimitHit))  # inside the session's transaction
    assert MovingWindowRateLimiter(limiter.storage).hit(THREE, "k")
    db.session.rollback()
    assert rows() == 1
    assert limiter.storage.reset() == 1
    assert rows() == 0


def _tiny_app(**config: str) -> tuple[Flask, RouteLimiter]:
    app = Flask(__name__)
    app.config.update(RATELIMIT_STORAGE_URI="memory://", **config)
    tiny = RouteLimiter(get_remote_address, headers_enabled=True)
    tiny.init_app(app)

    def open_view() -> str:
        return "ok"

    def limited_view() -> str:
        return "ok"

    def refused_view() -> tuple[str, int]:
        return "no", 400

    app.add_url_rule("/open", "open", open_view)
    app.add_url_rule("/limited", "limited", tiny.limit("2 per minute")(limited_view))
    only_refusals = tiny.limit("1 per minute", deduct_when=lambda r: r.status_code == 400)
    app.add_url_rule("/refused", "refused", only_refusals(refused_view))
    return app, tiny


def test_the_check_before_every_request_is_skipped_while_no_limit_is_request_wide(
    monkeypatch,
):
    app, _ = _tiny_app()
    client = app.test_client()
    calls: list[bool] = []
    original = LimitManager.resolve_limits

    def spy(self, *args, **kwargs):
        calls.append(bool(kwargs.get("in_middleware", args[4] if len(args) > 4 else False)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(LimitManager, "resolve_limits", spy)
    opened = [client.get("/open") for _ in range(3)]
    assert [a.status_code for a in opened] == [200, 200, 200]
    assert calls == []  # nothing was resolved for a route without limits
    assert not any(name.startswith("X-RateLimit") for name, _ in opened[0].headers)
    # a route's own limit is still checked (by its decorator), with its headers
    answers = [client.get("/limited") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[1].headers["X-RateLimit-Remaining"] == "0"
    assert calls == [False, False, False]


def test_a_conditional_deduction_still_counts_after_the_response():
    """RouteLimiter skips its after-request work only for requests that asked no limit."""
    app, _ = _tiny_app()
    client = app.test_client()
    first = client.get("/refused")
    assert first.status_code == 400  # the view's own answer, deducted after it
    assert first.headers["X-RateLimit-Limit"] == "1"
    assert client.get("/refused").status_code == 429


def test_a_request_wide_limit_is_still_checked_before_every_request():
    app, tiny = _tiny_app(RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    assert [client.get("/open").status_code for _ in range(3)] == [200, 200, 429]
    app_limited, _ = _tiny_app(RATELIMIT_APPLICATION="1 per minute")
    other = app_limited.test_client()
    assert [other.get("/open").status_code for _ in range(2)] == [200, 429]
    assert tiny._has_request_wide_limits()
