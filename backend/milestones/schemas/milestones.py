"""Milestone catalogue, status per company, the toggle body and history items."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import KEYS
from milestones.schemas.base import InputSchema, OutSchema, PageQuery, Text
from milestones.schemas.metrics import MilestoneMetricsSchema

STATES = ["achieved", "current", "upcoming"]
EVENTS = [
    "toggled",
    "evidence_added",
    "evidence_removed",
    "evidence_proposed",
    "evidence_accepted",
    "evidence_rejected",
    "criterion_checked",
]


def _value(obj: object) -> str | None:
    """Enum members (or plain strings) as their API value."""
    return None if obj is None else str(getattr(obj, "value", obj))


class CriterionSchema(OutSchema):
    key = fields.String(dump_only=True)
    text = fields.String(dump_only=True)


class StatusCriterionSchema(OutSchema):
    """A criterion of a company's milestone: the catalogue's, with the coach's check."""

    key = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    met = fields.Boolean(dump_only=True)
    met_at = fields.DateTime(dump_only=True, allow_none=True)
    met_by = fields.Integer(dump_only=True, allow_none=True)
    met_by_name = fields.String(dump_only=True, allow_none=True)
    note = fields.String(dump_only=True, allow_none=True)
    evidence_count = fields.Integer(
        dump_only=True, metadata={"description": "accepted evidence naming this criterion"}
    )


class CriterionCheckSchema(InputSchema):
    met = fields.Boolean(required=True)
    note = Text(multiline=True, allow_none=True, validate=validate.Length(max=2000))


class MilestoneSchema(OutSchema):
    """One milestone of the catalogue."""

    key = fields.Function(
        lambda m: m.key.value, dump_only=True, metadata={"type": "string", "enum": list(KEYS)}
    )
    title = fields.String(dump_only=True)
    position = fields.Integer(dump_only=True)
    criteria = fields.List(fields.Nested(CriterionSchema), dump_only=True)


class MilestoneStatusSchema(OutSchema):
    milestone = fields.String(dump_only=True, metadata={"enum": list(KEYS)})
    title = fields.String(dump_only=True)
    position = fields.Integer(dump_only=True)
    achieved = fields.Boolean(dump_only=True)
    state = fields.String(dump_only=True, metadata={"enum": STATES})
    started_at = fields.DateTime(dump_only=True, allow_none=True)
    achieved_at = fields.DateTime(dump_only=True, allow_none=True)
    last_updated = fields.DateTime(dump_only=True)
    updated_by = fields.Integer(dump_only=True, allow_none=True)
    updated_by_name = fields.String(dump_only=True, allow_none=True)
    criteria = fields.List(fields.Nested(StatusCriterionSchema), dump_only=True)
    # Filled by reporting.company_metrics.statuses_with_metrics.
    metrics = fields.Nested(MilestoneMetricsSchema, dump_only=True)
    etag = fields.String(
        dump_only=True, metadata={"description": "send back as If-Match to toggle safely"}
    )
    suggested = fields.Boolean(
        dump_only=True,
        metadata={
            "description": "accepted metric evidence says this (current) milestone "
            "looks reached; never changes the status"
        },
    )
    suggestion = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "the sentence to show"}
    )


class CompanyMilestonesSchema(OutSchema):
    current_milestone = fields.String(
        dump_only=True, allow_none=True, metadata={"enum": list(KEYS)}
    )
    milestones = fields.List(fields.Nested(MilestoneStatusSchema), dump_only=True)


class ToggleSchema(InputSchema):
    achieved = fields.Boolean(required=True, metadata={"description": "the new value"})
    reason = Text(
        multiline=True,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "why; required when reverting an achieved milestone"},
    )


class HistoryQuerySchema(PageQuery):
    milestone = fields.String(validate=validate.OneOf(KEYS))


class HistoryItemSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    milestone = fields.Function(
        lambda e: _value(e.milestone), metadata={"type": "string", "enum": list(KEYS)}
    )
    event = fields.Function(lambda e: _value(e.event), metadata={"type": "string", "enum": EVENTS})
    previous = fields.Boolean(dump_only=True, allow_none=True)
    achieved = fields.Boolean(dump_only=True, allow_none=True)
    reason = fields.String(dump_only=True, allow_none=True)
    actor_id = fields.Integer(dump_only=True)
    actor_name = fields.Function(
        lambda e: e.actor.name if e.actor else None, metadata={"type": "string"}
    )
    evidence_id = fields.Integer(dump_only=True, allow_none=True)
    criterion = fields.String(dump_only=True, allow_none=True)
    evidence_title = fields.Function(
        lambda e: e.evidence.title if e.evidence else None,
        metadata={"type": "string", "nullable": True},
    )
    created_at = fields.DateTime(dump_only=True)
