"""A signed-in person's notification preferences."""

from __future__ import annotations

from marshmallow import fields

from milestones.schemas.base import InputSchema, OutSchema

_MILESTONE = "mail me when a milestone of my companies is reached or reverted"
_DIGEST = "send me the weekly digest"


class PreferencesSchema(OutSchema):
    milestone_mail = fields.Boolean(dump_only=True, metadata={"description": _MILESTONE})
    weekly_digest = fields.Boolean(dump_only=True, metadata={"description": _DIGEST})


class PreferencesPatchSchema(InputSchema):
    milestone_mail = fields.Boolean(metadata={"description": _MILESTONE})
    weekly_digest = fields.Boolean(metadata={"description": _DIGEST})
