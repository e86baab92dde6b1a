"""Across companies (SPEC "Metrics"; scope: what the caller may see): per milestone, the
companies that started it, achieved it, are in it now, and the mean and median whole
days (started_at -> achieved_at, as days_in_milestone shows them) of those that achieved
it. One statement; the median is sql.dialect.median on either database.

Over the whole programme (an admin's view of every company) the same aggregate is kept
ready in milestone_medians, by the transactions that write statuses
(services/company_stats.py), so that view reads five rows whatever the programme's size.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones import catalogue
from milestones.auth.policies import scope, sees_every_company
from milestones.extensions import db
from milestones.models import Company, MilestoneMedian, MilestoneStatus, Role, User
from milestones.sql.aggregates import count
from milestones.sql.dialect import median, whole_days


def milestone_analytics(viewer: User, cohort_id: int | None = None) -> dict[str, Any]:
    """{"milestones": [{milestone, started, achieved, in_progress, avg_days,
    median_days}]}, in catalogue order, every milestone present; over the companies of
    one cohort when `cohort_id` is given."""
    if cohort_id is None and sees_every_company(viewer.role):
        rows = db.session.execute(_programme_stmt())
    else:
        params = {"viewer_id": viewer.id, "cohort_id": cohort_id}
        rows = db.session.execute(_analytics_stmt(viewer.role, cohort_id is not None), params)
    by_key = {r["milestone"]: dict(r) for r in rows.mappings()}
    return {"milestones": [_analytics_row(key, by_key.get(key)) for key in catalogue.ORDER]}


def achieved_days() -> ColumnElement[int | None]:
    """The whole days a status took to be achieved; NULL while not achieved."""
    s = MilestoneStatus
    return sa.case((s.achieved.is_(True), whole_days(s.started_at, s.achieved_at)))


def in_cohort(column: Any) -> ColumnElement[bool]:
    """`column` (a company id) is one of the companies of cohort `cohort_id` (parameter)."""
    cohort_id = sa.bindparam("cohort_id", type_=sa.Integer())
    return column.in_(sa.select(Company.id).where(Company.cohort_id == cohort_id))


def aggregates(src: Any) -> list[ColumnElement[Any]]:
    """Over a subquery of statuses (milestone, started_at, achieved, days): started,
    achieved, in progress, mean and median days, labelled as SPEC's analytics names
    them."""
    achieved = src.c.achieved.is_(True)
    started = src.c.started_at.is_not(None)
    return [
        count(started).label("started"),
        count(achieved).label("achieved"),
        count(sa.and_(started, sa.not_(achieved))).label("in_progress"),
        sa.func.avg(src.c.days).label("avg_days"),
        median(src.c.days).label("median_days"),
    ]


def statuses(*extra: Any) -> sa.Select[Any]:
    """The statuses' columns that aggregates() reads (after `extra` ones), to filter."""
    s = MilestoneStatus
    return sa.select(*extra, s.milestone, s.started_at, s.achieved, achieved_days().label("days"))


@cache
def _analytics_stmt(role: Role, cohort: bool = False) -> sa.Select[Any]:
    s = MilestoneStatus
    where = [scope(role, s.company_id), *([in_cohort(s.company_id)] if cohort else [])]
    src = statuses().where(*where).subquery("s")
    return sa.select(src.c.milestone, *aggregates(src)).group_by(src.c.milestone)


@cache
def _programme_stmt() -> Any:
    """The whole programme's analytics, as milestone_medians keeps them."""
    m = MilestoneMedian
    return sa.select(
        m.milestone,
        m.started,
        m.achievers.label("achieved"),
        m.in_progress,
        m.avg_days,
        m.median_days_any.label("median_days"),
    )


def _analytics_row(key: catalogue.MilestoneKey, row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {
        "milestone": key.value,
        "started": row.get("started") or 0,
        "achieved": row.get("achieved") or 0,
        "in_progress": row.get("in_progress") or 0,
        "avg_days": None if row.get("avg_days") is None else float(row["avg_days"]),
        "median_days": None if row.get("median_days") is None else float(row["median_days"]),
    }
