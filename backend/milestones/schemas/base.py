"""Schema bases: request bodies refuse unknown fields; text is trimmed and bounded."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

# C0 control characters and DEL; tab and line breaks are allowed in multi-line text only.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BodySchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class QuerySchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class OutSchema(Schema):
    class Meta:
        ordered = True


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
