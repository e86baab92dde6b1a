"""GET /analytics/cohorts: the across-companies figures of /analytics/milestones, per
cohort, side by side. One statement; scope as analytics (the companies the viewer sees).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import scope
from milestones.extensions import db
from milestones.models import Cohort, Company, MilestoneStatus, Role, User
from milestones.reporting.analytics import _analytics_row, aggregates, statuses
from milestones.sql.aggregates import count


def cohort_analytics(viewer: User) -> dict[str, Any]:
    """{cohorts: [{cohort_id, name, starts_on, ends_on, companies, milestones: [five
    analytics rows]}]} in cohort order (start date, then id). Admins get every cohort,
    empty ones too; others the cohorts holding a company they see, counted over those
    companies only."""
    cohorts: dict[int, dict[str, Any]] = {}
    rows: dict[int, dict[str, Any]] = {}
    result = db.session.execute(_cohorts_stmt(viewer.role), {"viewer_id": viewer.id})
    for row in result.mappings():
        cohort = cohorts.setdefault(
            row["cohort_id"],
            {
                "cohort_id": row["cohort_id"],
                "name": row["name"],
                "starts_on": row["starts_on"],
                "ends_on": row["ends_on"],
                "companies": 0,
            },
        )
        if row["milestone"] is not None:
            cohort["companies"] = max(cohort["companies"], row["companies"])
            rows.setdefault(row["cohort_id"], {})[row["milestone"]] = dict(row)
    for cohort_id, cohort in cohorts.items():
        by_key = rows.get(cohort_id, {})
        cohort["milestones"] = [_analytics_row(k, by_key.get(k)) for k in catalogue.ORDER]
    return {"cohorts": list(cohorts.values())}


def _aggregate(role: Role) -> sa.Subquery:
    """Per cohort and milestone, over the viewer's companies in a cohort: companies (each
    has one status per milestone), started, achieved, in progress, mean and median days."""
    s = MilestoneStatus
    src = (
        statuses(Company.cohort_id)
        .join(Company, Company.id == s.company_id)
        .where(scope(role, s.company_id), Company.cohort_id.is_not(None))
        .subquery("s")
    )
    return (
        sa.select(src.c.cohort_id, src.c.milestone, count().label("companies"), *aggregates(src))
        .group_by(src.c.cohort_id, src.c.milestone)
        .subquery("agg")
    )


@cache
def _cohorts_stmt(role: Role) -> sa.Select[Any]:
    agg = _aggregate(role)
    stmt = sa.select(
        Cohort.id.label("cohort_id"),
        Cohort.name,
        Cohort.starts_on,
        Cohort.ends_on,
        *(column for column in agg.c if column.name != "cohort_id"),
    ).order_by(Cohort.starts_on, Cohort.id)
    if role == Role.ADMIN:
        return stmt.outerjoin(agg, agg.c.cohort_id == Cohort.id)
    return stmt.join(agg, agg.c.cohort_id == Cohort.id)
