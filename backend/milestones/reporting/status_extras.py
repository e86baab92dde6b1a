"""What the statuses view shows beyond MilestoneMetrics, read in its one statement:

- per criterion, the accepted evidence naming it: counted in the metrics' own evidence
  aggregate (columns crit_0..crit_3, criterion_counts());
- the coach's checks: one row per status pivoted by criterion slot, joined on the status;
- the latest watched metrics behind a suggestion: uncorrelated scalar subqueries (each
  computed once per statement).

Few joins on purpose: every relation added to the statement's join list costs the
planner more than its rows cost the executor.

Criterion keys are unique across the catalogue and evidence (or a check) names only a
criterion of its own milestone, so "the i-th criterion" is one IN list over the five
milestones."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.models import CriterionCheck, Evidence, MilestoneStatus, User
from milestones.reporting import suggestions
from milestones.sql.dialect import const

WIDTH = max(len(m.criteria) for m in catalogue.CATALOGUE)
SLOTS = tuple(f"crit_{i}" for i in range(WIDTH))
_CHECK_FIELDS = ("met", "met_at", "met_by", "met_by_name", "note")
_LATEST = tuple(name for k in suggestions.WATCHED for name in (k.value, f"{k.value}_at"))


def _slot(column: Any, i: int) -> Any:
    keys = [m.criteria[i].key for m in catalogue.CATALOGUE if i < len(m.criteria)]
    return column.in_([const(k) for k in keys])


def criterion_counts() -> list[Any]:
    """Aggregates for the metrics' evidence subquery (accepted, not removed evidence of a
    milestone): crit_i, the items naming its i-th criterion."""
    return [
        sa.func.count().filter(_slot(Evidence.criterion, i)).label(s) for i, s in enumerate(SLOTS)
    ]


def _checks(company_id: Any) -> Any:
    """Per status of the company: for each criterion slot, met, met_at, met_by and the
    name of who ticked it, and the note."""
    c = CriterionCheck
    columns: list[Any] = [c.status_id]
    for i in range(WIDTH):
        mine = _slot(c.criterion, i)
        columns += [
            sa.func.count().filter(sa.and_(mine, c.met.is_(True))).label(f"met_{i}"),
            sa.func.max(sa.case((mine, c.met_at))).label(f"met_at_{i}"),
            sa.func.max(sa.case((mine, c.met_by_id))).label(f"met_by_{i}"),
            sa.func.max(sa.case((mine, User.name))).label(f"met_by_name_{i}"),
            sa.func.max(sa.case((mine, c.note))).label(f"note_{i}"),
        ]
    return (
        sa.select(*columns)
        .select_from(c)
        .outerjoin(User, User.id == c.met_by_id)
        .where(c.company_id == company_id)
        .group_by(c.status_id)
        .subquery("checks")
    )


def _latest(company_id: Any) -> list[Any]:
    e = Evidence
    columns = []
    for key in suggestions.WATCHED:
        latest = suggestions.latest_of(key, company_id)
        for name, column in ((key.value, e.metric_value), (f"{key.value}_at", e.created_at)):
            columns.append(
                latest.with_only_columns(column).scalar_subquery().label(f"latest_{name}")
            )
    return columns


def extend(stmt: sa.Select[Any], company_id: Any) -> sa.Select[Any]:
    """The statuses statement (with crit_i columns) plus the checks and latest metrics."""
    checks = _checks(company_id)
    return stmt.outerjoin(checks, checks.c.status_id == MilestoneStatus.id).add_columns(
        *(
            checks.c[f"{f}_{i}"].label(f"check_{f}_{i}")
            for i in range(WIDTH)
            for f in _CHECK_FIELDS
        ),
        *_latest(company_id),
    )


Extras = tuple[list[int], list[dict[str, Any]], dict[str, Any]]


def read(row: Any) -> Extras:
    """(evidence count per criterion, the coach's check per criterion, latest watched
    metrics) from one row of extend(). An unchecked criterion reads as not met."""
    m = row._mapping
    counts = [int(m[s] or 0) for s in SLOTS]
    checks = [
        {
            **{f: m[f"check_{f}_{i}"] for f in _CHECK_FIELDS},
            "met": bool(m[f"check_met_{i}"]),
        }
        for i in range(WIDTH)
    ]
    return counts, checks, {name: m[f"latest_{name}"] for name in _LATEST}
