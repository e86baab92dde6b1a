"""Programme settings: the shape read by everyone signed in, the admins' PATCH body."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.schemas.base import InputSchema, OutSchema

_DAYS = validate.Range(min=1, max=3650)

_HELP = {
    "stall_factor": "A company stalls after this many times the programme's median days "
    "in its current milestone (1 to 10).",
    "stall_min_days": "Never call a company stalled before this many days (1 to 3650); "
    "also the threshold while a milestone has no median yet.",
    "stale_review_days": "A submitted task or pending update older than this many days "
    "is a review waiting (1 to 3650).",
    "inactive_days": "A company with no activity for this many days is inactive (1 to 3650).",
    "digest_weekday": "ISO weekday of the weekly digests, 1 = Monday to 7 = Sunday.",
    "digest_hour_utc": "Hour (UTC, 0 to 23) at which the weekly digests go out.",
    "require_all_criteria": "Achieving a milestone needs every one of its criteria met.",
}


def _d(name: str) -> dict[str, str]:
    return {"description": _HELP[name]}


class SettingsSchema(OutSchema):
    stall_factor = fields.Float(metadata=_d("stall_factor"))
    stall_min_days = fields.Integer(metadata=_d("stall_min_days"))
    stale_review_days = fields.Integer(metadata=_d("stale_review_days"))
    inactive_days = fields.Integer(metadata=_d("inactive_days"))
    digest_weekday = fields.Integer(metadata=_d("digest_weekday"))
    digest_hour_utc = fields.Integer(metadata=_d("digest_hour_utc"))
    require_all_criteria = fields.Boolean(metadata=_d("require_all_criteria"))


class SettingsPatchSchema(InputSchema):
    stall_factor = fields.Float(
        allow_nan=False, validate=validate.Range(min=1, max=10), metadata=_d("stall_factor")
    )
    stall_min_days = fields.Integer(strict=True, validate=_DAYS, metadata=_d("stall_min_days"))
    stale_review_days = fields.Integer(
        strict=True, validate=_DAYS, metadata=_d("stale_review_days")
    )
    inactive_days = fields.Integer(strict=True, validate=_DAYS, metadata=_d("inactive_days"))
    digest_weekday = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=7), metadata=_d("digest_weekday")
    )
    digest_hour_utc = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=23), metadata=_d("digest_hour_utc")
    )
    require_all_criteria = fields.Boolean(metadata=_d("require_all_criteria"))
