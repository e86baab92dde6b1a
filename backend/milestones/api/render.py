"""The one render path of the JSON every view sends, behind which the fast paths live.

A view returns its data and `@blp.response(schema)` names the shape: the project's
Blueprint (api/pagination.py) hands both to `render(schema, result)` once the view has
returned and the read is ended, whatever the view. The result is either the data,
dumped by a FastDump of the schema (the schema's fields without marshmallow's per-field
machinery), or a `Payload`: JSON text the database wrote (json_agg), with the way to
read the same data for the check. A schema FastDump cannot stand for (fields computed by
Python functions) is dumped by marshmallow: decided once per schema, in `fast_dump`.

With RENDER_CHECK (on in the tests) each fast output is compared with what the schema's
marshmallow dump of the same data says, and a difference is an error: the fast paths may
be fast only while they say the same thing. `check` gives that data for JSON written by
the database (reading it again, so the check costs statements: production leaves it off).
RENDER_CHECK also refuses a view's JSON success response that did not come from here
(`check_rendered`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from flask import Response, current_app, g, request
from marshmallow import Schema

from milestones.schemas.base import FastDump


class RenderMismatch(AssertionError):
    """A fast path wrote something else than the schema's dump of the same data, or a
    view's JSON did not come through render()."""


@dataclass(frozen=True, slots=True)
class Payload:
    """What a view returns when the database wrote the JSON (`body` is text) or may
    have (`body` is then the data): `check` reads the same data again for the schema's
    dump, under RENDER_CHECK only."""

    body: Any
    check: Callable[[], Any] | None = None


@cache
def fast_dump(schema: Schema) -> FastDump | None:
    """The FastDump standing for this schema (instance), built once; None when the schema
    has fields FastDump does not know, and marshmallow dumps it."""
    try:
        return FastDump(schema)
    except TypeError:
        return None


def render(schema: Schema, result: Any) -> Response:
    """The response for `result` in `schema`'s shape (many=True schemas take a sequence)."""
    payload, check = (result.body, result.check) if isinstance(result, Payload) else (result, None)
    checking = _checking()
    if checking:
        g.rendered_by = schema
    if isinstance(payload, str):
        if checking and check is not None:
            # Compared as values: the database writes a float with no fraction as 2, not 2.0.
            written = json.loads(payload)
            dumped = _as_json(schema.dump(check()))
            if written != dumped:
                raise _mismatch(schema, written, dumped)
        return current_app.response_class(payload, mimetype="application/json")
    fast = fast_dump(schema)
    if fast is None:
        return current_app.json.response(schema.dump(payload))  # type: ignore[return-value]
    if schema.many:
        out: Any = fast(payload if isinstance(payload, Sequence) else list(payload))
    else:
        out = fast.one(payload)
    if checking:
        # Compared as JSON text: what a client reads, key order and types included.
        dumped = schema.dump(payload)
        if orjson.dumps(out) != orjson.dumps(dumped):
            raise _mismatch(schema, out, dumped)
    return current_app.json.response(out)  # type: ignore[return-value]


def check_rendered(response: Response) -> Response:
    """Under RENDER_CHECK, a view's JSON success response must have come from render()
    (the Blueprint's after_request: errors and empty answers are not a view's JSON)."""
    if not _checking():  # every request of every blueprint passes here: nothing to do
        return response
    if (
        200 <= response.status_code < 300
        and response.status_code != 204
        and response.mimetype == "application/json"
        and g.pop("rendered_by", None) is None
    ):
        raise RenderMismatch(f"{request.endpoint}: JSON sent without api/render.py")
    return response


def _checking() -> bool:
    return bool(current_app.config.get("RENDER_CHECK"))


def _mismatch(schema: Schema, fast: Any, dumped: Any) -> RenderMismatch:
    return RenderMismatch(
        f"{type(schema).__name__}: the fast path wrote {fast!r}, the schema dumps {dumped!r}"
    )


def _as_json(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value))
