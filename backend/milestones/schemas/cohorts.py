"""Cohorts: the programme's intakes."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.schemas.base import InputSchema, NonBlank, OutSchema

# What an INTEGER column holds: a larger id in a filter is a 422, not a database error.
DB_INT = validate.Range(min=1, max=2**31 - 1)


def cohort_id_field(**kwargs: object) -> fields.Integer:
    return fields.Integer(validate=DB_INT, **kwargs)  # type: ignore[arg-type]


class CohortSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True, allow_none=True)
    company_count = fields.Integer(
        dump_only=True, metadata={"description": "its companies the caller may see"}
    )


class CohortCreateSchema(InputSchema):
    name = NonBlank(required=True, validate=validate.Length(max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, metadata={"description": "on or after starts_on"})


class CohortPatchSchema(InputSchema):
    name = NonBlank(validate=validate.Length(max=200))
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
