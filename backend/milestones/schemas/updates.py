from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import KEYS
from milestones.models import UpdateStatus
from milestones.schemas.base import InputSchema, NonBlank, OutSchema, PageQuery

UPDATE_STATUSES = [s.value for s in UpdateStatus]


class UpdateSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    task_id = fields.Integer(dump_only=True, allow_none=True)
    body = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": UPDATE_STATUSES})
    created_by = fields.Integer(attribute="created_by_id", dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    reviewed_by = fields.Integer(attribute="reviewed_by_id", dump_only=True, allow_none=True)
    reviewed_at = fields.DateTime(dump_only=True, allow_none=True)
    review_comment = fields.String(dump_only=True, allow_none=True)


class UpdateCreateSchema(InputSchema):
    body = NonBlank(required=True, validate=validate.Length(max=10_000))
    milestone = fields.String(
        validate=validate.OneOf(KEYS),
        metadata={"description": "default: the company's current milestone"},
    )
    task_id = fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={"description": "a task of the same company"},
    )


class UpdateQuerySchema(PageQuery):
    milestone = fields.String(validate=validate.OneOf(KEYS))
    status = fields.String(validate=validate.OneOf(UPDATE_STATUSES))
