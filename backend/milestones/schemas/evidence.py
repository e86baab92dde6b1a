"""Evidence items: the JSON body (link, metric), the multipart fields (document), output."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from milestones.catalogue import KEYS
from milestones.models import EvidenceType
from milestones.schemas.base import BodySchema, NonBlank, OutSchema, Text

TYPES = [t.value for t in EvidenceType]
_TYPE_FIELDS = {
    "link": {"url"},
    "metric": {"metric_value", "metric_unit"},
}


class FiniteFloat(fields.Float):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, **kwargs)

    def _validated(self, value: Any) -> float:
        if isinstance(value, str) and not value.strip():
            raise self.make_error("invalid")
        result = float(super()._validated(value))
        if math.isinf(result):
            raise ValidationError("Must be a finite number.")
        return result


class EvidenceCreateSchema(BodySchema):
    """JSON body for `link` and `metric` evidence (documents are multipart uploads)."""

    evidence_type = fields.String(required=True, validate=validate.OneOf(TYPES))
    title = NonBlank(required=True, validate=validate.Length(max=200))
    description = Text(multiline=True, load_default="", validate=validate.Length(max=10_000))
    criterion = Text(allow_none=True, validate=validate.Length(max=64))
    url = fields.String(
        validate=[
            validate.Length(max=2048),
            validate.URL(
                schemes={"http", "https"},
                require_tld=False,
                error="Must be an http or https URL.",
            ),
        ],
        metadata={"description": "link evidence: an http or https URL"},
    )
    metric_value = FiniteFloat(metadata={"description": "metric evidence: a number"})
    metric_unit = Text(allow_none=True, validate=validate.Length(max=50))

    @validates_schema
    def _fields_fit_the_type(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("evidence_type")
        if kind == "link" and not data.get("url"):
            raise ValidationError("Required for link evidence.", "url")
        if kind == "metric" and data.get("metric_value") is None:
            raise ValidationError("Required for metric evidence.", "metric_value")
        for other, names in _TYPE_FIELDS.items():
            if other == kind:
                continue
            for name in names:
                if data.get(name) is not None:
                    raise ValidationError(f"Only for {other} evidence.", name)


class DocumentFormSchema(BodySchema):
    """Multipart fields next to `file` for document evidence."""

    evidence_type = fields.String(validate=validate.Equal("document"))
    title = NonBlank(
        validate=validate.Length(max=200), metadata={"description": "default: file name"}
    )
    description = Text(multiline=True, load_default="", validate=validate.Length(max=10_000))
    criterion = Text(validate=validate.Length(max=64))


class DocumentUploadDocSchema(DocumentFormSchema):
    """OpenAPI description of the multipart body (the file itself included)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class AttachmentSchema(OutSchema):
    filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)


class EvidenceSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    evidence_type = fields.String(dump_only=True, metadata={"enum": TYPES})
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    url = fields.String(dump_only=True, allow_none=True)
    criterion = fields.String(dump_only=True, allow_none=True)
    metric_value = fields.Float(dump_only=True, allow_none=True)
    metric_unit = fields.String(dump_only=True, allow_none=True)
    attachment = fields.Nested(AttachmentSchema, dump_only=True, allow_none=True)
    download_url = fields.Method(
        "_download_url", dump_only=True, metadata={"type": "string", "nullable": True}
    )
    created_by = fields.Integer(attribute="created_by_id", dump_only=True)
    created_by_name = fields.Function(
        lambda e: e.created_by.name if e.created_by else None, metadata={"type": "string"}
    )
    created_at = fields.DateTime(dump_only=True)

    def _download_url(self, evidence: Any) -> str | None:
        if evidence.attachment_id is None:
            return None
        return f"/api/v1/evidence/{evidence.id}/download"
