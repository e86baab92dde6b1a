"""Keeping company_stats in step with the rows it is computed from.

A row holds what the SPEC's portfolio row needs of one company (current milestone: the
first not achieved; its start; milestones achieved; task counts; pending approvals:
submitted tasks + pending updates; last activity; since when the oldest of those waits),
computed by services/stats_rows.py's company_stats_select.

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
    Task,
    TaskReview,
)
from milestones.reporting import attention
from milestones.services.stats_rows import company_stats_select

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
        .values(
            stall_threshold_days=attention.threshold_of(t.current_milestone),
            stall_at=attention.stall_at_of(
                t.current_started_at, attention.threshold_of(t.current_milestone)
            ),
        )
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
