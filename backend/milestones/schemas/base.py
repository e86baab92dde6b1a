"""Schema bases: request bodies refuse unknown fields; text is trimmed and bounded."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing, pre_load
from marshmallow.utils import get_value

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


class InputSchema(Schema):
    """A request body, query string or form: unknown fields and NUL characters refused."""

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


def _strings(value: Any) -> Any:
    return None if value is None else [str(v) for v in value]


def _list_of(convert: Any) -> Any:
    return lambda value: None if value is None else [convert(v) for v in value]


def _same(value: Any) -> Any:
    return value


def _dict_of(key: Any, convert: Any) -> Any:
    return lambda value: None if value is None else {key(k): convert(v) for k, v in value.items()}


class FastDump:
    """schema.dump(items, many=True) without marshmallow's per-field machinery: a
    portfolio page is 500 fields, and dumping them one by one cost about as much as the
    query. The fields, their keys, attributes and order come from the schema. Only
    Integer, Float, String, Boolean, DateTime and Date (ISO 8601), Dict (copied as is, or
    of one of those), List of one of those, and Nested or List of Nested schemas of those
    are allowed, with marshmallow's own serialization (no subclass overriding it, no
    computed dump_default, no dump hooks on the schema), which is what makes the output identical
    to schema.dump's (tests compare the two); anything else is a TypeError. Items are
    mappings, SQLAlchemy rows (read by position) or objects (read by attribute); a
    value an item lacks is left out, as marshmallow does."""

    _CONVERTERS: tuple[tuple[type[fields.Field], Any], ...] = (
        (fields.DateTime, _iso),
        (fields.Date, _iso),
        (fields.Integer, _as(int)),
        (fields.Float, _as(float)),
        (fields.Boolean, _as(bool)),
        (fields.String, _as(str)),
    )
    _ISO = (None, "iso", "iso8601")

    def __init__(self, schema: Schema) -> None:
        self.name = type(schema).__name__
        if schema._hooks["pre_dump"] or schema._hooks["post_dump"]:
            raise TypeError(f"{self.name}: dump hooks FastDump does not run")
        self.fields: list[tuple[str, str, Any]] = [
            (self._attribute(name, field), field.data_key or name, self._converter(name, field))
            for name, field in schema.dump_fields.items()
        ]
        # What marshmallow writes for a value an item lacks (missing: nothing).
        self.defaults = [field.dump_default for field in schema.dump_fields.values()]

    def _attribute(self, name: str, field: fields.Field) -> str:
        attribute = field.attribute or name
        if "." in attribute or callable(field.dump_default):
            raise TypeError(f"{self.name}.{name}: a dotted attribute or a computed default")
        return attribute

    def _converter(self, name: str, field: fields.Field) -> Any:
        if isinstance(field, fields.Dict) and type(field) is fields.Dict:
            if field.key_field is None and field.value_field is None:
                return _as(dict)
            keys, values = field.key_field, field.value_field
            return _dict_of(
                _same if keys is None else self._plain(name, keys),
                _same if values is None else self._plain(name, values),
            )
        if isinstance(field, fields.Nested) and type(field) is fields.Nested:
            nested = FastDump(field.schema)
            if field.schema.many:
                return lambda value: None if value is None else nested(value)
            return lambda value: None if value is None else nested.one(value)
        if isinstance(field, fields.List) and type(field.inner) is fields.Nested:
            many = FastDump(field.inner.schema)
            return lambda value: None if value is None else many(value)
        if isinstance(field, fields.List) and type(field.inner) is fields.String:
            return _strings
        if isinstance(field, fields.List):
            return _list_of(self._plain(name, field.inner))
        return self._plain(name, field)

    def _plain(self, name: str, field: fields.Field) -> Any:
        for kind, converter in self._CONVERTERS:
            if (
                isinstance(field, kind)
                and type(field)._serialize is kind._serialize
                and not getattr(field, "as_string", False)
                and getattr(field, "format", None) in self._ISO
            ):
                return converter
        raise TypeError(f"{self.name}.{name}: not a field FastDump knows")

    @property
    def spec(self) -> tuple[tuple[str, str, bool], ...]:
        """(attribute, JSON key, is a timestamp) per field, for SQL that writes the JSON
        itself; flat schemas only."""
        plain = {c for _, c in self._CONVERTERS} | {_strings}
        if any(convert not in plain for _, _, convert in self.fields):
            raise TypeError(f"{self.name} is not flat")
        return tuple((name, key, convert is _iso) for name, key, convert in self.fields)

    def one(self, item: Any) -> dict[str, Any]:
        """schema.dump(item)."""
        return self([item])[0]

    def __call__(self, items: Sequence[Any]) -> list[dict[str, Any]]:
        if not items:
            return []
        try:
            return self._dump(items)
        except (KeyError, AttributeError):
            return [self._sparse(item) for item in items]

    def _dump(self, items: Sequence[Any]) -> list[dict[str, Any]]:
        first = items[0]
        if hasattr(first, "_fields"):  # SQLAlchemy rows
            at = {name: i for i, name in enumerate(first._fields)}
            spec = [(at[name], key, convert) for name, key, convert in self.fields]
            return [{key: convert(item[i]) for i, key, convert in spec} for item in items]
        if isinstance(first, Mapping):
            return [{k: c(item[n]) for n, k, c in self.fields} for item in items]
        return [{k: c(getattr(item, n)) for n, k, c in self.fields} for item in items]

    def _sparse(self, item: Any) -> dict[str, Any]:
        """An item lacking some values: read as marshmallow reads them, the missing left out."""
        out = {}
        for (name, key, convert), default in zip(self.fields, self.defaults, strict=True):
            value = get_value(item, name)
            if value is missing:
                value = default
            if value is not missing:
                out[key] = convert(value)
        return out


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


class UtcDateTime(fields.AwareDateTime):
    """An aware time, read as UTC; one whose UTC falls outside years 1 to 9999 is refused
    (it could not be stored)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            return result.astimezone(UTC)
        except OverflowError:
            raise ValidationError("Out of range.") from None


class PageQuery(InputSchema):
    """Common list filters; pagination itself (page, page_size) is flask-smorest's."""

    @pre_load
    def _drop_empty(self, data: Any, **_: Any) -> Any:
        if hasattr(data, "items"):
            return {k: v for k, v in data.items() if v != ""}
        return data
