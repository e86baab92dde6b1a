"""The stakeholders' weekly digest: one mail per address covering every company it
follows weekly that changed milestone in the last 7 days; nothing for an address whose
companies did not change. Each company keeps its own one-click unsubscribe link; the
List-Unsubscribe header stops every weekly follow of the address. Companies link to their
stakeholders' share page when they have one, never into the signed-in app.

Four statements whatever the number of stakeholders and companies; the digests machinery
(notifications/digests.py) then claims and queues one mail per address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.extensions import db
from milestones.models import (
    CoachAssignment,
    Company,
    HistoryEvent,
    HistoryEventType,
    Membership,
    MilestoneStatus,
    Stakeholder,
    StakeholderFrequency,
    User,
)
from milestones.notifications import digests, outbox, rendering, tokens, track
from milestones.sharing.links import stakeholder_page_urls

KIND = "stakeholder_digest"
WINDOW = timedelta(days=7)


@dataclass
class CompanyDigest:
    company_id: int
    name: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    track: list[dict[str, str]] = field(default_factory=list)
    page_url: str | None = None
    unsubscribe_url: str = ""


def _is_person_of_company() -> sa.ColumnElement[bool]:
    """The stakeholder's address is an active member or coach of that company (they get
    the people's mail instead)."""
    people = sa.union(
        sa.select(Membership.user_id).where(Membership.company_id == Stakeholder.company_id),
        sa.select(CoachAssignment.user_id).where(
            CoachAssignment.company_id == Stakeholder.company_id
        ),
    )
    return sa.exists(
        sa.select(User.id).where(
            User.active.is_(True),
            sa.func.lower(User.email) == sa.func.lower(Stakeholder.email),
            User.id.in_(people),
        )
    )


def _followers(since: datetime, now: datetime) -> list[sa.Row[Any]]:
    changed = sa.select(HistoryEvent.company_id).where(
        HistoryEvent.event == HistoryEventType.TOGGLED,
        HistoryEvent.created_at >= since,
        HistoryEvent.created_at < now,
    )
    return list(
        db.session.execute(
            sa.select(sa.func.lower(Stakeholder.email).label("email"), Company.id, Company.name)
            .join(Company, Company.id == Stakeholder.company_id)
            .where(
                Stakeholder.frequency == StakeholderFrequency.WEEKLY,
                Stakeholder.subscribed.is_(True),
                Stakeholder.company_id.in_(changed),
                sa.not_(_is_person_of_company()),
            )
            .order_by(sa.func.lower(Stakeholder.email), Company.name, Company.id)
        ).all()
    )


def _changes(company_ids: list[int], since: datetime, now: datetime) -> dict[int, list[Any]]:
    rows = db.session.execute(
        sa.select(
            HistoryEvent.company_id,
            HistoryEvent.milestone,
            HistoryEvent.achieved,
            HistoryEvent.created_at,
        )
        .where(
            HistoryEvent.company_id.in_(company_ids),
            HistoryEvent.event == HistoryEventType.TOGGLED,
            HistoryEvent.created_at >= since,
            HistoryEvent.created_at < now,
        )
        .order_by(HistoryEvent.created_at, HistoryEvent.id)
    ).all()
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.company_id].append(
            {
                "title": catalogue.get(row.milestone.value).title,
                "reached": bool(row.achieved),
                "at": row.created_at,
            }
        )
    return found


def _tracks(company_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    rows = db.session.execute(
        sa.select(MilestoneStatus.company_id, MilestoneStatus.milestone, MilestoneStatus.achieved)
        .where(MilestoneStatus.company_id.in_(company_ids))
        .order_by(MilestoneStatus.company_id, MilestoneStatus.position)
    ).all()
    by_company: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for row in rows:
        by_company[row.company_id].append((row.milestone.value, bool(row.achieved)))
    return {cid: track.steps(statuses) for cid, statuses in by_company.items()}


def produce(week: digests.Week, already: set[str]) -> Iterator[digests.Digest]:
    """The digests machinery's producer: one Digest per address with changes."""
    now, since = week.now, week.since
    followers = [row for row in _followers(since, now) if row.email not in already]
    if not followers:
        return
    company_ids = sorted({row.id for row in followers})
    changes = _changes(company_ids, since, now)
    tracks = _tracks(company_ids)
    pages = stakeholder_page_urls(company_ids)
    by_address: dict[str, list[CompanyDigest]] = defaultdict(list)
    for row in followers:
        email, company_id, name = row.email, row.id, row.name
        by_address[email].append(
            CompanyDigest(
                company_id=company_id,
                name=name,
                changes=changes.get(company_id, []),
                track=tracks.get(company_id, []),
                page_url=pages.get(company_id),
                unsubscribe_url=outbox.unsubscribe_page_url(
                    tokens.unsubscribe_token(company_id, email)
                ),
            )
        )
    for email, companies in by_address.items():
        yield _digest(email, companies, week.label, now)


def _digest(email: str, companies: list[CompanyDigest], week: str, now: datetime) -> Any:
    names = ", ".join(c.name for c in companies[:3])
    more = f" and {len(companies) - 3} more" if len(companies) > 3 else ""
    token = tokens.weekly_unsubscribe_token(email)
    body = rendering.render(
        KIND,
        companies=companies,
        week=week,
        unsubscribe_all_url=outbox.unsubscribe_page_url(token),
        now=now,
    )
    return digests.Digest(
        recipient=email,
        subject=rendering.subject(f"Milestones this week: {names}{more}"),
        body=body,
        company_id=companies[0].company_id if len(companies) == 1 else None,
        headers=outbox.unsubscribe_headers(token),
    )
