"""Logging: readable lines in development, one JSON object per line in production.

The choice is log_format(): LOG_FORMAT, else JSON when APP_ENV is production and text
otherwise; the app (config.py) and gunicorn (gunicorn.conf.py) both take it from here, so
in development a request is one short access line such as `GET /api/v1/portfolio 200 12 ms`.

Every line written while a request is handled carries its request id: the one nginx sent
in `X-Request-ID` (so the proxy's access log, gunicorn's and the app's lines join up), or a
fresh one. The id is echoed in the response's `X-Request-ID` header.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

# What a forwarded request id may look like (nginx's $request_id is 32 hex digits).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def default_format(app_env: str) -> str:
    return "json" if app_env == "production" else "text"


def log_format(environ: Mapping[str, str] = os.environ) -> str:
    """ "json" or "text": LOG_FORMAT when set, else by APP_ENV (see default_format)."""
    chosen = (environ.get("LOG_FORMAT") or "").strip().lower()
    return chosen or default_format(environ.get("APP_ENV") or "development")


def access_line(method: str, path: str, query: str | None, status: Any, ms: float) -> str:
    """One short access line for development: `GET /api/v1/portfolio?page=2 200 12 ms`."""
    target = f"{path}?{query}" if query else path
    return f"{method} {target} {status} {ms:.0f} ms"


def current_request_id() -> str:
    return str(g.get("request_id", "-")) if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if has_request_context():
            payload["method"] = request.method
            payload["path"] = request.path
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def make_handler(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
    return handler


def init_app(app: Flask) -> None:
    handler = make_handler(app.config["LOG_FORMAT"])
    # The app's own loggers (milestones.*, which is also app.logger) and the libraries
    # whose warnings matter in production go through the same handler.
    for name in ("milestones", "sqlalchemy.pool", "botocore.credentials"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
    logging.getLogger("milestones").setLevel(logging.INFO)

    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(16)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
