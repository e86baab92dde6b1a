from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import KEYS
from milestones.schemas.base import (
    InputSchema,
    NonBlank,
    OutSchema,
    PageQuery,
    Text,
    UtcDateTime,
)
from milestones.schemas.cohorts import DB_INT


class CompanySchema(OutSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    joined_at = fields.DateTime(dump_only=True)
    current_milestone = fields.String(
        dump_only=True, allow_none=True, metadata={"enum": list(KEYS)}
    )
    cohort_id = fields.Integer(dump_only=True, allow_none=True)
    coach_ids = fields.List(fields.Integer(), dump_only=True)
    member_ids = fields.List(fields.Integer(), dump_only=True)


class CompanyCreateSchema(InputSchema):
    name = NonBlank(required=True, validate=validate.Length(max=200))
    description = Text(multiline=True, load_default="", validate=validate.Length(max=10_000))
    joined_at = UtcDateTime(default_timezone=None)
    cohort_id = fields.Integer(allow_none=True, validate=DB_INT)


class CompanyPatchSchema(InputSchema):
    name = NonBlank(validate=validate.Length(max=200))
    description = Text(multiline=True, validate=validate.Length(max=10_000))
    joined_at = UtcDateTime()
    cohort_id = fields.Integer(allow_none=True, validate=DB_INT)


class CompanyQuerySchema(PageQuery):
    q = Text(validate=validate.Length(max=200), metadata={"description": "search by name"})
