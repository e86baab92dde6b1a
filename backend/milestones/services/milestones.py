"""Milestone status per company: reads, the toggle (the only way to change achievement),
and the append-only history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from werkzeug.http import parse_etags

from milestones import catalogue, notifications
from milestones.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    HistoryEventType,
    MilestoneStatus,
    ReviewStatus,
    User,
)
from milestones.reporting import suggestions
from milestones.reporting.company_metrics import statuses_with_metrics
from milestones.reporting.status_extras import Extras
from milestones.services import criteria as criteria_service
from milestones.timeutil import utcnow
from milestones.webhooks import events as webhook_events

REASON_MAX = 2000


@dataclass
class StatusView:
    """One milestone status as the API shows it (built from the row and the catalogue)."""

    company_id: int
    milestone: str
    title: str
    position: int
    achieved: bool
    state: str
    started_at: datetime | None
    achieved_at: datetime | None
    last_updated: datetime
    updated_by: int | None
    updated_by_name: str | None
    version: int
    criteria: list[dict[str, Any]]
    metrics: dict[str, Any] = field(default_factory=dict)
    # The current milestone only: what the evidence suggests (never changes a status).
    suggested: bool = False
    suggestion: str | None = None

    @property
    def etag(self) -> str:
        return status_etag(self.company_id, self.milestone, self.version)


@dataclass
class CompanyMilestones:
    company_id: int
    current_milestone: str | None
    milestones: list[StatusView]


def status_etag(company_id: int, milestone: str, version: int) -> str:
    return f'"{company_id}-{milestone}-{version}"'


def milestone_key(key: str) -> str:
    """The catalogue key, or 404 naming the unknown milestone."""
    if key not in catalogue.BY_KEY:
        raise NotFound(f"Unknown milestone {key!r}; expected one of {', '.join(catalogue.KEYS)}.")
    return key


def _view(
    status: MilestoneStatus,
    current: str | None,
    metrics: dict[str, Any] | None,
    extras: Extras,
) -> StatusView:
    key = status.milestone.value
    milestone = catalogue.get(key)
    state = "achieved" if status.achieved else ("current" if key == current else "upcoming")
    evidence_counts, checks, latest = extras
    suggestion = suggestions.suggest(key, latest) if state == "current" else None
    return StatusView(
        company_id=status.company_id,
        milestone=key,
        title=milestone.title,
        position=status.position,
        achieved=status.achieved,
        state=state,
        started_at=status.started_at,
        achieved_at=status.achieved_at,
        last_updated=status.last_updated,
        updated_by=status.updated_by_id,
        updated_by_name=status.updated_by.name if status.updated_by else None,
        version=status.version,
        criteria=criteria_service.views(status, evidence_counts, checks),
        metrics=metrics or {},
        suggested=suggestion is not None,
        suggestion=suggestion.sentence if suggestion else None,
    )


def _statuses(company_id: int, *, lock: bool = False) -> list[MilestoneStatus]:
    stmt = (
        sa.select(MilestoneStatus)
        .where(MilestoneStatus.company_id == company_id)
        .order_by(MilestoneStatus.position)
        .execution_options(populate_existing=True)
    )
    if lock:
        # Serialises toggles and evidence removals of one company (PostgreSQL row locks;
        # SQLite ignores it and serialises writers itself).
        stmt = stmt.with_for_update(of=MilestoneStatus)
    else:
        stmt = stmt.options(joinedload(MilestoneStatus.updated_by))
    return _complete(list(db.session.scalars(stmt).all()))


def lock_statuses(company_id: int) -> list[MilestoneStatus]:
    """The company's five statuses, locked until the transaction ends: what a toggle and
    an evidence removal take first, so neither counts evidence the other is changing."""
    return _statuses(company_id, lock=True)


def _complete(statuses: list[MilestoneStatus]) -> list[MilestoneStatus]:
    if len(statuses) != len(catalogue.KEYS):
        raise Conflict("This company's milestone statuses are incomplete.", code="bad_statuses")
    return statuses


def _views(viewer: User, company_id: int) -> tuple[str | None, list[StatusView]]:
    """(current milestone, the five statuses as the API shows them, with their metrics):
    one statement, which also checks the viewer may see the company; 404 (as for a
    missing company) when not."""
    loaded = statuses_with_metrics(viewer, company_id)
    if not loaded:
        raise NotFound("Company not found.")
    statuses = _complete([status for status, _, _ in loaded])
    key = statuses[0].company.current_milestone  # loaded by the same statement
    current = key.value if key else None
    return current, [_view(status, current, metrics, extras) for status, metrics, extras in loaded]


def company_milestones(viewer: User, company_id: int) -> CompanyMilestones:
    current, views = _views(viewer, company_id)
    return CompanyMilestones(company_id=company_id, current_milestone=current, milestones=views)


def _check_if_match(status: MilestoneStatus, if_match: str | None) -> None:
    if not if_match:
        return
    etags = parse_etags(if_match)
    if etags.star_tag:
        return
    current = status_etag(status.company_id, status.milestone.value, status.version)
    if not etags.contains_weak(current.strip('"')):
        raise PreconditionFailed(
            "This milestone was changed by someone else since you loaded it; reload and try again.",
            code="stale_etag",
            headers={"ETag": current},
        )


def toggle(
    company: Company,
    key: str,
    achieved: bool,
    actor: User,
    reason: str | None = None,
    if_match: str | None = None,
) -> tuple[StatusView, bool]:
    """Achieve or revert one milestone; returns the status and whether anything changed."""
    milestone_key(key)
    try:
        changed = _toggle_locked(company, key, achieved, actor, reason, if_match)
    except BaseException:
        db.session.rollback()  # releases the row locks
        raise
    return _views(actor, company.id)[1][catalogue.position(key)], changed


def _toggle_locked(
    company: Company,
    key: str,
    achieved: bool,
    actor: User,
    reason: str | None,
    if_match: str | None,
) -> bool:
    statuses = lock_statuses(company.id)
    i = catalogue.position(key)
    status = statuses[i]
    _check_if_match(status, if_match)
    reason = (reason or "").strip() or None
    previous = status.achieved
    if previous == achieved:
        db.session.rollback()  # releases the row locks; nothing recorded, nothing sent
        return False
    if achieved:
        _check_may_achieve(statuses, i)
    else:
        _check_may_revert(statuses, i, reason)
    _record(company, statuses, i, achieved, actor, reason)
    notifications.enqueue_milestone_change(status, previous, actor, reason)
    webhook_events.milestone_changed(status, previous, actor, reason)
    db.session.commit()
    return True


def _check_may_achieve(statuses: list[MilestoneStatus], i: int) -> None:
    """SPEC: in order, on accepted evidence, and (with require_all_criteria) every
    criterion met."""
    status = statuses[i]
    title = catalogue.get(status.milestone.value).title
    before = statuses[i - 1] if i > 0 else None
    if before is not None and not before.achieved:
        blocking = catalogue.get(before.milestone.value)
        raise Conflict(
            f"{title} cannot be achieved before {blocking.title} is achieved.",
            code="milestone_order",
            errors={"blocking_milestone": blocking.key.value},
        )
    evidence_count = db.session.scalar(
        sa.select(sa.func.count(Evidence.id)).where(
            Evidence.status_id == status.id,
            Evidence.removed_at.is_(None),
            Evidence.review_status == ReviewStatus.ACCEPTED,
        )
    )
    if not evidence_count:
        raise Unprocessable(
            f"{title} needs at least one accepted evidence item before it can be achieved.",
            code="evidence_required",
            errors={"evidence": ["At least one accepted evidence item is required."]},
        )
    criteria_service.check_all_met(status)


def _check_may_revert(statuses: list[MilestoneStatus], i: int, reason: str | None) -> None:
    """SPEC: the last achieved one first, and with a reason."""
    title = catalogue.get(statuses[i].milestone.value).title
    after = statuses[i + 1] if i + 1 < len(statuses) else None
    if after is not None and after.achieved:
        blocking = catalogue.get(after.milestone.value)
        raise Conflict(
            f"{title} cannot be reverted while {blocking.title} is achieved; "
            f"revert {blocking.title} first.",
            code="milestone_order",
            errors={"blocking_milestone": blocking.key.value},
        )
    if reason is None:
        raise Unprocessable(
            "A reason is required to revert an achieved milestone.",
            code="reason_required",
            errors={"json": {"reason": ["Required when reverting an achieved milestone."]}},
        )


def _record(
    company: Company,
    statuses: list[MilestoneStatus],
    i: int,
    achieved: bool,
    actor: User,
    reason: str | None,
) -> None:
    """The change itself: the status, the next one's start, versions, the history event
    (flushed, for the outbox and the webhooks that follow in the same transaction)."""
    now = utcnow()
    status = statuses[i]
    previous = status.achieved
    following = statuses[i + 1] if i + 1 < len(statuses) else None
    status.achieved = achieved
    status.achieved_at = now if achieved else None
    if achieved and status.started_at is None:
        status.started_at = now
    status.last_updated = now
    status.updated_by_id = actor.id
    status.version += 1
    if following is not None:
        following.started_at = now if achieved else None
        following.version += 1
    db.session.add(
        HistoryEvent(
            company_id=company.id,
            milestone=status.milestone,
            event=HistoryEventType.TOGGLED,
            previous=previous,
            achieved=achieved,
            reason=reason,
            actor_id=actor.id,
            created_at=now,
        )
    )
    db.session.flush()


def history(company: Company, milestone: str | None = None) -> sa.Select[Any]:
    """The company's history, newest first (a SELECT for the paginator)."""
    stmt = (
        sa.select(HistoryEvent)
        .where(HistoryEvent.company_id == company.id)
        .options(joinedload(HistoryEvent.actor), joinedload(HistoryEvent.evidence))
        .order_by(HistoryEvent.created_at.desc(), HistoryEvent.id.desc())
    )
    if milestone:
        stmt = stmt.where(HistoryEvent.milestone == catalogue.MilestoneKey(milestone))
    return stmt
