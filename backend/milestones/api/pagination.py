"""Paginated lists: a COUNT and a page, whatever the table size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, wraps
from typing import Any

import flask_smorest
import marshmallow as ma
import sqlalchemy as sa
from flask import request
from flask.views import MethodView
from flask_smorest.utils import resolve_schema_instance, unpack_tuple_response
from webargs.flaskparser import FlaskParser
from werkzeug.wrappers import Response as WerkzeugResponse

from milestones.api.render import check_rendered, render
from milestones.extensions import db
from milestones.sql.session import end_read

MAX_PAGE = 1_000_000


class _Parser(FlaskParser):
    """webargs' parser, building each argument schema once instead of on every request
    (a marshmallow Schema deep-copies its fields when built; loading keeps no state).
    `parse` is the public entry both `use_args` (@blp.arguments) and flask-smorest's
    pagination call with a Schema class."""

    def parse(self, argmap: Any, req: Any = None, **kwargs: Any) -> Any:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            argmap = _schema(argmap)
        return super().parse(argmap, req, **kwargs)


@cache
def _schema(cls: type[ma.Schema]) -> ma.Schema:
    return cls()


# Every operationId given so far, to the view that has it: two views may not share one.
_OPERATION_IDS: dict[str, str] = {}


def operation_id(view: type, method: str) -> str:
    """The operation's name in the spec and in generated clients: the HTTP method and the
    view class, e.g. `CompanyTasks.get` -> `getCompanyTasks`, `SubmitTask.post` ->
    `postSubmitTask`."""
    return method.lower() + view.__name__


class Blueprint(flask_smorest.Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}
    ARGUMENTS_PARSER = _Parser()
    PAGINATION_ARGUMENTS_PARSER = _Parser()

    def route(self, rule: str, **options: Any) -> Callable[[Any], Any]:
        """flask-smorest's route, naming each operation of the view (`operation_id`) in
        this one place; a name given twice stops the import with the two views named."""
        register = super().route(rule, **options)

        def decorator(view: Any) -> Any:
            if not isinstance(view, type) or not issubclass(view, MethodView):
                raise TypeError(f"{rule}: routes are MethodView classes, not {view!r}")
            for method in sorted(view.methods or ()):
                name = operation_id(view, method)
                where = f"{view.__module__}.{view.__qualname__}.{method.lower()}"
                if _OPERATION_IDS.setdefault(name, where) != where:
                    raise ValueError(
                        f"operationId {name!r} of {where} is already {_OPERATION_IDS[name]}'s"
                    )
                func = _known_query_only(getattr(view, method.lower()))
                setattr(view, method.lower(), self.doc(operationId=name)(func))
            return register(view)

        return decorator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.after_request(check_rendered)

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Callable[[Any], Any]:
        """flask-smorest's response, with every view's data rendered by api/render.py in
        the schema's shape (flask-smorest then only documents it and sets the status and
        headers), and the request's read ended (sql/session.end_read) when the view
        returns: the one place both happen. A view returning a Response (a file, a
        redirect) or a response without a schema (204) is left as it is."""
        schema = resolve_schema_instance(schema)
        decorator = super().response(status_code, schema, **kwargs)
        shape = schema if isinstance(schema, ma.Schema) else None

        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(func)
            def rendered(*a: Any, **kw: Any) -> Any:
                result = func(*a, **kw)
                end_read()
                if shape is None:
                    return result
                body, status, headers = unpack_tuple_response(result)
                if isinstance(body, WerkzeugResponse):
                    return result
                return render(shape, body), status or status_code, headers

            rendered.rendered_with = shape  # type: ignore[attr-defined]
            return decorator(rendered)

        return decorate

    def paginate(self, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        """flask-smorest's pagination, with a ceiling on `page`: a page number beyond what
        an SQL OFFSET can hold is a 422 naming the parameter, not a database error."""
        decorator = super().paginate(*args, **kwargs)

        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            paginated = decorator(func)

            @wraps(paginated)
            def guarded(*a: Any, **kw: Any) -> Any:
                raw = request.args.get("page", "")
                if raw.isdigit() and int(raw) > MAX_PAGE:
                    flask_smorest.abort(
                        422, messages={"query": {"page": [f"Must be at most {MAX_PAGE}."]}}
                    )
                return paginated(*a, **kw)

            return guarded

        return decorate


def _query_names(func: Any) -> frozenset[str]:
    """The query parameters the operation documents: its query schema's and pagination's."""
    doc = getattr(func, "_apidoc", {})
    parameters = [p for p in doc.get("arguments", {}).get("parameters", []) if p["in"] == "query"]
    if "pagination" in doc:
        parameters.append(doc["pagination"]["parameters"])
    return frozenset(
        field.data_key or name
        for p in parameters
        for name, field in resolve_schema_instance(p["schema"]).load_fields.items()
    )


def _known_query_only(func: Callable[..., Any]) -> Callable[..., Any]:
    """A query parameter the operation does not document is a 422 naming it, as an unknown
    body field is (webargs would drop it: each of an operation's query schemas reads the
    whole query string, so none of them can refuse the others' names on its own)."""
    known = _query_names(func)

    @wraps(func)
    def checked(*a: Any, **kw: Any) -> Any:
        unknown = [name for name in request.args if name not in known]
        if unknown:
            flask_smorest.abort(
                422, messages={"query": {name: ["Unknown field."] for name in unknown}}
            )
        return func(*a, **kw)

    return checked


def paginate(stmt: sa.Select[Any], pagination_parameters: Any) -> Sequence[Any]:
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    pagination_parameters.item_count = total or 0
    page = stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
    return db.session.scalars(page).all()
