"""Production behaviour of the app itself, in-process: proxy trust, readiness, JSON logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from tests.conftest import make_app

LOGGERS = ("milestones", "sqlalchemy.pool", "botocore.credentials")


@pytest.fixture(autouse=True)
def _restore_log_handlers() -> Iterator[None]:
    """create_app() installs its log handler; give the other tests theirs back."""
    saved = {name: list(logging.getLogger(name).handlers) for name in LOGGERS}
    yield
    for name, handlers in saved.items():
        logging.getLogger(name).handlers[:] = handlers


def probe_app(database_url: str, tmp: Path, **overrides: Any) -> Flask:
    app = make_app(database_url, tmp, **overrides)

    @app.get("/_probe")
    def probe() -> dict[str, Any]:
        logging.getLogger("milestones.probe").info("probed", extra={"answer": 42})
        return {"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host}

    return app


FORWARDED = {
    "X-Forwarded-For": "203.0.113.9, 10.0.0.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "tracker.example.org",
}


def test_forwarded_headers_ignored_by_default(database_url: str, tmp_path: Path) -> None:
    app = probe_app(database_url, tmp_path)
    assert not isinstance(app.wsgi_app, ProxyFix)
    seen = app.test_client().get("/_probe", headers=FORWARDED).get_json()
    assert seen == {"remote_addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_forwarded_headers_trusted_for_configured_hops(database_url: str, tmp_path: Path) -> None:
    app = probe_app(database_url, tmp_path, TRUST_PROXY_HOPS=1)
    assert isinstance(app.wsgi_app, ProxyFix)
    seen = app.test_client().get("/_probe", headers=FORWARDED).get_json()
    # One hop: only the last X-Forwarded-For entry (the one our proxy added) is believed.
    assert seen == {"remote_addr": "10.0.0.7", "scheme": "https", "host": "tracker.example.org"}


def test_readyz_names_the_storage_when_it_is_down(database_url: str, tmp_path: Path) -> None:
    app = make_app(
        database_url,
        tmp_path,
        STORAGE_BACKEND="s3",
        S3_ENDPOINT_URL="http://127.0.0.1:9",  # discard port: connection refused
        S3_BUCKET="nowhere",
    )
    response = app.test_client().get("/api/v1/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "storage": "unavailable"},
    }
    assert response.headers["Retry-After"] == "5"


def test_readyz_names_the_database_when_it_is_down(tmp_path: Path) -> None:
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2", tmp_path)
    response = app.test_client().get("/api/v1/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "unavailable", "storage": "ok"}
    health = app.test_client().get("/api/v1/healthz")
    assert health.status_code == 503
    assert health.get_json()["code"] == "database_unavailable"


def test_readyz_ok(database_url: str, tmp_path: Path) -> None:
    response = make_app(database_url, tmp_path).test_client().get("/api/v1/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_json_log_lines_carry_the_request_id(database_url: str, tmp_path: Path) -> None:
    app = probe_app(database_url, tmp_path, LOG_FORMAT="json")
    stream = io.StringIO()
    handler = logging.getLogger("milestones").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    client = app.test_client()

    response = client.get("/_probe", headers={"X-Request-ID": "edge-4f2a"})
    assert response.headers["X-Request-ID"] == "edge-4f2a"
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["message"] == "probed"
    assert line["request_id"] == "edge-4f2a"
    assert line["method"] == "GET" and line["path"] == "/_probe"
    assert line["answer"] == 42
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")

    # A forged or malformed id is replaced by a fresh one, never copied into the logs.
    response = client.get("/_probe", headers={"X-Request-ID": 'x" injected'})
    fresh = response.headers["X-Request-ID"]
    assert len(fresh) == 32 and fresh != 'x" injected'
    assert json.loads(stream.getvalue().splitlines()[-1])["request_id"] == fresh
