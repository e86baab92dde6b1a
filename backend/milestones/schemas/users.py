from __future__ import annotations

from marshmallow import fields, validate

from milestones.models import Role
from milestones.schemas.base import Email, InputSchema, NonBlank, OutSchema, PageQuery, Text

ROLES = [r.value for r in Role]


class UserSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    role = fields.String(dump_only=True, metadata={"enum": ROLES})
    company_ids = fields.List(fields.Integer(), dump_only=True)
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class UserCreateSchema(InputSchema):
    email = Email(required=True, validate=validate.Length(max=254))
    name = NonBlank(required=True, validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(load_only=True, validate=validate.Length(min=10, max=256))


class UserPatchSchema(InputSchema):
    email = Email(validate=validate.Length(max=254))
    name = NonBlank(validate=validate.Length(max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()
    password = fields.String(load_only=True, validate=validate.Length(min=10, max=256))


class UserQuerySchema(PageQuery):
    role = fields.String(validate=validate.OneOf(ROLES))
    q = Text(validate=validate.Length(max=200), metadata={"description": "search name or e-mail"})
    active = fields.Boolean()
