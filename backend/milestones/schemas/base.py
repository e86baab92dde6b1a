"""Schema bases: request bodies refuse unknown fields; text is trimmed and bounded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

# C0 control characters and DEL; tab and line breaks are allowed in multi-line text only.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refuse_nul(data: Any) -> Any:
    """NUL can be stored nowhere (PostgreSQL text refuses it): a 422 naming the field, not a 500.

    Runs before any field, so plain fields.String (e-mails, passwords, tokens) are covered too.
    """
    if hasattr(data, "items"):
        bad = {
            str(key): ["Must not contain NUL characters."]
            for key, value in data.items()
            if _has_nul(key) or _has_nul(value)
        }
        if bad:
            raise ValidationError(bad)
    return data


def _has_nul(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 20:
        return False
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


class BodySchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    @pre_load
    def _no_nul(self, data: Any, **_: Any) -> Any:
        return _refuse_nul(data)


class QuerySchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    @pre_load
    def _no_nul(self, data: Any, **_: Any) -> Any:
        return _refuse_nul(data)


class OutSchema(Schema):
    class Meta:
        ordered = True


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _as(kind: type) -> Any:
    return lambda value: None if value is None else kind(value)


class FlatDump:
    """schema.dump(rows, many=True) for flat rows of plain values, without marshmallow's
    per-field machinery: a portfolio page is 500 fields, and dumping them one by one cost
    about as much as the query. The fields and their order come from the schema; only
    Integer, Float, String, Boolean and DateTime (ISO 8601) fields are allowed, which is
    what makes the output identical to schema.dump's (a test compares the two)."""

    _CONVERTERS: tuple[tuple[type[fields.Field], Any], ...] = (
        (fields.DateTime, _iso),
        (fields.Integer, _as(int)),
        (fields.Float, _as(float)),
        (fields.Boolean, _as(bool)),
        (fields.String, _as(str)),
    )

    def __init__(self, schema: Schema) -> None:
        self.fields: list[tuple[str, str, Any]] = []
        for name, field in schema.dump_fields.items():
            converter = next((c for t, c in self._CONVERTERS if isinstance(field, t)), None)
            if converter is None:
                raise TypeError(f"{type(schema).__name__}.{name}: not a flat field")
            self.fields.append((name, field.data_key or name, converter))
        # (attribute, JSON key, is a timestamp) per field: for SQL that writes the JSON.
        self.spec: tuple[tuple[str, str, bool], ...] = tuple(
            (name, key, convert is _iso) for name, key, convert in self.fields
        )

    def __call__(self, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """Rows are mappings, or SQLAlchemy rows (read by position: fastest)."""
        if not rows:
            return []
        if hasattr(rows[0], "_fields"):
            at = {name: i for i, name in enumerate(rows[0]._fields)}
            spec = [(at[name], key, convert) for name, key, convert in self.fields]
            return [{key: convert(row[i]) for i, key, convert in spec} for row in rows]
        return [{key: convert(row[name]) for name, key, convert in self.fields} for row in rows]


class ErrorSchema(OutSchema):
    """The one error shape every error response has (documented in the OpenAPI spec)."""

    code = fields.String(required=True, metadata={"description": "Machine-readable error code"})
    status = fields.Integer(required=True, metadata={"description": "HTTP status"})
    message = fields.String(required=True, metadata={"description": "What went wrong"})
    errors = fields.Dict(metadata={"description": "Details per location and field"})


class Text(fields.String):
    """A string stripped of surrounding space, refusing control characters.

    Multi-line text may hold tabs and line breaks; single-line text may not.
    """

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = "\t\n\r" if multiline else ""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        if any(c not in self.allowed for c in _CONTROL.findall(result)):
            raise ValidationError("Must not contain control characters.")
        return result


class NonBlank(Text):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = super()._deserialize(value, attr, data, **kwargs)
        if not result:
            raise ValidationError("Must not be blank.")
        return result


class Email(fields.Email):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        result = super()._deserialize(value, attr, data, **kwargs)
        return str(result).lower()


class PageQuery(QuerySchema):
    """Common list filters; pagination itself (page, page_size) is flask-smorest's."""

    @pre_load
    def _drop_empty(self, data: Any, **_: Any) -> Any:
        if hasattr(data, "items"):
            return {k: v for k, v in data.items() if v != ""}
        return data
