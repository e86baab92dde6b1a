"""`GET /shared/{token}`: what a share link shows, to anyone holding it.

Only what SPEC lists: the company's name, description and current milestone, the five
statuses with their days, evidence titles and links, and the achievements (reasons only
when the link was made with them). No people, tasks, updates or files. Unknown, revoked
and expired tokens all give the same 404.

Views are counted without a write per view: each process keeps the views it has not yet
written, and adds them to the row at most once a minute per link (a conditional UPDATE,
so several processes together still write a link at most once a minute), in a
transaction of its own that the response cache knows changes none of its answers
(sql/snapshots.py). Views counted by a process that stops before its next write are
lost; the figure is a guide, not an audit.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa

from milestones import catalogue
from milestones.errors import NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    HistoryEventType,
    Role,
    ShareLink,
    User,
)
from milestones.reporting.company_metrics import statuses_with_metrics
from milestones.sharing import tokens
from milestones.sql import snapshots
from milestones.sql.dialect import current_xid
from milestones.timeutil import utcnow

NOT_SHARED = "This link is not valid, has expired or was revoked."
VIEW_WRITE_INTERVAL = timedelta(minutes=1)

# Any company is visible to this stand-in: the token, checked here, is the credential.
_PAGE_VIEWER = cast(User, SimpleNamespace(role=Role.ADMIN, id=0))

_unwritten: dict[str, int] = {}  # token hash -> views this process has not written yet
_lock = threading.Lock()


def not_shared() -> NotFound:
    """The one answer for a link that does not exist, was revoked or has expired (and for
    no token at all), so that none can be told from another."""
    return NotFound(NOT_SHARED, code="not_shared")


def _find(token: str) -> tuple[ShareLink, str, str]:
    if not token or len(token) > tokens.TOKEN_MAX:
        raise not_shared()
    now = utcnow()
    row = db.session.execute(
        sa.select(ShareLink, Company.name, Company.description)
        .join(Company, Company.id == ShareLink.company_id)
        .where(
            ShareLink.token_hash == tokens.token_hash(token),
            ShareLink.revoked_at.is_(None),
            sa.or_(ShareLink.expires_at.is_(None), ShareLink.expires_at > now),
        )
    ).first()
    if row is None:
        db.session.rollback()
        raise not_shared()
    return row[0], row[1], row[2]


def _evidence(company_id: int) -> dict[str, list[dict[str, Any]]]:
    rows = db.session.execute(
        sa.select(
            Evidence.milestone,
            Evidence.title,
            Evidence.evidence_type,
            Evidence.url,
            Evidence.metric_value,
            Evidence.metric_unit,
            Evidence.created_at,
            *_accepted_columns(),
        )
        .where(Evidence.company_id == company_id, Evidence.removed_at.is_(None), *_accepted())
        .order_by(Evidence.created_at, Evidence.id)
    ).all()
    by_milestone: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_milestone.setdefault(row.milestone.value, []).append(
            {
                "title": row.title,
                "evidence_type": row.evidence_type.value,
                "url": row.url,
                "metric_key": getattr(row, "metric_key", None),
                "metric_value": row.metric_value,
                "metric_unit": row.metric_unit,
                "created_at": row.created_at,
            }
        )
    return by_milestone


def _accepted_columns() -> list[Any]:
    key = getattr(Evidence, "metric_key", None)
    return [key.label("metric_key")] if key is not None else []


def _accepted() -> list[Any]:
    """Only evidence a coach accepted, where evidence can be proposed by members."""
    review_status = getattr(Evidence, "review_status", None)
    return [] if review_status is None else [sa.cast(review_status, sa.String) == "accepted"]


def _achievements(company_id: int, with_reasons: bool) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(
            HistoryEvent.milestone,
            HistoryEvent.achieved,
            HistoryEvent.created_at,
            HistoryEvent.reason,
        )
        .where(
            HistoryEvent.company_id == company_id,
            HistoryEvent.event == HistoryEventType.TOGGLED,
        )
        .order_by(HistoryEvent.created_at, HistoryEvent.id)
    ).all()
    items = []
    for row in rows:
        item: dict[str, Any] = {
            "milestone": row.milestone.value,
            "achieved": bool(row.achieved),
            "created_at": row.created_at,
        }
        if with_reasons:
            item["reason"] = row.reason
        items.append(item)
    return items


def _count_view(link_id: int, key: str, last_viewed_at: datetime | None) -> None:
    """Add this view, and the ones not yet written, at most once a minute per link."""
    now = utcnow()
    with _lock:
        _unwritten[key] = pending = _unwritten.get(key, 0) + 1
    if last_viewed_at is not None and now - last_viewed_at < VIEW_WRITE_INTERVAL:
        return
    table: Any = ShareLink.__table__
    # In a transaction of its own that writes nothing else, registered as neutral before
    # it commits (sql/snapshots.py): a page view does not renew every kept answer.
    with db.engine.begin() as conn:
        written = conn.execute(
            sa.update(table)
            .where(
                table.c.id == link_id,
                sa.or_(
                    table.c.last_viewed_at.is_(None),
                    table.c.last_viewed_at <= now - VIEW_WRITE_INTERVAL,
                ),
            )
            .values(view_count=table.c.view_count + pending, last_viewed_at=now)
            .returning(current_xid())
        ).first()
        if written is not None:
            snapshots.register(written[0])
    if written is not None:
        with _lock:
            left = _unwritten.get(key, 0) - pending
            if left > 0:
                _unwritten[key] = left
            else:
                _unwritten.pop(key, None)


def shared_page(token: str) -> dict[str, Any]:
    link, name, description = _find(token)
    loaded = statuses_with_metrics(_PAGE_VIEWER, link.company_id)
    evidence = _evidence(link.company_id)
    achievements = _achievements(link.company_id, link.include_reasons)
    current_key = loaded[0][0].company.current_milestone if loaded else None
    current = current_key.value if current_key else None
    milestones = []
    for status, metrics, *_ in loaded:
        key = status.milestone.value
        state = "achieved" if status.achieved else ("current" if key == current else "upcoming")
        milestones.append(
            {
                "milestone": key,
                "title": catalogue.get(key).title,
                "state": state,
                "started_at": status.started_at,
                "achieved_at": status.achieved_at,
                "days_in_milestone": metrics["days_in_milestone"],
                "evidence": evidence.get(key, []),
            }
        )
    seen = (link.id, link.token_hash, link.last_viewed_at)
    db.session.commit()  # the page's reads end before the view is counted apart
    _count_view(*seen)
    return {
        "company": {"name": name, "description": description, "current_milestone": current},
        "milestones": milestones,
        "achievements": achievements,
        "include_reasons": link.include_reasons,
    }
