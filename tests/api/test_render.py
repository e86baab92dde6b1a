"""Every view's JSON goes through api/render.py: the one render path, behind which the
fast paths (FastDump, the database's json_agg) live, checked against the schemas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import flask_smorest
import marshmallow as ma
import pytest
from flask import Flask, jsonify
from marshmallow import fields

from milestones.api import pagination
from milestones.api.render import RenderMismatch, fast_dump
from milestones.schemas.base import FastDump

# Dumped by marshmallow: their fields are computed by Python functions (fields.Function or
# fields.Method), which FastDump does not run. Every other response schema has a FastDump.
MARSHMALLOW_DUMPED = {"EvidenceSchema", "HistoryItemSchema", "MeSchema", "MilestoneSchema"}


def _operations(app: Flask) -> list[tuple[str, str, Any]]:
    """(endpoint, method, the view's method function) of every API operation."""
    found = []
    for endpoint, view in app.view_functions.items():
        blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
        if not isinstance(blueprint, flask_smorest.Blueprint):
            continue
        assert isinstance(blueprint, pagination.Blueprint), f"{endpoint}: not the project's"
        cls = getattr(view, "view_class", None)
        if cls is None:  # a plain URL, no operation (GET /shared/ without a token: a 404)
            assert not hasattr(view, "_apidoc"), endpoint
            continue
        for method in sorted(cls.methods):
            found.append((endpoint, method, getattr(cls, method.lower())))
    return found


def test_every_json_operation_is_rendered_by_render(app: Flask) -> None:
    """Each operation documenting a JSON success body is decorated by the Blueprint's
    response, which renders the view's data with that very schema; the others send a
    file, a redirect or nothing."""
    spec = app.test_client().get("/api/openapi.json").get_json()
    json_ops = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        and any(
            "application/json" in r.get("content", {})
            for code, r in op["responses"].items()
            if code.startswith("2")
        )
    }
    rendered, schemas = set(), set()
    for endpoint, method, func in _operations(app):
        docs = func._apidoc["response"]["responses"]
        success = [d for code in func._apidoc.get("success_status_codes", []) for d in docs[code]]
        shapes = [d["schema"] for d in success if isinstance(d.get("schema"), ma.Schema)]
        if shapes:
            # The documentation holds copies of the schema (flask-smorest deep-copies it).
            shape = getattr(func, "rendered_with", None)
            assert isinstance(shape, type(shapes[0])), f"{endpoint} {method}"
            assert shape.many == shapes[0].many, f"{endpoint} {method}"
            rendered.add(pagination.operation_id(func_view(app, endpoint), method))
            schemas.add(shape)
    assert rendered == json_ops
    assert len(rendered) > 60
    fallbacks = {type(s).__name__ for s in schemas if fast_dump(s) is None}
    assert fallbacks == MARSHMALLOW_DUMPED


def func_view(app: Flask, endpoint: str) -> type:
    return app.view_functions[endpoint].view_class  # type: ignore[attr-defined,no-any-return]


def test_a_json_answer_from_elsewhere_is_refused(app: Flask, client_for, factory, monkeypatch):
    """RENDER_CHECK (on in the tests, so over every request of every suite) refuses a
    view's JSON success response that did not come through render()."""
    from milestones.api import health

    client = client_for(factory.user(role="admin"))
    assert client.get("/ping").get_json()["pong"] is True
    monkeypatch.setattr(health.Ping, "get", lambda self: jsonify({"pong": True}))
    with pytest.raises(RenderMismatch, match=r"health\.Ping: JSON sent without api/render\.py"):
        client.get("/ping")


def test_marshmallow_dumps_what_fast_dump_cannot(client_for, factory) -> None:
    """/auth/me has computed fields (the CSRF token, the abilities): its schema is dumped
    by marshmallow through the same render()."""
    user = factory.user(role="coach")
    client = client_for(user)
    body = client.get("/auth/me").get_json()
    assert set(body) == {
        "id", "email", "name", "role", "company_ids", "active", "created_at",
        "csrf_token", "abilities",
    }  # fmt: skip
    assert (body["email"], body["role"], body["csrf_token"]) == (user.email, "coach", client.csrf)


class _Inner(ma.Schema):
    when = fields.Date()


class _Wide(ma.Schema):
    class Meta:
        ordered = True

    id = fields.Integer()
    owner = fields.Integer(attribute="owner_id")
    day = fields.Date(allow_none=True)
    at = fields.DateTime()
    ids = fields.List(fields.Integer())
    checks = fields.Dict(keys=fields.String(), values=fields.String())
    note = fields.String(dump_default=None, allow_none=True)
    inner = fields.Nested(_Inner, many=True)


def test_fast_dump_is_the_schema_dump_for_what_it_knows() -> None:
    """Attributes, dates, lists and dicts of scalars, constant defaults, nested many, and
    values an item lacks (left out, as marshmallow does), on objects and mappings."""
    schema = _Wide()
    full = {
        "id": 1,
        "owner_id": 7,
        "day": date(2024, 2, 29),
        "at": datetime(2024, 3, 1, 12, 0, 0, 5, tzinfo=UTC),
        "ids": [3, 4],
        "checks": {"database": "ok"},
        "note": "n",
        "inner": [{"when": date(2024, 1, 1)}],
    }
    sparse = {"id": 2, "owner_id": 8, "day": None}
    fast = FastDump(schema)
    for items in ([full, sparse], [SimpleNamespace(**full), SimpleNamespace(**sparse)]):
        assert fast(items) == schema.dump(items, many=True)
    assert fast([sparse])[0] == {"id": 2, "owner": 8, "day": None, "note": None}


def test_fast_dump_refuses_what_it_would_write_differently() -> None:
    class Hooked(ma.Schema):
        id = fields.Integer()

        @ma.post_dump
        def _wrap(self, data: Any, **_: Any) -> Any:
            return data

    class Computed(ma.Schema):
        at = fields.DateTime(format="timestamp")

    class AsText(ma.Schema):
        n = fields.Integer(as_string=True)

    class Custom(fields.String):
        def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
            return "x"

    class Own(ma.Schema):
        s = Custom()

    for schema in (Hooked(), Computed(), AsText(), Own()):
        with pytest.raises(TypeError):
            FastDump(schema)
        assert fast_dump(schema) is None  # marshmallow dumps it
