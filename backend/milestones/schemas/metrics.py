from __future__ import annotations

from marshmallow import fields, validate

from milestones.catalogue import ALL_ACHIEVED, KEYS
from milestones.reporting.attention import REASONS
from milestones.schemas.base import OutSchema, PageQuery, Text
from milestones.schemas.cohorts import cohort_id_field

MILESTONE_ENUM = {"enum": list(KEYS)}


class MilestoneMetricsSchema(OutSchema):
    """The brief's MilestoneMetrics; days as whole days, times as float days, rates 0..1."""

    days_in_milestone = fields.Integer(dump_only=True)
    total_tasks = fields.Integer(dump_only=True)
    completed_tasks = fields.Integer(dump_only=True)
    active_tasks = fields.Integer(dump_only=True)
    avg_task_completion_time = fields.Float(dump_only=True, allow_none=True)
    progress_update_count = fields.Integer(dump_only=True)
    evidence_count = fields.Integer(dump_only=True)
    approved_updates = fields.Integer(dump_only=True)
    pending_updates = fields.Integer(dump_only=True)
    rejected_updates = fields.Integer(dump_only=True)
    update_approval_rate = fields.Float(dump_only=True, allow_none=True)
    task_approval_rate = fields.Float(dump_only=True, allow_none=True)


class MilestoneMetricsRowSchema(MilestoneMetricsSchema):
    milestone = fields.String(dump_only=True, metadata=MILESTONE_ENUM)


class TrendWeekSchema(OutSchema):
    week = fields.String(dump_only=True, metadata={"example": "2026-W47"})
    completed_tasks = fields.Integer(dump_only=True)
    approved_updates = fields.Integer(dump_only=True)


class CompanyMetricsSchema(OutSchema):
    milestones = fields.List(fields.Nested(MilestoneMetricsRowSchema), dump_only=True)
    trend = fields.List(fields.Nested(TrendWeekSchema), dump_only=True)


class PortfolioRowSchema(OutSchema):
    company_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    current_milestone = fields.String(dump_only=True, allow_none=True, metadata=MILESTONE_ENUM)
    days_in_milestone = fields.Integer(dump_only=True, allow_none=True)
    achieved_count = fields.Integer(dump_only=True)
    total_tasks = fields.Integer(dump_only=True)
    completed_tasks = fields.Integer(dump_only=True)
    active_tasks = fields.Integer(dump_only=True)
    pending_approvals = fields.Integer(dump_only=True)
    last_activity = fields.DateTime(dump_only=True)
    attention = fields.List(
        fields.String(metadata={"enum": list(REASONS)}),
        dump_only=True,
        metadata={
            "description": "why the company needs attention, in this order: "
            + ", ".join(REASONS)
            + " (empty when none)"
        },
    )
    stall_threshold_days = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "days in the current milestone from which it is stalled"},
    )
    median_days = fields.Float(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "the programme's median days to achieve the current "
            "milestone (null with fewer than 3 achievers)"
        },
    )
    oldest_pending_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "when the oldest submitted task or pending update was sent"},
    )
    suggested_milestone = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            **MILESTONE_ENUM,
            "description": "the current milestone when accepted metric evidence suggests it "
            "is reached (see the status's `suggestion`)",
        },
    )
    cohort_id = fields.Integer(dump_only=True, allow_none=True)


PORTFOLIO_SORTS = (
    "name",
    "current_milestone",
    "days_in_milestone",
    "pending_approvals",
    "achieved_count",
    "last_activity",
    "attention",  # most reasons first, then furthest over the stall threshold
)
SORT_VALUES = [*PORTFOLIO_SORTS, *(f"-{s}" for s in PORTFOLIO_SORTS)]


class PortfolioQuerySchema(PageQuery):
    q = Text(validate=validate.Length(max=200), metadata={"description": "search by name"})
    milestone = fields.String(
        validate=validate.OneOf([*KEYS, ALL_ACHIEVED]),
        metadata={"description": f"current milestone, or {ALL_ACHIEVED!r}"},
    )
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(SORT_VALUES),
        metadata={"description": "a leading '-' sorts descending"},
    )
    order = fields.String(
        validate=validate.OneOf(["asc", "desc"]),
        metadata={"description": "overrides the direction given by sort"},
    )
    attention = fields.Boolean(
        metadata={"description": "true: only companies with at least one attention reason"}
    )
    cohort_id = cohort_id_field(metadata={"description": "only the companies of this cohort"})


class AnalyticsQuerySchema(PageQuery):
    cohort_id = cohort_id_field(metadata={"description": "only the companies of this cohort"})


class AnalyticsRowSchema(OutSchema):
    milestone = fields.String(dump_only=True, metadata=MILESTONE_ENUM)
    started = fields.Integer(dump_only=True)
    achieved = fields.Integer(dump_only=True)
    in_progress = fields.Integer(dump_only=True)
    avg_days = fields.Float(dump_only=True, allow_none=True)
    median_days = fields.Float(dump_only=True, allow_none=True)


class AnalyticsSchema(OutSchema):
    milestones = fields.List(fields.Nested(AnalyticsRowSchema), dump_only=True)
