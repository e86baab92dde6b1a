"""The flask-smorest Api with the project's single error shape."""

from __future__ import annotations

import logging
from typing import Any

import flask_smorest
from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, ValidationError

from milestones.errors import DomainError, code_for
from milestones.extensions import db
from milestones.schemas.base import ErrorSchema

log = logging.getLogger(__name__)


def error_response(
    status: int,
    message: str,
    code: str | None = None,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> ResponseReturnValue:
    body: dict[str, Any] = {
        "code": code or code_for(status),
        "status": status,
        "message": message,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` that only matches ids an INTEGER column can hold: /tasks/99999999999999999999
    is a 404 like any missing id, not a database overflow error (a 500)."""

    LIMIT = 2**31 - 1

    def to_python(self, value: str) -> int:
        number = int(super().to_python(value))
        if number > self.LIMIT:
            raise ValidationError()
        return number


class Api(flask_smorest.Api):
    """Every error, ours or the framework's, leaves as {code, status, message, errors?}."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        # Before any route is added: the rules compile their converters when registered.
        app.url_map.converters["int"] = DatabaseIntConverter
        # flask-smorest sends every HTTPException to handle_http_exception (below); the
        # errors that are not HTTP exceptions get their handlers here.
        super().init_app(app, *args, **kwargs)
        app.register_error_handler(DomainError, handle_domain_error)
        app.register_error_handler(OperationalError, handle_database_down)
        app.register_error_handler(RecursionError, handle_too_deep)
        # Registered after Flask-SQLAlchemy's, so it runs before its session.remove().
        app.teardown_appcontext(release_session)

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        errors = data.get("messages")
        message = data.get("message") or error.description or error.name
        headers = dict(data.get("headers") or {})
        if status == 422 and errors:
            message = "The request is not valid: " + _summarise(errors)
        if status == 405:
            valid = getattr(error, "valid_methods", None)
            if valid:
                headers["Allow"] = ", ".join(sorted(valid))
        return error_response(status, str(message), errors=errors, headers=headers)


def _summarise(errors: Any) -> str:
    """One line naming the fields at fault, e.g. 'json.email: Not a valid email address.'"""
    parts: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            texts = [v for v in value if isinstance(v, str)]
            if texts:
                parts.append(f"{prefix}: {' '.join(texts)}")
            for v in value:
                if not isinstance(v, str):
                    walk(prefix, v)
        else:
            parts.append(f"{prefix}: {value}")

    walk("", errors)
    return "; ".join(parts[:5]) or "invalid input"


def handle_domain_error(error: DomainError) -> ResponseReturnValue:
    return error_response(error.status, error.message, error.code, error.errors, error.headers)


def release_session(_error: BaseException | None) -> None:
    """End the request's session (closing it rolls back what is open); if its connection
    died meanwhile (database restarted, connection terminated), drop the connection instead
    of letting the failed ROLLBACK in Flask-SQLAlchemy's teardown turn an already answered
    request into a 500. A request that never used the database costs nothing here."""
    from milestones.extensions import db

    if not db.session.registry.has():
        return
    try:
        db.session.remove()
    except DBAPIError:
        log.warning("database connection lost at the end of a request; discarded")
        db.session().invalidate()
        db.session.remove()


def handle_too_deep(error: RecursionError) -> ResponseReturnValue:
    # json.loads on a body nested thousands of levels deep raises this, not a ValueError.
    return error_response(400, "The request body is nested too deeply.", "too_deeply_nested")


def handle_database_down(error: DBAPIError) -> ResponseReturnValue:
    log.error("database unavailable: %s", error.__class__.__name__)
    db.session.rollback()
    return error_response(
        503,
        "The database is not reachable; try again shortly.",
        "database_unavailable",
        headers={"Retry-After": "5"},
    )
