from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import KEYS
from milestones.models import TaskStatus
from milestones.schemas.base import InputSchema, NonBlank, OutSchema, PageQuery, Text

TASK_STATUSES = [s.value for s in TaskStatus]


class TaskSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": TASK_STATUSES})
    created_by = fields.Integer(attribute="created_by_id", dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    submitted_by = fields.Integer(attribute="submitted_by_id", dump_only=True, allow_none=True)
    completed_at = fields.DateTime(dump_only=True, allow_none=True)
    cancelled_at = fields.DateTime(dump_only=True, allow_none=True)
    review_comment = fields.String(
        attribute="last_review_comment",
        dump_only=True,
        allow_none=True,
        metadata={"description": "the coach's comment on the latest review"},
    )


class TaskCreateSchema(InputSchema):
    title = NonBlank(required=True, validate=validate.Length(max=200))
    description = Text(multiline=True, load_default="", validate=validate.Length(max=10_000))
    milestone = fields.String(
        validate=validate.OneOf(KEYS),
        metadata={"description": "default: the company's current milestone"},
    )


class TaskQuerySchema(PageQuery):
    milestone = fields.String(validate=validate.OneOf(KEYS))
    status = fields.String(validate=validate.OneOf(TASK_STATUSES))


class ReviewSchema(InputSchema):
    comment = Text(multiline=True, allow_none=True, validate=validate.Length(max=2_000))


class EmptyBodySchema(InputSchema):
    """Transitions without a payload: an empty JSON object (or no body at all)."""
