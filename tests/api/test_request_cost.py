"""What a request pays around its work (sql/connections.py, sql/driver.py, framework.py):
reads without BEGIN/ROLLBACK, writes still one transaction, a lost connection a 503 and
then recovered, the session's user read at every request, JSON as before."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import jsonify
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event

from milestones.extensions import db
from milestones.models import Company
from milestones.sql.connections import is_plain_read

postgres = pytest.mark.postgres


@contextmanager
def statements() -> Iterator[list[tuple[str, int]]]:
    """(statement, server transaction status when it was sent), for every statement."""
    seen: list[tuple[str, int]] = []

    def record(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        status = getattr(cursor.connection, "info", None)
        seen.append((statement, int(status.transaction_status) if status else -1))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def terminate_app_connections() -> None:
    """Kill every server process of the test database (as a restart would), from a
    connection outside the app's pool."""
    engine = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.commit()
    engine.dispose()


def test_plain_reads_are_told_from_writes_and_locks():
    assert is_plain_read("SELECT users.id FROM users WHERE users.id = %(id)s")
    assert is_plain_read("\n  select 1")
    assert not is_plain_read("SELECT * FROM companies FOR UPDATE")
    assert not is_plain_read("SELECT * FROM s FOR NO KEY UPDATE OF s SKIP LOCKED")
    assert not is_plain_read("SELECT pg_advisory_xact_lock(1)")
    assert not is_plain_read("INSERT INTO companies (name) VALUES ('x')")
    assert not is_plain_read("WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM x")
    assert not is_plain_read("with y as materialized ( delete from t returning a) select 1")
    assert not is_plain_read("WITH a AS (SELECT 1), b AS NOT MATERIALIZED (INSERT INTO t ...")
    assert not is_plain_read("WITH x AS (SELECT * FROM t FOR UPDATE) SELECT * FROM x")
    assert not is_plain_read("WITH x AS(DELETE FROM t RETURNING a) SELECT * FROM x")
    # A WITH query of SELECTs is a read (the review queue's page is one), whatever its
    # constants say.
    assert is_plain_read("WITH chosen AS (SELECT 'update' AS kind FROM t) SELECT * FROM chosen")
    assert not is_plain_read("SAVEPOINT sa_savepoint_1")


@postgres
def test_a_signed_in_read_sends_no_begin_and_a_write_is_one_transaction(factory, client_for):
    coach = factory.coach()
    company = factory.company(coaches=[coach])
    client = client_for(coach)
    with statements() as seen:
        assert client.get(f"/companies/{company.id}/milestones").status_code == 200
    assert seen, "the read ran no statement"
    assert all(status == 0 for _, status in seen), seen  # 0: IDLE, outside any transaction
    with statements() as seen:
        response = client.post(f"/companies/{company.id}/tasks", json={"title": "Call 5 leads"})
    assert response.status_code == 201, response.get_json()
    writes = [(s, status) for s, status in seen if not is_plain_read(s)]
    assert writes and all(status == 2 for _, status in writes), writes  # 2: INTRANS


@postgres
def test_writes_before_a_failure_are_rolled_back(app):
    db.session.add(Company(name="Kept", description=""))
    db.session.commit()
    db.session.add(Company(name="Undone", description=""))
    db.session.flush()
    db.session.rollback()
    names = db.session.scalars(sa.select(Company.name)).all()
    assert names == ["Kept"]


@postgres
def test_lost_connections_are_replaced_within_the_request(factory, client_for, anon):
    """Every pooled connection dies (a restart): the health check and the session's user
    are read again on a new connection in the same request, and the pool is renewed. A
    view's own first statement on a dead connection answers 503 `database_unavailable`
    once (the user and the snapshot may both be kept, so nothing read before it), and
    renews the pool: the next request is served. (A database that stays down answers 503
    every time: test_evidence.py.)"""
    user = factory.coach()
    company = factory.company(coaches=[user])
    client = client_for(user)
    assert anon.get("/healthz").status_code == 200
    assert client.get("/ping").status_code == 200
    # Several idle connections in the pool, as after a busy suite: all of them die.
    held = [db.engine.raw_connection() for _ in range(3)]
    for raw in held:
        raw.close()
    terminate_app_connections()
    assert anon.get("/healthz").get_json() == {"status": "ok", "checks": {"database": "ok"}}
    terminate_app_connections()
    again = client.get("/ping")
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == {"pong": True, "user_id": user.id}
    terminate_app_connections()
    for path in (f"/companies/{company.id}/milestones", f"/companies/{company.id}/tasks"):
        terminate_app_connections()
        first = client.get(path)
        if first.status_code != 200:
            assert first.status_code == 503, first.get_json()
            assert first.get_json()["code"] == "database_unavailable"
        statuses = client.get(path)
        assert statuses.status_code == 200, statuses.get_json()
    db.session.remove()
    db.engine.dispose()  # the test's own session held a killed connection too


def test_a_change_to_the_user_is_seen_at_the_next_request(factory, client_for):
    admin, member = factory.admin(), factory.member()
    client = client_for(member)
    me = client.get("/auth/me").get_json()
    assert (me["id"], me["role"], me["email"]) == (member.id, "member", member.email)
    # Changed by another request: seen by the very next one (its commit ends the kept
    # user, test_user_cache.py).
    assert client_for(admin).patch(f"/users/{member.id}", json={"name": "New Name"}).status_code
    assert client.get("/auth/me").get_json()["name"] == "New Name"
    client_for(admin).patch(f"/users/{member.id}", json={"active": False})
    assert client.get("/ping").status_code == 401


@postgres
def test_long_statements_are_converted_once(factory, client_for):
    from psycopg import _queries

    coach = factory.coach()
    company = factory.company(coaches=[coach])
    client = client_for(coach)
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == 64 * 1024
    path = f"/companies/{company.id}/metrics"
    assert client.get(path).status_code == 200
    with statements() as sent:
        before = _queries._query2pg.cache_info()
        assert client.get(path).status_code == 200
        after = _queries._query2pg.cache_info()
    longest = max(len(statement.encode()) for statement, _ in sent)
    assert longest > 4096  # past psycopg's own limit
    # every statement of the second request was converted before: all hits (the session's
    # user is read with libpq's own placeholders, sql/driver.py: psycopg converts nothing)
    assert (after.hits - before.hits, after.misses - before.misses) == (len(sent), 0)


def test_json_is_written_as_before(app):
    with app.test_request_context():
        response = jsonify(
            {"b": 1, "a": datetime(2026, 3, 1, 12, 0, tzinfo=UTC), 3: "x", "é": [1.5, None]}
        )
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "a": "Sun, 01 Mar 2026 12:00:00 GMT",
        "b": 1,
        "3": "x",
        "é": [1.5, None],
    }
    text = response.get_data(as_text=True)
    assert text.index('"3"') < text.index('"a"') < text.index('"b"')  # keys sorted


def test_a_verified_session_cookie_is_remembered_and_its_age_still_checked(
    app, factory, client_for, monkeypatch
):
    client = client_for(factory.coach())
    sessions = app.session_interface
    assert client.get("/ping").status_code == 200
    cookie = client.client.get_cookie("mt_session").value
    assert cookie in sessions._verified
    decoded: list[str] = []
    loads = URLSafeTimedSerializer.loads

    def counted(self: URLSafeTimedSerializer, text: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(text)
        return loads(self, text, *args, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counted)
    assert client.get("/ping").status_code == 200
    assert decoded == []  # the same text: answered from what was verified
    # Any other text is verified again, and a forged signature refused.
    forged = cookie[:-2] + ("AB" if cookie[-2:] != "AB" else "BA")
    client.client.set_cookie("mt_session", forged)
    assert client.get("/ping").status_code == 401
    assert decoded == [forged]
    # A remembered cookie whose lifetime has passed is refused, as itsdangerous would.
    serializer, signed, data = sessions._verified[cookie]
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    sessions._verified[cookie] = (serializer, signed - lifetime - 2, data)
    client.client.set_cookie("mt_session", cookie)
    assert client.get("/ping").status_code == 401
    assert decoded == [forged]


def test_hooks_are_checked_for_coroutines_once(app):
    class View:
        def get(self) -> str:
            return "ok"

    first, second = View().get, View().get  # a new bound method at every request
    assert app.ensure_sync(first) is first
    known = len(app._sync)  # type: ignore[attr-defined]
    assert app.ensure_sync(second) is second
    assert len(app._sync) == known  # type: ignore[attr-defined]
    assert View.get in app._sync  # type: ignore[attr-defined]


@postgres
def test_driver_statements_are_prepared_again_when_the_connection_lost_them(factory):
    import psycopg

    from milestones.models import User
    from milestones.sql.driver import DriverStatement

    member = factory.member()
    users = User.__table__.c
    email = DriverStatement(sa.select(users.email).where(users.id == sa.bindparam("id")))
    quotient = sa.literal_column("1") / sa.bindparam("d", type_=sa.Integer)
    ratio = DriverStatement(sa.select(sa.cast(quotient, sa.Integer).label("q")))
    raw = db.engine.raw_connection()
    try:
        dialect = db.engine.dialect
        assert email._run(dialect, raw, {"id": member.id}) == {"email": member.email}
        raw.driver_connection.execute("DEALLOCATE ALL")  # as a pooler's reset would
        assert email._run(dialect, raw, {"id": member.id}) == {"email": member.email}
        assert email._run(dialect, raw, {"id": -1}) is None
        with pytest.raises(psycopg.errors.DivisionByZero):
            ratio._run(dialect, raw, {"d": 0})
        assert ratio._run(dialect, raw, {"d": 1}) == {"q": 1}
    finally:
        raw.close()


def _slow_database(monkeypatch, health, fail_first=False):
    """The health check's SELECT 1, held until released; the calls made."""
    asked, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def select_one(**_: Any) -> dict[str, int]:
        calls.append(1)
        asked.set()
        assert release.wait(10)
        if fail_first and len(calls) == 1:
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed"))
        return {"one": 1}

    monkeypatch.setattr(health._SELECT_ONE, "fetch_one_pooled", select_one)
    return asked, release, calls


def _checks_together(check, asked, release, followers=3):
    """One check waiting for the database, then `followers` more; each one's error."""
    errors: list[BaseException | None] = []

    def run() -> None:
        try:
            check.run()
        except BaseException as exc:
            errors.append(exc)
        else:
            errors.append(None)

    threads = [threading.Thread(target=run)]
    threads[0].start()
    assert asked.wait(10)
    threads += [threading.Thread(target=run) for _ in range(followers)]
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while check.joined < followers and time.monotonic() < deadline:
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(10)
    return errors


def test_health_checks_that_arrive_together_share_one_database_answer(app, monkeypatch):
    from milestones.api import health

    asked, release, calls = _slow_database(monkeypatch, health)
    check = health._SharedCheck()
    errors = _checks_together(check, asked, release)
    assert check.joined == 3
    assert errors == [None] * 4
    assert calls == [1]  # one SELECT 1, answered after the other three arrived
    check.run()
    assert calls == [1, 1]  # a check that comes later asks the database again


def test_when_the_shared_health_check_fails_each_waiting_one_asks_again(app, monkeypatch):
    from milestones.api import health

    asked, release, calls = _slow_database(monkeypatch, health, fail_first=True)
    check = health._SharedCheck()
    errors = _checks_together(check, asked, release)
    assert check.joined == 3
    assert calls == [1] * 4  # the failed one, then each waiting check's own
    assert isinstance(errors[0], sa.exc.OperationalError)  # 503 database_unavailable
    assert errors[1:] == [None] * 3
