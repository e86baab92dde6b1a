from __future__ import annotations

from marshmallow import fields, validate

from milestones.auth.abilities import ALL_ABILITIES, abilities
from milestones.auth.session import csrf_token
from milestones.schemas.base import InputSchema, OutSchema
from milestones.schemas.users import UserSchema


class LoginSchema(InputSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class MeSchema(UserSchema):
    csrf_token = fields.Function(
        lambda _user: csrf_token(), dump_only=True, metadata={"type": "string"}
    )
    abilities = fields.Function(
        abilities,
        dump_only=True,
        metadata={
            "type": "array",
            "items": {"type": "string", "enum": list(ALL_ABILITIES)},
            "description": "what the role may do (auth/abilities.py); company actions "
            "apply to `company_ids`, or to every company with `view_all_companies`",
        },
    )


class HealthSchema(OutSchema):
    status = fields.String()
    checks = fields.Dict(keys=fields.String(), values=fields.String())


class PingSchema(OutSchema):
    pong = fields.Boolean(dump_only=True)
    user_id = fields.Integer(dump_only=True)
