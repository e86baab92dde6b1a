"""Signed-in users kept between requests (auth/session._KeptUsers) until the next commit
made on this host (sql/commits.py): no round trip for the user while nothing changed, and
every change made through the app, in this process or another one, seen at the next
request."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from milestones.auth import session as auth_session
from milestones.extensions import db
from milestones.sql import commits
from tests.api.test_response_cache import _alpha, _served, cache  # noqa: F401
from tests.conftest import ApiClient, make_app


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """The user ids read from the database by load_user, in order."""
    seen: list[int] = []
    for name in ("fetch_one", "fetch_one_pooled"):
        original = getattr(auth_session._LOAD_USER, name)

        def counted(original: Any = original, **params: Any) -> Any:
            seen.append(params["id"])
            return original(**params)

        monkeypatch.setattr(auth_session._LOAD_USER, name, counted)
    return seen


def test_a_user_is_read_once_until_something_is_committed(factory, client_for, reads):
    coach = factory.coach()
    client = client_for(coach)
    reads.clear()
    for _ in range(3):
        answer = client.get("/ping")
        assert answer.get_json() == {"pong": True, "user_id": coach.id}
    assert reads == [coach.id]
    factory.company(name="Elsewhere")  # any commit through the app, of any table
    assert client.get("/ping").status_code == 200
    assert client.get("/auth/me").get_json()["id"] == coach.id
    assert reads == [coach.id, coach.id]


def test_deactivation_ends_a_kept_session_at_its_next_request(factory, client_for, reads):
    admin, member = factory.admin(), factory.member()
    member_client, admin_client = client_for(member), client_for(admin)
    reads.clear()
    assert member_client.get("/ping").status_code == 200
    assert member_client.get("/ping").status_code == 200
    assert reads.count(member.id) == 1  # kept
    assert admin_client.patch(f"/users/{member.id}", json={"active": False}).status_code == 200
    refused = member_client.get("/ping")
    assert refused.status_code == 401
    assert refused.get_json()["message"] == "Sign in to continue."
    assert reads.count(member.id) == 2


def test_signing_out_everywhere_ends_kept_sessions(factory, client_for):
    coach = factory.coach()
    first, second = client_for(coach), client_for(coach)
    assert first.get("/ping").status_code == 200
    assert second.get("/ping").status_code == 200
    coach.session_version += 1  # what sign-out everywhere and a password change commit
    db.session.commit()
    assert first.get("/ping").status_code == 401
    assert second.get("/ping").status_code == 401


def test_nothing_is_kept_from_a_rolled_back_change(factory, client_for):
    coach = factory.coach()
    client = client_for(coach)
    assert client.get("/auth/me").get_json()["name"] == coach.name
    coach.name = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert client.get("/auth/me").get_json()["name"] != "Never saved"


def test_a_commit_in_another_process_is_seen_at_the_next_request(app, factory, client_for, reads):
    """Another process of the app on this host (a second gunicorn worker, a `flask`
    command) deactivates the user: this process refuses the kept session at once."""
    member = factory.member()
    client = client_for(member)
    assert client.get("/ping").status_code == 200
    assert client.get("/ping").status_code == 200
    assert reads.count(member.id) == 1
    _in_another_process(
        app,
        f"""
        with app.app_context():
            db.session.get(User, {member.id}).active = False
            db.session.commit()
        """,
    )
    assert client.get("/ping").status_code == 401


def test_a_new_worker_can_serve_a_signed_in_request_before_any_query(app, factory):
    """A gunicorn worker forks from a master that made the app and ran no query: its
    first request may well be a signed-in one, whose user is made without the ORM."""
    coach = factory.coach()
    out = _in_another_process(
        app,
        f"""
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({{"_user_id": "{coach.get_id()}", "_fresh": True}})
        client = app.test_client()
        client.set_cookie("mt_session", cookie)
        answer = client.get("/api/v1/ping")
        print(answer.status_code, answer.get_json()["user_id"])
        """,
    )
    assert out.split() == ["200", str(coach.id)]


def _in_another_process(app: Flask, script: str) -> str:
    """Run `script` in a new Python process with its own app (`app`, `db`, `User` are
    defined) on this database and instance folder; what it printed."""
    url = db.engine.url.render_as_string(hide_password=False)
    prologue = f"""
        from milestones import create_app
        from milestones.extensions import db
        from milestones.models import User

        app = create_app({{
            "APP_ENV": "testing", "SECRET_KEY": {app.secret_key!r},
            "SQLALCHEMY_DATABASE_URI": {url!r},
        }})
        """
    code = textwrap.dedent(prologue) + textwrap.dedent(script)
    env = {**os.environ, "INSTANCE_PATH": app.instance_path}
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=120, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


def test_a_kept_user_expires_after_user_cache_seconds(app, factory, client_for, reads, monkeypatch):
    coach = factory.coach()
    client = client_for(coach)
    reads.clear()
    kept = app.extensions[auth_session._KEPT_USERS]
    monkeypatch.setattr(kept, "seconds", 0)  # every kept row is already out of date
    for _ in range(3):
        assert client.get("/ping").status_code == 200
    assert reads == [coach.id] * 3


@pytest.fixture
def uncached_app(database_url, tmp_path) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path, USER_CACHE_SECONDS=0)
    yield application
    with application.app_context():
        db.engine.dispose()


def test_user_cache_seconds_0_reads_the_user_at_every_request(uncached_app, factory, reads) -> None:
    assert commits.EXTENSION not in uncached_app.extensions
    assert auth_session._KEPT_USERS not in uncached_app.extensions
    coach = factory.coach()
    client = ApiClient(uncached_app.test_client())
    assert client.login(coach.email).status_code == 200
    reads.clear()
    for _ in range(3):
        assert client.get("/ping").status_code == 200
    assert reads == [coach.id] * 3


def test_commits_are_counted_in_a_file_every_process_maps(tmp_path):
    path = str(tmp_path / "commits.count")
    one, other = commits.CommitCounter(path), commits.CommitCounter(path)
    assert one.read() == 0
    one.add()
    one.add()
    assert other.read() == 2
    other.add()
    assert one.read() == 3
    assert os.path.getsize(path) == 8


@pytest.mark.postgres
def test_kept_answers_are_still_served_while_the_user_is_kept(
    factory,
    client_for,
    reads,
    cache,  # noqa: F811 (test_response_cache's fixture)
):
    """A view whose answer may be kept reads the snapshot when the user was not read."""
    from tests.fixtures.metrics import NOW

    coach, _, client = _alpha(factory, client_for, NOW)
    _served(client, "/api/v1/portfolio", cache)
    reads.clear()
    hits = cache.hits
    assert client.get("/api/v1/portfolio").status_code == 200
    assert reads == [] and cache.hits == hits + 1
    factory.company(name="Beta", coaches=[coach])
    names = [row["name"] for row in client.get("/api/v1/portfolio").get_json()]
    assert names == ["Alpha", "Beta"]
    assert reads == [coach.id]


@pytest.fixture
def snapshot_reads(monkeypatch) -> list[int]:
    """One entry per snapshot read alone (auth/session._SNAPSHOT_NOW)."""
    seen: list[int] = []
    original = auth_session._SNAPSHOT_NOW.fetch_one_pooled

    def counted(**params: Any) -> Any:
        seen.append(1)
        return original(**params)

    monkeypatch.setattr(auth_session._SNAPSHOT_NOW, "fetch_one_pooled", counted)
    return seen


@pytest.mark.postgres
def test_a_kept_answer_is_served_without_a_round_trip_until_a_commit(
    factory,
    client_for,
    reads,
    snapshot_reads,
    cache,  # noqa: F811 (test_response_cache's fixture)
):
    """The snapshot read for a kept user is used again while no commit was made on this
    host (and for SNAPSHOT_REUSE_SECONDS at most): a served answer then costs no statement."""
    from tests.fixtures.metrics import NOW

    coach, _, client = _alpha(factory, client_for, NOW)
    _served(client, "/api/v1/portfolio", cache)
    reads.clear()
    snapshot_reads.clear()
    hits = cache.hits
    for _ in range(3):
        assert client.get("/api/v1/portfolio").status_code == 200
    assert cache.hits == hits + 3
    assert reads == [] and len(snapshot_reads) <= 1  # (once, if the second ran out)
    factory.company(name="Beta", coaches=[coach])  # a commit: the next request reads
    names = [row["name"] for row in client.get("/api/v1/portfolio").get_json()]
    assert names == ["Alpha", "Beta"]
    assert reads == [coach.id]


@pytest.mark.postgres
def test_a_write_the_count_cannot_see_is_seen_once_the_snapshot_expires(
    factory,
    client_for,
    monkeypatch,
    cache,  # noqa: F811 (test_response_cache's fixture)
):
    """SQL from outside the app (here a raw connection: no ORM commit, nothing counted):
    the kept snapshot, and with it the kept answer, is used for SNAPSHOT_REUSE_SECONDS at
    most; after that the snapshot is read again, differs, and the answer is computed."""
    from tests.fixtures.metrics import NOW

    _, company, client = _alpha(factory, client_for, NOW)
    monkeypatch.setattr(auth_session, "SNAPSHOT_REUSE_SECONDS", 3600.0)
    _served(client, "/api/v1/portfolio", cache)
    raw = db.engine.raw_connection()
    try:
        raw.cursor().execute("UPDATE companies SET name = 'Renamed' WHERE id = %s", [company.id])
        raw.commit()
    finally:
        raw.close()
    stale = client.get("/api/v1/portfolio").get_json()
    assert [row["name"] for row in stale] == ["Alpha"]  # the documented lag
    later = time.monotonic() + 3601  # the kept snapshot (and the kept user) are out of date
    monkeypatch.setattr(time, "monotonic", lambda: later)
    fresh = client.get("/api/v1/portfolio").get_json()
    assert [row["name"] for row in fresh] == ["Renamed"]
