"""The one render path of the JSON the hot views send, behind which their fast paths live.

A view calls `render(schema, payload)`; `@blp.response(schema)` only documents the shape.
`payload` is either the data, dumped by a FastDump of the schema (the schema's fields
without marshmallow's per-field machinery), or JSON text the database wrote (json_agg).
The read is ended by the Blueprint's response decorator (api/pagination.py), once the
view has returned, not by the services.

With RENDER_CHECK (on in the tests) each fast output is compared with what the schema's
marshmallow dump of the same data says, and a difference is an error: the fast paths may
be fast only while they say the same thing. `check` gives that data for JSON written by
the database (reading it again, so the check costs statements: production leaves it off).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import orjson
from flask import Response, current_app
from marshmallow import Schema

from milestones.schemas.base import FastDump


class RenderMismatch(AssertionError):
    """A fast path wrote something else than the schema's dump of the same data."""


@cache
def fast_dump(schema: Schema) -> FastDump:
    """The FastDump standing for this schema (instance), built once."""
    return FastDump(schema)


def render(
    schema: Schema,
    payload: Any,
    *,
    check: Callable[[], Any] | None = None,
) -> Response:
    """The response for `payload` in `schema`'s shape (many=True schemas take a list)."""
    if isinstance(payload, str):
        if _checking() and check is not None:
            # Compared as values: the database writes a float with no fraction as 2, not 2.0.
            written = json.loads(payload)
            dumped = _as_json(schema.dump(check()))
            if written != dumped:
                raise _mismatch(schema, written, dumped)
        return current_app.response_class(payload, mimetype="application/json")
    fast = fast_dump(schema)
    out = fast(payload) if schema.many else fast.one(payload)
    if _checking():
        # Compared as JSON text: what a client reads, key order and types included.
        dumped = schema.dump(payload)
        if orjson.dumps(out) != orjson.dumps(dumped):
            raise _mismatch(schema, out, dumped)
    return current_app.json.response(out)  # type: ignore[return-value]


def _checking() -> bool:
    return bool(current_app.config.get("RENDER_CHECK"))


def _mismatch(schema: Schema, fast: Any, dumped: Any) -> RenderMismatch:
    return RenderMismatch(
        f"{type(schema).__name__}: the fast path wrote {fast!r}, the schema dumps {dumped!r}"
    )


def _as_json(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value))
