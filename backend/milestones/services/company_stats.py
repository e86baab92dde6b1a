"""Keeping company_stats in step with the rows it is computed from.

Every ORM flush notes the companies whose tracked rows (the company itself, statuses,
history, evidence, tasks, reviews, updates) it wrote; just before the transaction
commits, those companies' rows are recomputed from the sources by one INSERT ... SELECT
... ON CONFLICT DO UPDATE. Being recomputed rather than adjusted by deltas, a row can
never drift, and no service has to remember to update it. Writes that bypass the ORM
(the bench seed's bulk inserts) call refresh_all().

On PostgreSQL the rows are first locked (SELECT ... FOR UPDATE, in company order): two
transactions changing one company recompute one after the other, the second from a
snapshot that includes the first's commit.
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
    MilestoneStatus,
    ProgressUpdate,
    Task,
    TaskReview,
)
from milestones.services import metrics

TRACKED = (Company, MilestoneStatus, HistoryEvent, Evidence, Task, TaskReview, ProgressUpdate)
_PENDING = "company_stats.pending"
_TABLE: sa.Table = CompanyStats.__table__  # type: ignore[assignment]


@cache
def _upsert(dialect: str, every: bool) -> Any:
    ids: Any = None if every else sa.bindparam("ids", expanding=True)
    select = metrics.company_stats_select(ids)
    if every:
        select = select.where(sa.true())  # SQLite: INSERT ... SELECT ... ON CONFLICT needs one
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_TABLE)
    columns = [c.name for c in _TABLE.c]
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


def refresh(company_ids: Iterable[int], session: OrmSession | None = None) -> None:
    """Recompute these companies' rows (in the caller's transaction)."""
    session = session or db.session()
    ids = sorted(set(company_ids))
    if not ids:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_lock(), {"ids": ids})
    session.execute(_upsert(dialect, False), {"ids": ids})


def refresh_all(session: OrmSession | None = None) -> None:
    """Recompute every company's row (after bulk writes that bypass the ORM)."""
    session = session or db.session()
    session.execute(_upsert(session.get_bind().dialect.name, True))


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


def _refresh_before_commit(session: OrmSession) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        refresh(pending, session)


def _forget(session: OrmSession, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Listen on Flask-SQLAlchemy's sessions (idempotent)."""
    for name, fn in (
        ("after_flush", _note_flushed),
        ("before_commit", _refresh_before_commit),
        ("after_rollback", _forget),
    ):
        if not sa.event.contains(Session, name, fn):
            sa.event.listen(Session, name, fn)
