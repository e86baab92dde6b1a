"""Criteria checked one by one by an assigned coach: met or not, with a note.

Each status's criteria show, beside the catalogue's key and text, whether a coach ticked
them (who, when, the note) and how many accepted evidence items name them. With the
programme setting `require_all_criteria`, achieving a milestone needs all its criteria
met (the toggle answers 422 with `errors.unmet_criteria`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from milestones import catalogue
from milestones.errors import NotFound, Unprocessable
from milestones.extensions import db
from milestones.models import (
    Company,
    CriterionCheck,
    Evidence,
    HistoryEvent,
    HistoryEventType,
    MilestoneStatus,
    ReviewStatus,
    User,
)
from milestones.services import settings
from milestones.timeutil import utcnow


def require_all_criteria() -> bool:
    """The programme setting `require_all_criteria` (GET/PATCH /settings)."""
    return settings.current().require_all_criteria


def criterion_key(milestone: str, criterion: str) -> catalogue.Criterion:
    """The catalogue criterion, or 404 naming the ones the milestone has."""
    found = next((c for c in catalogue.get(milestone).criteria if c.key == criterion), None)
    if found is None:
        allowed = ", ".join(c.key for c in catalogue.get(milestone).criteria)
        raise NotFound(
            f"{criterion!r} is not a criterion of {catalogue.get(milestone).title}; "
            f"expected one of {allowed}."
        )
    return found


def views(status: MilestoneStatus, counts: list[int], checks: list[dict[str, Any]]) -> list[Any]:
    """The status's criteria as the API shows them: the catalogue's, in order, with the
    coach's check and the accepted evidence count of each (status_extras.read())."""
    return [
        {"key": c.key, "text": c.text, **checks[i], "evidence_count": counts[i]}
        for i, c in enumerate(catalogue.get(status.milestone.value).criteria)
    ]


def _view(
    criterion: catalogue.Criterion, check: CriterionCheck | None, count: int
) -> dict[str, Any]:
    met_by = check.met_by if check is not None and check.met_by_id is not None else None
    return {
        "key": criterion.key,
        "text": criterion.text,
        "met": bool(check and check.met),
        "met_at": check.met_at if check else None,
        "met_by": check.met_by_id if check else None,
        "met_by_name": met_by.name if met_by is not None else None,
        "note": check.note if check else None,
        "evidence_count": count,
    }


def unmet(status: MilestoneStatus) -> list[str]:
    """Keys of the status's criteria not met, in catalogue order (one statement)."""
    met = set(
        db.session.scalars(
            sa.select(CriterionCheck.criterion).where(
                CriterionCheck.status_id == status.id, CriterionCheck.met.is_(True)
            )
        )
    )
    return [c.key for c in catalogue.get(status.milestone.value).criteria if c.key not in met]


def check_all_met(status: MilestoneStatus) -> None:
    """With require_all_criteria: 422 listing the unmet criteria, if any."""
    if not require_all_criteria():
        return
    missing = unmet(status)
    if missing:
        title = catalogue.get(status.milestone.value).title
        raise Unprocessable(
            f"{title} needs every criterion met before it can be achieved; not met yet: "
            f"{', '.join(missing)}.",
            code="criteria_unmet",
            errors={"unmet_criteria": missing},
        )


def check(
    company: Company, key: str, criterion: str, met: bool, note: str | None, actor: User
) -> dict[str, Any]:
    """Set a criterion met or not, with a note; records `criterion_checked` when anything
    changed (the same value and note again change nothing)."""
    found = criterion_key(key, criterion)
    note = (note or "").strip() or None
    # The status row's lock: a concurrent toggle reads the checks after this commits.
    status = db.session.scalar(
        sa.select(MilestoneStatus)
        .where(
            MilestoneStatus.company_id == company.id,
            MilestoneStatus.milestone == catalogue.MilestoneKey(key),
        )
        .with_for_update()
    )
    if status is None:
        raise NotFound("Milestone status not found.")
    row = db.session.scalar(
        sa.select(CriterionCheck).where(
            CriterionCheck.status_id == status.id, CriterionCheck.criterion == criterion
        )
    )
    previous = bool(row and row.met)
    if row is None or row.met != met or row.note != note:
        now = utcnow()
        if row is None:
            row = CriterionCheck(
                status_id=status.id,
                company_id=company.id,
                milestone=status.milestone,
                criterion=criterion,
            )
            db.session.add(row)
        if met and not previous:
            row.met_at, row.met_by_id = now, actor.id
        elif not met:
            row.met_at, row.met_by_id = None, None
        row.met, row.note = met, note
        row.updated_at, row.updated_by_id = now, actor.id
        db.session.add(
            HistoryEvent(
                company_id=company.id,
                milestone=status.milestone,
                event=HistoryEventType.CRITERION_CHECKED,
                criterion=criterion,
                previous=previous,
                achieved=met,
                reason=note,
                actor_id=actor.id,
                created_at=now,
            )
        )
        db.session.commit()
    else:
        db.session.rollback()
    return _after(company.id, status.id, found)


def _after(company_id: int, status_id: int, criterion: catalogue.Criterion) -> dict[str, Any]:
    row = db.session.scalar(
        sa.select(CriterionCheck)
        .where(CriterionCheck.status_id == status_id, CriterionCheck.criterion == criterion.key)
        .options(joinedload(CriterionCheck.met_by))
        .execution_options(populate_existing=True)
    )
    count = db.session.scalar(
        sa.select(sa.func.count(Evidence.id)).where(
            Evidence.status_id == status_id,
            Evidence.criterion == criterion.key,
            Evidence.review_status == ReviewStatus.ACCEPTED,
            Evidence.removed_at.is_(None),
        )
    )
    db.session.commit()
    return _view(criterion, row, int(count or 0))
