"""One review queue for the coach: every item waiting for a decision, and bulk decisions.

A kind of reviewable item is a ReviewKind in KINDS: its pending rows as a SELECT of the
queue's columns, and its approve and reject. The queue is a UNION ALL of the kinds'
SELECTs; a bulk review calls each item's own approve or reject, so every rule (access,
state, history, the stats refresh) stays with the service that owns the item.

Adding a kind (e.g. proposed evidence): write its pending SELECT and its two decisions,
and add one ReviewKind to KINDS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from milestones.auth.abilities import Ability, require
from milestones.auth.policies import Action, scope
from milestones.errors import Conflict, DomainError, NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    Evidence,
    ProgressUpdate,
    ReviewStatus,
    Role,
    Task,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.reporting.common import now_param
from milestones.services import evidence_review
from milestones.services import tasks as tasks_service
from milestones.services import updates as updates_service
from milestones.sql.dialect import const, is_, whole_days
from milestones.timeutil import utcnow

log = logging.getLogger(__name__)

TITLE_LENGTH = 120
EXCERPT_LENGTH = 280
APPROVE, REJECT = "approve", "reject"
OUTCOMES = {APPROVE: "approved", REJECT: "rejected"}

Decide = Callable[[User, int, str | None], Any]


@dataclass(frozen=True)
class ReviewKind:
    name: str
    # Pending rows with the columns: kind, id, company_id, milestone, title, excerpt,
    # author_id, submitted_at.
    pending: Callable[[], sa.Select[Any]]
    approve: Decide
    reject: Decide


def _kind(name: str) -> Any:
    return const(name).label("kind")


def _cut(text: Any, length: int) -> Any:
    return sa.func.substr(text, 1, length)


def _pending_tasks() -> sa.Select[Any]:
    t = Task
    return sa.select(
        _kind("task"),
        t.id,
        t.company_id,
        t.milestone,
        _cut(t.title, TITLE_LENGTH).label("title"),
        _cut(t.description, EXCERPT_LENGTH).label("excerpt"),
        sa.func.coalesce(t.submitted_by_id, t.created_by_id).label("author_id"),
        t.submitted_at.label("submitted_at"),
    ).where(is_(t.status, TaskStatus.SUBMITTED))


def _pending_updates() -> sa.Select[Any]:
    u = ProgressUpdate
    return sa.select(
        _kind("update"),
        u.id,
        u.company_id,
        u.milestone,
        _cut(u.body, TITLE_LENGTH).label("title"),
        _cut(u.body, EXCERPT_LENGTH).label("excerpt"),
        u.created_by_id.label("author_id"),
        u.created_at.label("submitted_at"),
    ).where(is_(u.status, UpdateStatus.PENDING))


def _pending_evidence() -> sa.Select[Any]:
    """Members' proposed evidence."""
    e = Evidence
    return sa.select(
        _kind("evidence"),
        e.id,
        e.company_id,
        e.milestone,
        _cut(e.title, TITLE_LENGTH).label("title"),
        _cut(e.description, EXCERPT_LENGTH).label("excerpt"),
        e.created_by_id.label("author_id"),
        e.created_at.label("submitted_at"),
    ).where(is_(e.review_status, ReviewStatus.PROPOSED), e.removed_at.is_(None))


def _review_update(decision: UpdateStatus) -> Decide:
    return lambda actor, item_id, comment: updates_service.review_update(
        actor, item_id, decision, comment
    )


KINDS: dict[str, ReviewKind] = {
    kind.name: kind
    for kind in (
        ReviewKind("task", _pending_tasks, tasks_service.approve_task, tasks_service.reject_task),
        ReviewKind(
            "update",
            _pending_updates,
            _review_update(UpdateStatus.APPROVED),
            _review_update(UpdateStatus.REJECTED),
        ),
        ReviewKind(
            "evidence",
            _pending_evidence,
            evidence_review.decide(accept=True),
            evidence_review.decide(accept=False),
        ),
    )
}


# ---------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------


@cache
def _queue_stmts(role: Role) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """(COUNT, page) of the pending items the viewer (the `viewer_id` parameter) may see,
    oldest first.

    The total is the sum of the visible companies' company_stats.pending_approvals (kept
    in step with the same rows: submitted tasks, pending updates, proposed evidence), not
    a count of every pending item. The page: each kind gives its first `window` (offset +
    limit) visible rows, oldest first, read off its partial index of pending rows (PostgreSQL
    does not merge-append a UNION ALL by itself, so the kinds are limited one by one);
    those few are sorted together, and only the page's rows are joined to their company
    and author."""
    stats = CompanyStats
    count = sa.select(sa.func.coalesce(sa.func.sum(stats.pending_approvals), 0)).where(
        scope(role, stats.company_id)
    )
    window = sa.bindparam("window", type_=sa.Integer())
    firsts = []
    for kind in KINDS.values():
        rows = kind.pending()
        first = (
            rows.where(scope(role, rows.selected_columns.company_id))
            .order_by(rows.selected_columns.submitted_at, rows.selected_columns.id)
            .limit(window)
            .subquery(f"first_{kind.name}")
        )
        firsts.append(sa.select(first))
    union = sa.union_all(*firsts).subquery("pending")
    # (submitted_at, id): the order of every kind's index; a task and an update sharing
    # both is left to the final sort by kind.
    chosen = (
        sa.select(union)
        .order_by(union.c.submitted_at, union.c.kind, union.c.id)
        .limit(sa.bindparam("limit", type_=sa.Integer()))
        .offset(sa.bindparam("offset", type_=sa.Integer()))
        .subquery("chosen")
    )
    author = sa.orm.aliased(User, name="author")
    page = (
        sa.select(
            chosen.c.kind,
            chosen.c.id,
            chosen.c.company_id,
            Company.name.label("company_name"),
            chosen.c.milestone,
            chosen.c.title,
            chosen.c.excerpt,
            chosen.c.author_id,
            author.name.label("author_name"),
            chosen.c.submitted_at,
            whole_days(chosen.c.submitted_at, now_param()).label("age_days"),
        )
        .join(Company, Company.id == chosen.c.company_id)
        .join(author, author.id == chosen.c.author_id)
        .order_by(chosen.c.submitted_at, chosen.c.kind, chosen.c.id)
    )
    return count, page


def pending(viewer: User, page: int, page_size: int) -> tuple[Sequence[sa.Row[Any]], int]:
    """(one page of the items waiting for review, their total): coaches see their
    companies', admins everyone's (read-only), members none. Two statements."""
    require(Ability.VIEW_REVIEW_QUEUE, u=viewer)
    count_stmt, page_stmt = _queue_stmts(viewer.role)
    params = {
        "viewer_id": viewer.id,
        "now": utcnow(),
        "limit": page_size,
        "offset": (page - 1) * page_size,
        "window": page * page_size,
    }
    total = db.session.scalar(count_stmt, params) or 0
    rows = db.session.execute(page_stmt, params).all() if total else []
    return rows, total


# ---------------------------------------------------------------------------------------
# Bulk decisions
# ---------------------------------------------------------------------------------------


def _error(item: dict[str, Any], code: str, message: str) -> dict[str, Any]:
    return {**item, "outcome": "error", "code": code, "message": message}


def review_one(actor: User, decision: str, item: dict[str, Any], comment: str | None) -> Any:
    """Decide one item in its own transaction; the outcome as the API reports it."""
    kind = KINDS[item["kind"]]
    decide = kind.approve if decision == APPROVE else kind.reject
    try:
        decide(actor, item["id"], comment)
    except Conflict as error:
        db.session.rollback()
        return _error(item, "not_pending", error.message)
    except NotFound as error:
        db.session.rollback()
        return _error(item, "not_found", error.message)
    except DomainError as error:
        db.session.rollback()
        return _error(item, error.code, error.message)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("bulk review: %s %s failed", item["kind"], item["id"])
        return _error(item, "internal_error", "This item could not be reviewed; try again.")
    return {**item, "outcome": OUTCOMES[decision]}


def review_many(
    actor: User, decision: str, items: list[dict[str, Any]], comment: str | None = None
) -> dict[str, Any]:
    """Each item reviewed on its own (one failure does not undo the others), results in
    the order given. Only coaches review: admins and members get a 403 for the request."""
    require(Action.REVIEW, u=actor)
    results = [review_one(actor, decision, item, comment) for item in items]
    return {"results": results}
