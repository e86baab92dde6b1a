"""Evidence items: the JSON body (link, metric), the multipart fields (document), output."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from milestones.catalogue import KEYS
from milestones.models import EvidenceType, MetricKey, ReviewStatus
from milestones.reporting.metric_series import UNITS, check_value
from milestones.schemas.base import InputSchema, NonBlank, OutSchema, PageQuery, Text

TYPES = [t.value for t in EvidenceType]
METRIC_KEYS = [k.value for k in MetricKey]
REVIEW_STATUSES = [s.value for s in ReviewStatus]
_TYPE_FIELDS = {
    "link": {"url"},
    "metric": {"metric_value", "metric_unit", "metric_key"},
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


class EvidenceCreateSchema(InputSchema):
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
    metric_key = fields.String(
        allow_none=True,
        validate=validate.OneOf(METRIC_KEYS),
        metadata={
            "enum": METRIC_KEYS,
            "description": "metric evidence: what it measures; the unit follows from it "
            + ", ".join(f"({k.value}: {u})" for k, u in UNITS.items()),
        },
    )

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
        key = data.get("metric_key")
        if key:
            unit = UNITS[MetricKey(key)]
            given = data.get("metric_unit")
            if given and given != unit:
                message = f"The unit of {key} is {unit!r}; leave it out."
                raise ValidationError(message, "metric_unit")
            problem = check_value(MetricKey(key), data["metric_value"])
            if problem:
                raise ValidationError(problem, "metric_value")

    @post_load
    def _implied_unit(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("metric_key"):
            data["metric_unit"] = UNITS[MetricKey(data["metric_key"])]
        return data


class DocumentFormSchema(InputSchema):
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
    metric_key = fields.Function(
        lambda e: e.metric_key.value if e.metric_key else None,
        metadata={"type": "string", "nullable": True, "enum": [*METRIC_KEYS, None]},
    )
    attachment = fields.Nested(AttachmentSchema, dump_only=True, allow_none=True)
    download_url = fields.Method(
        "_download_url", dump_only=True, metadata={"type": "string", "nullable": True}
    )
    created_by = fields.Integer(attribute="created_by_id", dump_only=True)
    created_by_name = fields.Function(
        lambda e: e.created_by.name if e.created_by else None, metadata={"type": "string"}
    )
    created_at = fields.DateTime(dump_only=True)
    review_status = fields.Function(
        lambda e: e.review_status.value, metadata={"type": "string", "enum": REVIEW_STATUSES}
    )
    reviewed_by = fields.Integer(attribute="reviewed_by_id", dump_only=True, allow_none=True)
    reviewed_by_name = fields.Function(
        lambda e: e.reviewed_by.name if e.reviewed_by else None,
        metadata={"type": "string", "nullable": True},
    )
    reviewed_at = fields.DateTime(dump_only=True, allow_none=True)
    review_comment = fields.String(dump_only=True, allow_none=True)

    def _download_url(self, evidence: Any) -> str | None:
        if evidence.attachment_id is None:
            return None
        return f"/api/v1/evidence/{evidence.id}/download"


class AcceptSchema(InputSchema):
    comment = Text(multiline=True, allow_none=True, validate=validate.Length(max=2000))


class RejectSchema(InputSchema):
    comment = NonBlank(
        multiline=True,
        required=True,
        validate=validate.Length(max=2000),
        metadata={"description": "why: the member who proposed it reads it"},
    )


class ProposalsQuerySchema(PageQuery):
    review_status = fields.String(validate=validate.OneOf(REVIEW_STATUSES))


class MetricPointSchema(OutSchema):
    at = fields.DateTime(dump_only=True)
    value = fields.Float(dump_only=True)
    evidence_id = fields.Integer(dump_only=True)


class MetricSeriesItemSchema(OutSchema):
    metric_key = fields.String(dump_only=True, metadata={"enum": METRIC_KEYS})
    unit = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    points = fields.List(fields.Nested(MetricPointSchema), dump_only=True)


class MetricSeriesSchema(OutSchema):
    series = fields.List(fields.Nested(MetricSeriesItemSchema), dump_only=True)
