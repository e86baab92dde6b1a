"""The review queue and bulk decisions."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from milestones.catalogue import KEYS
from milestones.schemas.base import InputSchema, OutSchema, Text
from milestones.services.reviews import APPROVE, KINDS, OUTCOMES, REJECT

KIND_NAMES = list(KINDS)
MAX_ITEMS = 100
MAX_ID = 2**31 - 1


class PendingItemSchema(OutSchema):
    kind = fields.String(dump_only=True, metadata={"enum": KIND_NAMES})
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    company_name = fields.String(dump_only=True)
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    title = fields.String(dump_only=True)
    excerpt = fields.String(dump_only=True)
    author_id = fields.Integer(dump_only=True)
    author_name = fields.String(dump_only=True)
    submitted_at = fields.DateTime(dump_only=True)
    age_days = fields.Integer(dump_only=True, metadata={"description": "whole days waiting"})


class ReviewItemSchema(InputSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KIND_NAMES))
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID))


class BulkReviewSchema(InputSchema):
    decision = fields.String(required=True, validate=validate.OneOf([APPROVE, REJECT]))
    comment = Text(
        multiline=True,
        allow_none=True,
        validate=validate.Length(max=2_000),
        metadata={"description": "required to reject; recorded on every item"},
    )
    items = fields.List(
        fields.Nested(ReviewItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ITEMS),
        metadata={"description": f"1 to {MAX_ITEMS} items, reviewed in this order"},
    )

    @validates_schema
    def _comment_to_reject(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("decision") == REJECT and not data.get("comment"):
            raise ValidationError("A comment is required to reject.", field_name="comment")


class ReviewResultSchema(OutSchema):
    kind = fields.String(dump_only=True, metadata={"enum": KIND_NAMES})
    id = fields.Integer(dump_only=True)
    outcome = fields.String(dump_only=True, metadata={"enum": [*OUTCOMES.values(), "error"]})
    code = fields.String(
        dump_only=True, metadata={"description": "with an error: not_pending, not_found, ..."}
    )
    message = fields.String(dump_only=True)


class BulkReviewResultSchema(OutSchema):
    results = fields.List(fields.Nested(ReviewResultSchema), dump_only=True)
