"""Cohort comparison, the activity log and the exports' query strings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from marshmallow import ValidationError, fields, validate

from milestones.catalogue import KEYS
from milestones.schemas.base import OutSchema, PageQuery
from milestones.schemas.cohorts import DB_INT
from milestones.schemas.metrics import AnalyticsRowSchema
from milestones.schemas.milestones import EVENTS

MILESTONE_ENUM = {"enum": list(KEYS)}


class CohortAnalyticsSchema(OutSchema):
    cohort_id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True, allow_none=True)
    companies = fields.Integer(dump_only=True, metadata={"description": "visible to the caller"})
    milestones = fields.List(fields.Nested(AnalyticsRowSchema), dump_only=True)


class CohortComparisonSchema(OutSchema):
    cohorts = fields.List(fields.Nested(CohortAnalyticsSchema), dump_only=True)


class Moment(fields.DateTime):
    """An ISO 8601 time (UTC when it names no zone) or a whole day. A day means its start
    (00:00 UTC) for `since`, and its end (the next day's 00:00 UTC, excluded) for `until`,
    so `until=2026-03-31` takes in all of the 31st."""

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, str) and len(value) == 10:
            try:
                day = datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                raise ValidationError("Not a valid date or time.") from None
            start = datetime.combine(day, time(), tzinfo=UTC)
            if not self.end_of_day:
                return start
            if day == date.max:  # the day after 9999-12-31 does not exist: no bound
                raise ValidationError("Must be before 9999-12-31.")
            return start + timedelta(days=1)
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            return result.replace(tzinfo=result.tzinfo or UTC).astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 lies before year 1 in UTC
            raise ValidationError("Out of range.") from None


class ActivityQuerySchema(PageQuery):
    company_id = fields.Integer(validate=DB_INT)
    actor_id = fields.Integer(validate=DB_INT)
    event = fields.String(validate=validate.OneOf(EVENTS))
    milestone = fields.String(validate=validate.OneOf(KEYS))
    since = Moment(metadata={"description": "from this time (or day) on, included"})
    until = Moment(
        end_of_day=True, metadata={"description": "before this time; a day is included whole"}
    )


class ActivityItemSchema(OutSchema):
    """A history item of /companies/{id}/history, with its company."""

    id = fields.Integer(dump_only=True)
    milestone = fields.String(dump_only=True, metadata=MILESTONE_ENUM)
    event = fields.String(dump_only=True, metadata={"enum": EVENTS})
    previous = fields.Boolean(dump_only=True, allow_none=True)
    achieved = fields.Boolean(dump_only=True, allow_none=True)
    reason = fields.String(dump_only=True, allow_none=True)
    actor_id = fields.Integer(dump_only=True)
    actor_name = fields.String(dump_only=True)
    evidence_id = fields.Integer(dump_only=True, allow_none=True)
    evidence_title = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    company_name = fields.String(dump_only=True)
