"""GET /activity: every history event of the companies the viewer sees, newest first.

One SELECT of plain columns serves the JSON page and the exports (with and without
LIMIT), so both answer the same filters in the same scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from milestones.auth.policies import scope, sees_every_company
from milestones.catalogue import MilestoneKey
from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    HistoryEventType,
    ProgrammeCounts,
    User,
)
from milestones.reporting.common import programme_count
from milestones.sql.paging import page_params, paged
from milestones.sql.session import dialect_name


def _matching(
    viewer: User,
    *,
    company_id: int | None = None,
    actor_id: int | None = None,
    event: str | None = None,
    milestone: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Any]:
    """The conditions on history_events alone for the filters, in the viewer's scope."""
    h = HistoryEvent
    conditions: list[Any] = [scope(viewer, h.company_id)]
    filters = {
        h.company_id: company_id,
        h.actor_id: actor_id,
        h.event: None if event is None else HistoryEventType(event),
        h.milestone: None if milestone is None else MilestoneKey(milestone),
    }
    conditions += [column == value for column, value in filters.items() if value is not None]
    if since is not None:
        conditions.append(h.created_at >= since)
    if until is not None:
        conditions.append(h.created_at < until)
    return conditions


def activity_select(viewer: User, **filters: Any) -> sa.Select[Any]:
    """The events matching the filters (company_id, actor_id, event, milestone, since,
    until: excluded), in the viewer's scope, newest first; columns named as
    ActivityItemSchema's fields."""
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
        .where(*_matching(viewer, **filters))
        .order_by(h.created_at.desc(), h.id.desc())
    )
    return stmt


def activity_page(
    viewer: User, page: int, page_size: int, **filters: Any
) -> tuple[list[sa.Row[Any]], int]:
    """(the rows of one page, the number of matching events): two statements. The count
    reads history_events alone: its company and actor are required keys, so the joins
    the page makes neither add nor drop an event. Every event unfiltered, on
    PostgreSQL: the count its triggers keep (models.ProgrammeCounts), not a count of
    the table (3.6 ms for 66,000 events at 10,000 companies)."""
    stmt = activity_select(viewer, **filters)
    if (
        dialect_name() == "postgresql"
        and sees_every_company(viewer.role)
        and all(value is None for value in filters.values())
    ):
        count: Any = sa.select(programme_count(ProgrammeCounts.history_events))
    else:
        count = sa.select(sa.func.count()).select_from(HistoryEvent)
        count = count.where(*_matching(viewer, **filters))
    total = db.session.scalar(count)
    rows = list(db.session.execute(paged(stmt), page_params(page, page_size)))
    return rows, total or 0
