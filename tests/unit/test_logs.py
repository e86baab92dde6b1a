"""Which log format a process uses, and gunicorn's access line in each."""

from __future__ import annotations

import io
import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config

from milestones.logs import access_line, log_format

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "text"),  # make run: development
        ({"APP_ENV": "development"}, "text"),
        ({"APP_ENV": "production"}, "json"),  # compose, the stack
        ({"APP_ENV": "production", "LOG_FORMAT": "text"}, "text"),
        ({"APP_ENV": "development", "LOG_FORMAT": "JSON"}, "json"),
        ({"APP_ENV": "production", "LOG_FORMAT": ""}, "json"),
    ],
)
def test_the_format_follows_log_format_then_app_env(environ, expected):
    assert log_format(environ) == expected


def test_a_short_access_line():
    assert access_line("GET", "/api/v1/portfolio", None, 200, 12.4) == (
        "GET /api/v1/portfolio 200 12 ms"
    )
    assert access_line("POST", "/api/v1/x", "a=1", "201", 0.6) == "POST /api/v1/x?a=1 201 1 ms"


def _access_output(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]) -> str:
    for name in ("LOG_FORMAT", "APP_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings: dict[str, Any] = runpy.run_path(str(CONF))
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = settings["logger_class"](cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)
    response = SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "r1")], sent=5)
    environ_ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/v1/portfolio", "QUERY_STRING": ""}
    logger.access(response, None, environ_, timedelta(milliseconds=12))
    return stream.getvalue().strip().splitlines()[-1]  # the access logger is process-wide


def test_gunicorn_prints_one_short_line_per_request_in_development(monkeypatch):
    assert _access_output(monkeypatch, {}) == "GET /api/v1/portfolio 200 12 ms"


def test_gunicorn_writes_json_access_lines_in_production(monkeypatch):
    line = json.loads(_access_output(monkeypatch, {"APP_ENV": "production"}))
    assert line["logger"] == "gunicorn.access"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/portfolio", 200)
    assert line["request_id"] == "r1"
    assert line["duration_ms"] == 12.0
