"""Share links (staff) and the shared page (anyone with the token)."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import KEYS
from milestones.models import EvidenceType
from milestones.schemas.base import InputSchema, OutSchema, Text, UtcDateTime


class ShareLinkCreateSchema(InputSchema):
    label = Text(load_default="", validate=validate.Length(max=200))
    expires_at = UtcDateTime(
        load_default=None, allow_none=True, metadata={"description": "none: never expires"}
    )
    include_reasons = fields.Boolean(load_default=False)
    for_stakeholders = fields.Boolean(
        load_default=False,
        metadata={"description": "linked from stakeholders' mails (one active per company)"},
    )


class ShareLinkSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    label = fields.String(dump_only=True)
    url = fields.String(
        dump_only=True,
        allow_none=True,
        dump_default=None,
        metadata={"description": "only in the creation response (it carries the token)"},
    )
    include_reasons = fields.Boolean(dump_only=True)
    for_stakeholders = fields.Boolean(dump_only=True)
    created_by = fields.Integer(dump_only=True, allow_none=True, attribute="created_by_id")
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)
    last_viewed_at = fields.DateTime(dump_only=True, allow_none=True)
    view_count = fields.Integer(dump_only=True)


class ShareLinkCreatedSchema(ShareLinkSchema):
    token = fields.String(dump_only=True, metadata={"description": "shown this once"})


class SharedCompanySchema(OutSchema):
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    current_milestone = fields.String(
        dump_only=True, allow_none=True, metadata={"enum": list(KEYS)}
    )


class SharedEvidenceSchema(OutSchema):
    title = fields.String(dump_only=True)
    evidence_type = fields.String(
        dump_only=True, metadata={"enum": [t.value for t in EvidenceType]}
    )
    url = fields.String(dump_only=True, allow_none=True)
    metric_key = fields.String(dump_only=True, allow_none=True)
    metric_value = fields.Float(dump_only=True, allow_none=True)
    metric_unit = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class SharedMilestoneSchema(OutSchema):
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    title = fields.String(dump_only=True)
    state = fields.String(dump_only=True, metadata={"enum": ["achieved", "current", "upcoming"]})
    started_at = fields.DateTime(dump_only=True, allow_none=True)
    achieved_at = fields.DateTime(dump_only=True, allow_none=True)
    days_in_milestone = fields.Integer(dump_only=True)
    evidence = fields.List(fields.Nested(SharedEvidenceSchema), dump_only=True)


class SharedAchievementSchema(OutSchema):
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    achieved = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    reason = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "only with include_reasons"}
    )


class SharedPageSchema(OutSchema):
    company = fields.Nested(SharedCompanySchema, dump_only=True)
    milestones = fields.List(fields.Nested(SharedMilestoneSchema), dump_only=True)
    achievements = fields.List(fields.Nested(SharedAchievementSchema), dump_only=True)
    include_reasons = fields.Boolean(dump_only=True)
