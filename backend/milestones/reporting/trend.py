"""The company trend (SPEC "Metrics"): approved task completions and approved progress
updates per ISO week, the last TREND_WEEKS weeks, this week last."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa

from milestones.models import ProgressUpdate, Task, TaskStatus, UpdateStatus
from milestones.models.base import UTCDateTime
from milestones.reporting.common import company_id_param
from milestones.sql.dialect import int_const, is_, iso_week
from milestones.timeutil import utcnow

TREND_WEEKS = 12


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def trend_weeks(today: date) -> list[date]:
    """The Mondays of the last TREND_WEEKS ISO weeks, oldest first, this week last."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=TREND_WEEKS - 1 - i) for i in range(TREND_WEEKS)]


def trend_params(company_id: int) -> dict[str, Any]:
    """The parameters of trend_stmt (and `now`) for one company, today."""
    mondays = trend_weeks(utcnow().date())
    first = mondays[0]
    return {
        "company_id": company_id,
        "now": utcnow(),
        "since": datetime(first.year, first.month, first.day, tzinfo=UTC),
        **{f"week{i}": iso_week_label(monday) for i, monday in enumerate(mondays)},
    }


@cache
def trend_stmt() -> sa.Select[Any]:
    """Rows (idx, week, completed_tasks, approved_updates), oldest week first.

    Parameters: company_id, since (Monday 00:00 of the first week), week0..week11 (the
    labels of the weeks, oldest first)."""
    company_id = company_id_param()
    since = sa.bindparam("since", type_=UTCDateTime())
    weeks = sa.union_all(
        *(
            sa.select(
                int_const(i).label("idx"),
                sa.bindparam(f"week{i}", type_=sa.String()).label("week"),
            )
            for i in range(TREND_WEEKS)
        )
    ).subquery("weeks")
    events = sa.union_all(
        sa.select(
            iso_week(Task.completed_at).label("week"),
            int_const(1).label("task"),
            int_const(0).label("update"),
        ).where(
            Task.company_id == company_id,
            is_(Task.status, TaskStatus.APPROVED),
            Task.completed_at >= since,
        ),
        sa.select(
            iso_week(ProgressUpdate.reviewed_at).label("week"),
            int_const(0).label("task"),
            int_const(1).label("update"),
        ).where(
            ProgressUpdate.company_id == company_id,
            is_(ProgressUpdate.status, UpdateStatus.APPROVED),
            ProgressUpdate.reviewed_at >= since,
        ),
    ).subquery("ev")
    per_week = (
        sa.select(
            events.c.week,
            sa.func.sum(events.c.task).label("tasks"),
            sa.func.sum(events.c.update).label("updates"),
        )
        .group_by(events.c.week)
        .subquery("pw")
    )
    return (
        sa.select(
            weeks.c.idx,
            weeks.c.week,
            sa.func.coalesce(per_week.c.tasks, int_const(0)).label("completed_tasks"),
            sa.func.coalesce(per_week.c.updates, int_const(0)).label("approved_updates"),
        )
        .select_from(weeks)
        .outerjoin(per_week, per_week.c.week == weeks.c.week)
        .order_by(weeks.c.idx)
    )
