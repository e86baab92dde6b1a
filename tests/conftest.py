"""Shared fixtures: one database per test run (PostgreSQL when TEST_DATABASE_URL is set,
SQLite otherwise), built by the Alembic migrations and emptied after every test."""

from __future__ import annotations

import contextvars
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from milestones import create_app
from milestones.extensions import db
from tests.factories import Factory

PASSWORD = "correct-horse-battery"

# Fixtures of each area live in their own module.
pytest_plugins = [
    "tests.fixtures.storage",
    "tests.fixtures.mail",
    "tests.fixtures.metrics",
    "tests.fixtures.deploy",
    "tests.fixtures.webhooks",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run the long load and fault checks")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long checks (load, faults) are left out of the run unless --run-slow is given."""
    if config.getoption("--run-slow"):
        return
    slow = [item for item in items if "slow" in item.keywords]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if "slow" not in item.keywords]


def _admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def create_database(tmp: Path) -> tuple[str, Any]:
    """A fresh, empty database for this run; returns its URL and a dropper."""
    admin = _admin_url()
    if not admin:
        path = tmp / f"test-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    name = f"mt_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(admin).set(database=name).render_as_string(hide_password=False), drop


def make_app(database_url: str, tmp: Path, **overrides: Any) -> Flask:
    config = {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "STORAGE_LOCAL_PATH": str(tmp / "uploads"),
        "PUBLIC_BASE_URL": "http://app.test",
        # Cheap hashes keep the suite fast; production uses the argon2 defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        # Every fast JSON path (FastDump, the database's json_agg) is compared with the
        # schema's dump of the same data (api/render.py).
        "RENDER_CHECK": True,
        # Every request the response cache would have answered is computed too and
        # compared with what it kept (api/response_cache.py).
        "RESPONSE_CACHE_CHECK": True,
        **overrides,
    }
    os.environ.setdefault("INSTANCE_PATH", str(tmp / "instance"))
    return create_app(config)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = create_database(tmp_path_factory.mktemp("db"))
    yield url
    drop()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    application = make_app(database_url, tmp_path_factory.mktemp("app"))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def empty_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in reversed(tables):
            db.session.execute(sa.text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture(autouse=True)
def _app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        empty_tables()
        db.session.remove()


class ApiClient:
    """A test client that speaks /api/v1 JSON and sends the CSRF header on writes."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf: str | None = None

    def login(self, email: str, password: str = PASSWORD) -> Any:
        response = self.post("/auth/login", json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf = response.get_json()["csrf_token"]
        return response

    def open(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.csrf and method not in {"GET", "HEAD"} and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = self.csrf
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        # Streamed bodies (the exports) are read inside that context too.
        kwargs.setdefault("buffered", True)
        # Each request runs in a fresh context (own app context, g and session), as in
        # production, not inside the app context the test itself holds.
        return contextvars.Context().run(
            self.client.open, url, method=method, headers=headers, **kwargs
        )

    def get(self, path: str, **kw: Any) -> Any:
        return self.open("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.open("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.open("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.open("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.open("DELETE", path, **kw)


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(PASSWORD)


@pytest.fixture
def anon(app: Flask) -> ApiClient:
    return ApiClient(app.test_client())


@pytest.fixture
def client_for(app: Flask) -> Any:
    """client_for(user) -> an ApiClient signed in as that user."""

    def make(user: Any) -> ApiClient:
        client = ApiClient(app.test_client())
        response = client.login(user.email)
        assert response.status_code == 200, response.get_json()
        return client

    return make
