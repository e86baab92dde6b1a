"""Logging: readable lines in development, one JSON object per line in production."""

from __future__ import annotations

import json
import logging
import sys
import uuid

from flask import Flask, g, has_request_context, request
from flask.typing import ResponseReturnValue


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload)


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
    root = logging.getLogger("milestones")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False

    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: ResponseReturnValue) -> ResponseReturnValue:
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id  # type: ignore[union-attr]
        return response
