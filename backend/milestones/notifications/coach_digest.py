"""The coach's weekly digest (SPEC Part 2, "Digests and preferences"): per coach, their
stalled companies (days against the threshold), the reviews waiting for them (how many,
the oldest) and the milestones reached or reverted in their companies in the last 7
days. Nothing for a coach with none of the three, or who turned the digest off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.extensions import db
from milestones.models import (
    CoachAssignment,
    Company,
    HistoryEvent,
    HistoryEventType,
    Role,
    User,
)
from milestones.notifications import rendering
from milestones.notifications.digests import Digest, Week, track
from milestones.notifications.outbox import base_url
from milestones.reporting.portfolio import portfolio
from milestones.services import reviews

KIND = "coach_digest"
MAX_COMPANIES = 200


def _stalled(coach: User) -> list[dict[str, Any]]:
    rows, _total = portfolio(coach, attention=True, sort="attention", page_size=MAX_COMPANIES)
    return [
        {
            "name": row.name,
            "company_url": f"{base_url()}/companies/{row.company_id}",
            "milestone_title": catalogue.get(row.current_milestone).title,
            "days": row.days_in_milestone,
            "threshold": row.stall_threshold_days,
            "median_days": row.median_days,
            "track": track(row.current_milestone),
        }
        for row in rows
        if "stalled" in row.attention
    ]


def _reviews(coach: User) -> dict[str, Any] | None:
    rows, total = reviews.pending(coach, 1, 1)
    if not total:
        return None
    oldest = rows[0]
    return {
        "count": total,
        "oldest_company": oldest.company_name,
        "oldest_title": oldest.title,
        "oldest_at": oldest.submitted_at,
        "oldest_days": oldest.age_days,
    }


def _changes(coach: User, week: Week) -> list[dict[str, Any]]:
    companies = sa.select(CoachAssignment.company_id).where(CoachAssignment.user_id == coach.id)
    stmt = (
        sa.select(
            Company.name, HistoryEvent.milestone, HistoryEvent.achieved, HistoryEvent.created_at
        )
        .join(Company, Company.id == HistoryEvent.company_id)
        .where(
            HistoryEvent.company_id.in_(companies),
            HistoryEvent.event == HistoryEventType.TOGGLED,
            HistoryEvent.created_at > week.since,
            HistoryEvent.created_at <= week.now,
        )
        .order_by(HistoryEvent.created_at, HistoryEvent.id)
    )
    return [
        {
            "company": name,
            "milestone_title": catalogue.get(milestone.value).title,
            "reached": bool(achieved),
            "at": at,
        }
        for name, milestone, achieved, at in db.session.execute(stmt)
    ]


def _subject(stalled: int, waiting: int, changed: int) -> str:
    parts = [
        f"{stalled} stalled" if stalled else "",
        f"{waiting} review{'s' if waiting != 1 else ''} waiting" if waiting else "",
        f"{changed} milestone{'s' if changed != 1 else ''} changed" if changed else "",
    ]
    return rendering.subject("Your week: " + ", ".join(p for p in parts if p))


def produce(week: Week, already: set[str]) -> Iterator[Digest]:
    coaches = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.COACH, User.active.is_(True), User.weekly_digest.is_(True))
        .order_by(User.id)
    ).all()
    for coach in coaches:
        if coach.email in already:
            continue
        stalled, waiting, changes = _stalled(coach), _reviews(coach), _changes(coach, week)
        if not (stalled or waiting or changes):
            continue
        body = rendering.render(
            KIND,
            coach_name=coach.name,
            week=week.label,
            since=week.since,
            stalled=stalled,
            reviews=waiting,
            changes=changes,
            portfolio_url=f"{base_url()}/portfolio?attention=true",
            reviews_url=f"{base_url()}/approvals",
            preferences_url=f"{base_url()}/notifications",
        )
        subject = _subject(len(stalled), waiting["count"] if waiting else 0, len(changes))
        yield Digest(coach.email, subject, body)
