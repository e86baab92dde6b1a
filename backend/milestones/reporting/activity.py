"""GET /activity: every history event of the companies the viewer sees, newest first.

One SELECT of plain columns serves the JSON page and the exports (with and without
LIMIT), so both answer the same filters in the same scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from milestones.auth.policies import scope
from milestones.catalogue import MilestoneKey
from milestones.extensions import db
from milestones.models import Company, Evidence, HistoryEvent, HistoryEventType, User


def activity_select(
    viewer: User,
    *,
    company_id: int | None = None,
    actor_id: int | None = None,
    event: str | None = None,
    milestone: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select[Any]:
    """The events matching the filters, in the viewer's scope, newest first; columns
    named as ActivityItemSchema's fields. `until` is excluded."""
    h = HistoryEvent
    actor = aliased(User, name="actor")
    stmt: Any = (
        sa.select(
            h.id,
            h.milestone,
            h.event,
            h.previous,
            h.achieved,
            h.reason,
            h.actor_id,
            actor.name.label("actor_name"),
            h.evidence_id,
            Evidence.title.label("evidence_title"),
            h.created_at,
            h.company_id,
            Company.name.label("company_name"),
        )
        .join(Company, Company.id == h.company_id)
        .join(actor, actor.id == h.actor_id)
        .outerjoin(Evidence, Evidence.id == h.evidence_id)
        .where(scope(viewer, h.company_id))
        .order_by(h.created_at.desc(), h.id.desc())
    )
    filters = {
        h.company_id: company_id,
        h.actor_id: actor_id,
        h.event: None if event is None else HistoryEventType(event),
        h.milestone: None if milestone is None else MilestoneKey(milestone),
    }
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(h.created_at >= since)
    if until is not None:
        stmt = stmt.where(h.created_at < until)
    return stmt


def activity_page(
    viewer: User, page: int, page_size: int, **filters: Any
) -> tuple[list[sa.Row[Any]], int]:
    """(the rows of one page, the number of matching events): two statements."""
    stmt = activity_select(viewer, **filters)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    rows = list(db.session.execute(stmt.limit(page_size).offset((page - 1) * page_size)))
    return rows, total or 0
