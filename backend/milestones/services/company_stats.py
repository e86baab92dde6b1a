"""Keeping company_stats in step with the rows it is computed from.

A row holds what the SPEC's portfolio row needs of one company (current milestone: the
first not achieved; its start; milestones achieved; task counts; pending approvals:
submitted tasks + pending updates; last activity; since when the oldest of those waits),
computed by company_stats_select.

Every ORM flush notes the companies whose tracked rows (the company itself, statuses,
history, evidence, tasks, reviews, updates) it wrote; just before the transaction
commits, those companies' rows are recomputed from the sources by one INSERT ... SELECT
... ON CONFLICT DO UPDATE. Being recomputed rather than adjusted by deltas, a row can
never drift, and no service has to remember to update it. Writes that bypass the ORM
(the bench seed's bulk inserts) call refresh_all().

On PostgreSQL the rows are first locked (SELECT ... FOR UPDATE, in company order): two
transactions changing one company recompute one after the other, the second from a
snapshot that includes the first's commit.

The programme's medians (milestone_medians, reporting/attention.py) are kept the same
way: a transaction that wrote milestone statuses (or deleted a company) recomputes the
five rows, under a transaction-level advisory lock on PostgreSQL, so that the last of
two concurrent toggles recomputes from both. A row's stall threshold follows from its
current milestone, the medians and the programme settings: a transaction that changed
the medians or the settings also recomputes the threshold of every other row whose
threshold that changes. It takes the advisory lock before any company_stats row, and
locks all the rows it writes in one statement in company order, as every transaction
does, so two of them never wait for each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.session import Session
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased

from milestones import catalogue
from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    Evidence,
    HistoryEvent,
    MilestoneMedian,
    MilestoneStatus,
    ProgrammeSettings,
    ProgressUpdate,
    ReviewStatus,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
)
from milestones.models.milestone import current_milestone_of
from milestones.reporting import attention, suggestions
from milestones.sql.aggregates import count
from milestones.sql.dialect import greatest, int_const, is_

TRACKED = (Company, MilestoneStatus, HistoryEvent, Evidence, Task, TaskReview, ProgressUpdate)
_PENDING = "company_stats.pending"
_MEDIANS = "company_stats.medians"  # the flush wrote statuses: recompute the medians
_SETTINGS = "company_stats.settings"  # the flush wrote the settings: thresholds may change
_MEDIANS_LOCK = 0x6D745F6D  # pg_advisory_xact_lock key of the medians' recomputation
_TABLE: sa.Table = CompanyStats.__table__  # type: ignore[assignment]


@cache
def _upsert(dialect: str, every: bool) -> Any:
    ids: Any = None if every else sa.bindparam("ids", expanding=True)
    select = company_stats_select(ids)
    if every:
        select = select.where(sa.true())  # SQLite: INSERT ... SELECT ... ON CONFLICT needs one
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_TABLE)
    columns = [str(c.key) for c in select.selected_columns]  # in the SELECT's order
    assert set(columns) == set(_TABLE.c.keys()), columns
    stmt = insert.from_select(columns, select)
    return stmt.on_conflict_do_update(
        index_elements=[_TABLE.c.company_id],
        set_={c: stmt.excluded[c] for c in columns if c != "company_id"},
    )


@cache
def _lock() -> sa.Select[Any]:
    return (
        sa.select(_TABLE.c.company_id)
        .where(_TABLE.c.company_id.in_(sa.bindparam("ids", expanding=True)))
        .order_by(_TABLE.c.company_id)
        .with_for_update()
    )


def refresh(
    company_ids: Iterable[int], session: OrmSession | None = None, thresholds: Iterable[int] = ()
) -> None:
    """Recompute these companies' rows, and only the stall threshold of the rows in
    `thresholds` (in the caller's transaction; all of them locked first, on PostgreSQL)."""
    session = session or db.session()
    ids = sorted(set(company_ids))
    others = sorted(set(thresholds) - set(ids))
    if not ids and not others:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_lock(), {"ids": sorted(ids + others)})
    if others:
        session.execute(_threshold_update(), {"ids": others})
    if ids:
        session.execute(_upsert(dialect, False), {"ids": ids})


@cache
def _threshold_update() -> Any:
    t = _TABLE.c
    return (
        sa.update(_TABLE)
        .where(t.company_id.in_(sa.bindparam("ids", expanding=True)))
        .values(stall_threshold_days=attention.threshold_of(t.current_milestone))
    )


@cache
def _stale_thresholds() -> sa.Select[Any]:
    t = _TABLE.c
    return sa.select(t.company_id).where(
        t.stall_threshold_days.is_distinct_from(attention.threshold_of(t.current_milestone))
    )


def stale_thresholds(executor: OrmSession | sa.Connection) -> list[int]:
    """The companies whose stored stall threshold is not what the medians and settings
    give now (after a change to either)."""
    return list(executor.execute(_stale_thresholds()).scalars())


def refresh_thresholds(executor: OrmSession | sa.Connection) -> None:
    """Recompute every stored stall threshold that the medians and settings now change
    (the migrations; transactions go through refresh, which locks the rows first)."""
    stale = stale_thresholds(executor)
    if stale:
        executor.execute(_threshold_update(), {"ids": stale})


def refresh_all(session: OrmSession | None = None) -> None:
    """Recompute the medians and every company's row (after bulk writes that bypass the
    ORM)."""
    session = session or db.session()
    refresh_medians(session)
    session.execute(_upsert(session.get_bind().dialect.name, True))


@cache
def _medians_upsert(dialect: str) -> Any:
    table: sa.Table = MilestoneMedian.__table__  # type: ignore[assignment]
    # SQLite: INSERT ... SELECT ... ON CONFLICT needs a WHERE in the SELECT.
    select = attention.medians_select().where(sa.true())
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    columns = [str(c.key) for c in select.selected_columns]
    stmt = insert.from_select(columns, select)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.milestone],
        set_={c: stmt.excluded[c] for c in columns if c != "milestone"},
    )


def _lock_medians(executor: OrmSession | sa.Connection) -> str:
    """The medians' advisory lock (PostgreSQL; held to the end of the transaction, taken
    again at no cost); returns the dialect's name."""
    bind = executor.get_bind() if isinstance(executor, OrmSession) else executor
    dialect = bind.dialect.name
    if dialect == "postgresql":
        executor.execute(sa.select(sa.func.pg_advisory_xact_lock(_MEDIANS_LOCK)))
    return dialect


def refresh_medians(executor: OrmSession | sa.Connection | None = None) -> None:
    """Recompute milestone_medians from every status (in the caller's transaction)."""
    executor = executor or db.session()
    executor.execute(_medians_upsert(_lock_medians(executor)))


def _company_of(obj: object) -> int | None:
    if isinstance(obj, Company):
        return obj.id
    return getattr(obj, "company_id", None)


def _note_flushed(session: OrmSession, _context: Any) -> None:
    # after_flush: new/dirty/deleted still list what this flush wrote.
    touched = {
        company_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, TRACKED) and (company_id := _company_of(obj)) is not None
    }
    if touched:
        session.info.setdefault(_PENDING, set()).update(touched)
    if any(isinstance(obj, MilestoneStatus) for obj in (*session.new, *session.dirty)) or any(
        isinstance(obj, (Company, MilestoneStatus)) for obj in session.deleted
    ):
        session.info[_MEDIANS] = True
    if any(isinstance(obj, ProgrammeSettings) for obj in (*session.new, *session.dirty)):
        session.info[_SETTINGS] = True


def _refresh_before_commit(session: OrmSession) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None) or set()
    medians = session.info.pop(_MEDIANS, False)
    thresholds: list[int] = []
    if medians or session.info.pop(_SETTINGS, False):
        # The advisory lock first, before any company_stats row (see the module's doc).
        _lock_medians(session)
        if medians:
            refresh_medians(session)
        thresholds = stale_thresholds(session)
    refresh(pending, session, thresholds)


def _forget(session: OrmSession, *_args: Any) -> None:
    for key in (_PENDING, _MEDIANS, _SETTINGS):
        session.info.pop(key, None)


def install() -> None:
    """Listen on Flask-SQLAlchemy's sessions (idempotent)."""
    for name, fn in (
        ("after_flush", _note_flushed),
        ("before_commit", _refresh_before_commit),
        ("after_rollback", _forget),
    ):
        if not sa.event.contains(Session, name, fn):
            sa.event.listen(Session, name, fn)


# ---------------------------------------------------------------------------------------
# The rows, computed from their sources
# ---------------------------------------------------------------------------------------


def _status_info(ids: Any) -> Any:
    """Per company (of `ids`, or all): current milestone (current_milestone_of, SPEC's
    rule), its order and start, milestones achieved and the last achievement, from the
    five status rows."""
    s = MilestoneStatus
    progress = sa.select(
        s.company_id,
        count(s.achieved.is_(True)).label("achieved_count"),
        sa.func.max(s.achieved_at).label("last_achieved"),
    )
    if ids is not None:
        progress = progress.where(s.company_id.in_(ids))
    progress_sq = progress.group_by(s.company_id).subquery("progress")
    current = aliased(MilestoneStatus, name="cur")
    return (
        sa.select(
            progress_sq.c.company_id,
            current.milestone.label("current_milestone"),
            sa.func.coalesce(current.position, int_const(len(catalogue.KEYS))).label("position"),
            current.started_at.label("current_started_at"),
            progress_sq.c.achieved_count,
            progress_sq.c.last_achieved,
        )
        .select_from(progress_sq)
        .outerjoin(
            current,
            sa.and_(
                current.company_id == progress_sq.c.company_id,
                current.milestone == current_milestone_of(progress_sq.c.company_id),
            ),
        )
        .subquery("status_info")
    )


def _earliest(a: Any, b: Any) -> Any:
    """The earlier of two nullable times (NULL when both are)."""
    return sa.case((a.is_(None), b), (b.is_(None), a), (b < a, b), else_=a)


def _grouped(model: Any, ids: Any, *columns: Any) -> Any:
    """Per company (of `ids`, an expanding bound parameter, or all): these aggregates
    of `model`'s rows."""
    stmt = sa.select(model.company_id.label("company_id"), *columns)
    if ids is not None:
        stmt = stmt.where(model.company_id.in_(ids))
    return stmt.group_by(model.company_id).subquery(model.__tablename__ + "_agg")


def _latest(first: Any, *others: Any) -> Any:
    """The latest of several (nullable) times: one max() per column, then GREATEST."""
    top = sa.func.max(first)
    return greatest(top, *(sa.func.coalesce(sa.func.max(o), top) for o in others))


def _activity_aggregates(ids: Any) -> tuple[Any, Any, Any]:
    """(tasks, updates, evidence): each kind's counts, oldest pending and latest time."""
    tasks = _grouped(
        Task,
        ids,
        count(sa.not_(is_(Task.status, TaskStatus.CANCELLED))).label("total"),
        count(is_(Task.status, TaskStatus.APPROVED)).label("completed"),
        count(is_(Task.status, TaskStatus.OPEN, TaskStatus.SUBMITTED)).label("active"),
        count(is_(Task.status, TaskStatus.SUBMITTED)).label("submitted"),
        sa.func.min(Task.submitted_at)
        .filter(is_(Task.status, TaskStatus.SUBMITTED))
        .label("oldest"),
        _latest(Task.created_at, Task.submitted_at, Task.completed_at, Task.cancelled_at).label(
            "last"
        ),
    )
    updates = _grouped(
        ProgressUpdate,
        ids,
        count(is_(ProgressUpdate.status, UpdateStatus.PENDING)).label("pending"),
        sa.func.min(ProgressUpdate.created_at)
        .filter(is_(ProgressUpdate.status, UpdateStatus.PENDING))
        .label("oldest"),
        _latest(ProgressUpdate.created_at, ProgressUpdate.reviewed_at).label("last"),
    )
    proposed = sa.and_(
        is_(Evidence.review_status, ReviewStatus.PROPOSED), Evidence.removed_at.is_(None)
    )
    evidence = _grouped(
        Evidence,
        ids,
        _latest(Evidence.created_at, Evidence.removed_at, Evidence.reviewed_at).label("last"),
        count(proposed).label("proposed"),
        sa.func.min(Evidence.created_at).filter(proposed).label("oldest"),
    )
    return tasks, updates, evidence


def _with_activity(source: Any, ids: Any) -> tuple[list[Any], Any]:
    """Task counts, pending approvals and last activity per company of `source` (a
    subquery with company_id, joined_at, last_achieved), from grouped aggregates
    restricted to the companies in `ids` (an expanding bound parameter) when given.
    Returns (columns, FROM clause)."""

    def newest(column: Any) -> Any:
        # max() through an index on (company_id, time): one probe per company of a page.
        return (
            sa.select(sa.func.max(column))
            .where(column.class_.company_id == source.c.company_id)
            .scalar_subquery()
        )

    tasks, updates, evidence = _activity_aggregates(ids)
    joined = source.c.joined_at
    zero = int_const(0)
    from_clause = source
    for agg in (tasks, updates, evidence):
        from_clause = from_clause.outerjoin(agg, agg.c.company_id == source.c.company_id)
    lasts = [
        source.c.last_achieved,
        *(a.c.last for a in (tasks, updates, evidence)),
        newest(TaskReview.created_at),
        newest(HistoryEvent.created_at),
    ]
    columns = [
        sa.func.coalesce(tasks.c.total, zero).label("total_tasks"),
        sa.func.coalesce(tasks.c.completed, zero).label("completed_tasks"),
        sa.func.coalesce(tasks.c.active, zero).label("active_tasks"),
        (
            sa.func.coalesce(tasks.c.submitted, zero)
            + sa.func.coalesce(updates.c.pending, zero)
            + sa.func.coalesce(evidence.c.proposed, zero)  # members' proposed evidence
        ).label("pending_approvals"),
        greatest(joined, *(sa.func.coalesce(last, joined) for last in lasts)).label(
            "last_activity"
        ),
        _earliest(_earliest(tasks.c.oldest, updates.c.oldest), evidence.c.oldest).label(
            "oldest_pending_at"
        ),
    ]
    return columns, from_clause


def company_stats_select(ids: Any) -> sa.Select[Any]:
    """The rows of company_stats, computed from their sources, for the companies whose
    ids are in `ids` (an expanding bound parameter), or for all when None."""
    info = _status_info(ids)
    source = sa.select(
        Company.id.label("company_id"),
        sa.func.lower(Company.name).label("sort_name"),
        Company.joined_at,
        info.c.current_milestone,
        info.c.position,
        info.c.current_started_at,
        info.c.achieved_count,
        info.c.last_achieved,
    ).outerjoin(info, info.c.company_id == Company.id)
    if ids is not None:
        source = source.where(Company.id.in_(ids))
    src = source.subquery("source")
    activity, from_clause = _with_activity(src, ids)
    latest = suggestions.latest_metrics(ids=ids)
    from_clause = from_clause.outerjoin(latest, latest.c.company_id == src.c.company_id)
    return sa.select(
        src.c.company_id,
        src.c.sort_name,
        src.c.current_milestone,
        sa.func.coalesce(src.c.position, int_const(len(catalogue.KEYS))).label("position"),
        src.c.current_started_at,
        sa.func.coalesce(src.c.achieved_count, int_const(0)).label("achieved_count"),
        *activity,
        suggestions.suggested_milestone(src.c.current_milestone, latest).label(
            "suggested_milestone"
        ),
        attention.threshold_of(src.c.current_milestone).label("stall_threshold_days"),
    ).select_from(from_clause)
