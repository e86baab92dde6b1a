"""One review queue for the coach: every item waiting for a decision, and bulk decisions.

A kind of reviewable item is a ReviewKind in KINDS: its table, which of its rows are
pending and since when, the queue's columns of a row, and its approve and reject. The
queue is a UNION ALL of the kinds' pending rows; a bulk review calls each item's own
approve or reject, so every rule (access, state, history, the stats refresh) stays with
the service that owns the item.

Adding a kind: write those parts and its two decisions, and add one ReviewKind to KINDS.
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
from milestones.auth.policies import Action, scope, sees_every_company
from milestones.errors import Conflict, DomainError, NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    Evidence,
    ProgrammeCounts,
    ProgressUpdate,
    ReviewStatus,
    Role,
    Task,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.reporting.common import now_param, programme_count
from milestones.services import evidence_review
from milestones.services import tasks as tasks_service
from milestones.services import updates as updates_service
from milestones.sql.dialect import const, is_, json_rows, whole_days
from milestones.sql.paging import page_params, paged
from milestones.sql.session import dialect_name
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
    model: Any  # the mapped class of its rows
    # Given the model (or an alias of it): since when a row has waited, the condition of
    # its pending rows (read off a partial index ordered by (submitted, id)), and the
    # queue's columns milestone, title, excerpt and author_id.
    submitted: Callable[[Any], Any]
    pending: Callable[[Any], Any]
    details: Callable[[Any], dict[str, Any]]
    approve: Decide
    reject: Decide


def _cut(text: Any, length: int) -> Any:
    return sa.func.substr(text, 1, length)


def _details(row: Any, title: Any, excerpt: Any, author_id: Any) -> dict[str, Any]:
    """The queue's columns of a pending row: its milestone, the start of its title and
    of its text, and its author."""
    return {
        "milestone": row.milestone,
        "title": _cut(title, TITLE_LENGTH),
        "excerpt": _cut(excerpt, EXCERPT_LENGTH),
        "author_id": author_id,
    }


def _review_update(decision: UpdateStatus) -> Decide:
    return lambda actor, item_id, comment: updates_service.review_update(
        actor, item_id, decision, comment
    )


KINDS: dict[str, ReviewKind] = {
    kind.name: kind
    for kind in (
        ReviewKind(
            "task",
            Task,
            lambda t: t.submitted_at,
            lambda t: is_(t.status, TaskStatus.SUBMITTED),
            lambda t: _details(
                t, t.title, t.description, sa.func.coalesce(t.submitted_by_id, t.created_by_id)
            ),
            tasks_service.approve_task,
            tasks_service.reject_task,
        ),
        ReviewKind(
            "update",
            ProgressUpdate,
            lambda u: u.created_at,
            lambda u: is_(u.status, UpdateStatus.PENDING),
            lambda u: _details(u, u.body, u.body, u.created_by_id),
            _review_update(UpdateStatus.APPROVED),
            _review_update(UpdateStatus.REJECTED),
        ),
        ReviewKind(  # members' proposed evidence
            "evidence",
            Evidence,
            lambda e: e.created_at,
            lambda e: sa.and_(is_(e.review_status, ReviewStatus.PROPOSED), e.removed_at.is_(None)),
            lambda e: _details(e, e.title, e.description, e.created_by_id),
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
    does not merge-append a UNION ALL by itself, so the kinds are limited one by one),
    with only their kind, id, company and time; those few are sorted together, and only
    the page's rows are read for their details and joined to their company and author."""
    stats = CompanyStats
    count = sa.select(sa.func.coalesce(sa.func.sum(stats.pending_approvals), 0)).where(
        scope(role, stats.company_id)
    )
    window = sa.bindparam("window", type_=sa.Integer())
    firsts = []
    for kind in KINDS.values():
        m = kind.model
        submitted = kind.submitted(m)
        first = (
            sa.select(const(kind.name).label("kind"), m.id, m.company_id, submitted.label("at"))
            .where(kind.pending(m), scope(role, m.company_id))
            .order_by(submitted, m.id)
            .limit(window)
            .subquery(f"first_{kind.name}")
        )
        firsts.append(sa.select(first))
    union = sa.union_all(*firsts).subquery("pending")
    # (submitted_at, id): the order of every kind's index; a task and an update sharing
    # both is left to the final sort by kind.
    chosen = paged(sa.select(union).order_by(union.c.at, union.c.kind, union.c.id)).cte("chosen")
    # Only the page's rows are read for their details: per kind, its table joined to the
    # page's rows of that kind.
    items = []
    for kind in KINDS.values():
        item = sa.orm.aliased(kind.model, name=f"item_{kind.name}")
        details = kind.details(item)
        items.append(
            sa.select(
                chosen.c.kind,
                chosen.c.id,
                chosen.c.company_id,
                chosen.c.at,
                *(details[name].label(name) for name in ("milestone", "title", "excerpt")),
                details["author_id"].label("author_id"),
            )
            .join(item, item.id == chosen.c.id)
            .where(chosen.c.kind == const(kind.name))
        )
    shown = sa.union_all(*items).subquery("shown")
    author = sa.orm.aliased(User, name="author")
    page = (
        sa.select(
            shown.c.kind,
            shown.c.id,
            shown.c.company_id,
            Company.name.label("company_name"),
            shown.c.milestone,
            shown.c.title,
            shown.c.excerpt,
            shown.c.author_id,
            author.name.label("author_name"),
            shown.c.at.label("submitted_at"),
            whole_days(shown.c.at, now_param()).label("age_days"),
        )
        .join(Company, Company.id == shown.c.company_id)
        .join(author, author.id == shown.c.author_id)
        .order_by(shown.c.at, shown.c.kind, shown.c.id)
    )
    return count, page


def _queue_params(viewer: User, page: int, page_size: int) -> dict[str, Any]:
    require(Ability.VIEW_REVIEW_QUEUE, u=viewer)
    return {
        "viewer_id": viewer.id,
        "now": utcnow(),
        **page_params(page, page_size),
        "window": page * page_size,
    }


def pending(viewer: User, page: int, page_size: int) -> tuple[Sequence[sa.Row[Any]], int]:
    """(one page of the items waiting for review, their total): coaches see their
    companies', admins everyone's (read-only), members none. Two statements."""
    params = _queue_params(viewer, page, page_size)
    count_stmt, page_stmt = _queue_stmts(viewer.role)
    total = db.session.scalar(count_stmt, params) or 0
    rows = db.session.execute(page_stmt, params).all() if total else []
    return rows, total


def pending_payload(
    viewer: User, page: int, page_size: int, spec: tuple[tuple[str, str, bool], ...]
) -> tuple[str | Sequence[sa.Row[Any]], int]:
    """pending(viewer, page, page_size) for api/render.py: (the page, the total). On
    PostgreSQL one statement, and the page is JSON text in the shape `spec`
    (FastDump.spec) gives, written by the database; elsewhere the rows."""
    if dialect_name() != "postgresql":
        return pending(viewer, page, page_size)
    params = _queue_params(viewer, page, page_size)
    text, total = db.session.execute(_queue_json_stmt(viewer.role, spec), params).one()
    return text, total or 0


@cache
def _queue_json_stmt(role: Role, spec: tuple[tuple[str, str, bool], ...]) -> sa.Select[Any]:
    count_stmt, page_stmt = _queue_stmts(role)
    page = page_stmt.subquery("page")
    text = json_rows(page, spec, page.c.submitted_at, page.c.kind, page.c.id)
    if sees_every_company(role):
        # Every company's: the sum PostgreSQL keeps (models.ProgrammeCounts), not a sum
        # over every company_stats row (0.95 ms at 10,000 companies).
        return sa.select(text, programme_count(ProgrammeCounts.pending_approvals))
    return sa.select(text, count_stmt.scalar_subquery())


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
