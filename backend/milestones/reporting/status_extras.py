"""What the statuses view shows beyond MilestoneMetrics, read in its one statement: each
criterion's accepted evidence count and the coach's checks (joined), and the latest
watched metrics behind a suggestion (one row, cross-joined)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from milestones import catalogue
from milestones.models import CriterionCheck, Evidence, MilestoneStatus, ReviewStatus
from milestones.reporting import suggestions
from milestones.sql.dialect import const, int_const, is_

WIDTH = max(len(m.criteria) for m in catalogue.CATALOGUE)
_SLOTS = tuple(f"crit_{i}" for i in range(WIDTH))
_LATEST = tuple(name for k in suggestions.WATCHED for name in (k.value, f"{k.value}_at"))


def _criteria_evidence(company_id: Any) -> Any:
    """Per milestone of the company (`company_id`, a bound parameter): crit_0..crit_3, the
    accepted evidence naming its i-th criterion. Criterion keys are unique across the
    catalogue and evidence names only a criterion of its own milestone, so "the i-th
    criterion" is one IN list over the five milestones."""
    e = Evidence
    columns = []
    for i, slot in enumerate(_SLOTS):
        keys = [m.criteria[i].key for m in catalogue.CATALOGUE if i < len(m.criteria)]
        named = e.criterion.in_([const(k) for k in keys])
        columns.append(sa.func.count().filter(named).label(slot))
    return (
        sa.select(e.milestone, *columns)
        .where(
            e.company_id == company_id,
            e.removed_at.is_(None),
            is_(e.review_status, ReviewStatus.ACCEPTED),
            e.criterion.is_not(None),
        )
        .group_by(e.milestone)
        .subquery("criteria_evidence")
    )


def extend(stmt: sa.Select[Any], company_id: Any) -> sa.Select[Any]:
    """The statuses statement with the extra columns and the criterion checks loaded."""
    counts = _criteria_evidence(company_id)
    latest = suggestions.latest_metrics(company_id=company_id)
    return (
        stmt.outerjoin(counts, counts.c.milestone == MilestoneStatus.milestone)
        .join(latest, sa.true())
        .add_columns(
            *(sa.func.coalesce(counts.c[s], int_const(0)).label(s) for s in _SLOTS),
            *(latest.c[name].label(f"latest_{name}") for name in _LATEST),
        )
        .options(joinedload(MilestoneStatus.criterion_checks).joinedload(CriterionCheck.met_by))
    )


Extras = tuple[list[int], dict[str, Any]]


def read(row: Any) -> Extras:
    """(evidence count per criterion, latest watched metrics) from one row of extend()."""
    m = row._mapping
    return [int(m[s]) for s in _SLOTS], {name: m[f"latest_{name}"] for name in _LATEST}
