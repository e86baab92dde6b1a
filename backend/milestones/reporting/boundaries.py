"""When the clock next changes what a read shows (PostgreSQL): the end of the time a
response cached by api/response_cache.py stays true while the data does not change.

The responses cached are functions of the data and of the request's `now`, and `now`
enters them only as:
- whole days since a stored time (days in a milestone, days over the stall threshold,
  a review's age): they change at that time plus a whole number of days;
- a stored time compared with `now` or with `now` less the settings' days (the three
  attention reasons): it changes once, when `now` reaches it (it then holds until the
  data changes);
- the ISO week of `now` (the trend) and its year (the suggestion's dates).

So each boundary below is a minimum over the stored times of the rows that can show,
and the statement that computes it also names its snapshot (sql/dialect.db_snapshot),
so the caller knows which data it holds for. The portfolio's minimum covers every
company, more than a page shows (a sort or filter by attention depends on them all),
which only makes it earlier. Times are compared in microseconds since the epoch, exact
integers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones.extensions import db
from milestones.models import (
    CompanyStats,
    MilestoneStatus,
)
from milestones.reporting import attention
from milestones.reporting.common import company_id_param
from milestones.sql.dialect import db_snapshot, int_const

DAY_US = 86_400 * 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Whole days are computed in floating point (sql/dialect.whole_days): a boundary is taken
# this much early, so a value a rounding away from flipping is never served past it.
SLACK = timedelta(milliseconds=1)


class Boundary(NamedTuple):
    snapshot: str | None  # the data it holds for (None: a transaction that has written)
    until: datetime  # the first time after `now` at which the response may change


def _micros(value: Any) -> ColumnElement[int]:
    return sa.cast(sa.extract("epoch", value) * int_const(1_000_000), sa.BigInteger)


def _now() -> ColumnElement[int]:
    return sa.bindparam("now_us", type_=sa.BigInteger())


def _next_day(value: Any) -> ColumnElement[int]:
    """Microseconds from now to the next time after now that is `value` plus whole days
    (NULL for NULL)."""
    left = (_micros(value) - _now()) % int_const(DAY_US)  # PostgreSQL: the dividend's sign
    left = (left + int_const(DAY_US)) % int_const(DAY_US)
    ahead = sa.func.coalesce(sa.func.nullif(left, int_const(0)), int_const(DAY_US))
    return sa.case((value.is_(None), sa.null()), else_=ahead)


def _reached(value: Any, days: Any = None) -> ColumnElement[int]:
    """Microseconds from now until `value` (plus `days` whole days), when that lies
    ahead (NULL once reached)."""
    ahead = _micros(value) - _now()
    if days is not None:
        ahead = ahead + days * int_const(DAY_US)
    return sa.case((ahead > int_const(0), ahead))


def _min(*values: Any) -> ColumnElement[Any]:
    return sa.func.min(sa.func.least(*values))


@cache
def _programme_stmt() -> sa.Select[Any]:
    s = CompanyStats
    review_days, inactive_days = attention.reason_days()
    return sa.select(
        _min(
            _next_day(s.current_started_at),
            _next_day(s.stall_at),
            _reached(s.stall_at),
            _reached(s.oldest_pending_at, review_days),
            _reached(s.last_activity, inactive_days),
        ),
        db_snapshot(),
    )


def programme(now: datetime) -> Boundary:
    """For the portfolio (every sort and filter, attention included): the first time
    after `now` at which any company's days in its milestone, days over its threshold
    or attention reasons may change. One pass over company_stats."""
    left, snapshot = db.session.execute(_programme_stmt(), {"now_us": _us(now)}).one()
    return Boundary(snapshot, _until(now, left))


def snapshot() -> str | None:
    """The snapshot a statement run now sees (sql/dialect.db_snapshot)."""
    return db.session.scalar(sa.select(db_snapshot()))


def ages(submitted: list[datetime], now: datetime) -> datetime:
    """For a page of the review queue (chosen and ordered by submission time, which the
    clock does not change): the first time after `now` at which one of its items' age in
    whole days changes."""
    left = min((((_us(at) - _us(now)) % DAY_US) or DAY_US for at in submitted), default=None)
    return _until(now, left)


@cache
def _company_stmt() -> sa.Select[Any]:
    m = MilestoneStatus
    days = (
        sa.select(sa.func.min(_next_day(m.started_at)))
        .where(m.company_id == company_id_param(), m.achieved_at.is_(None))
        .scalar_subquery()
    )
    return sa.select(days, db_snapshot())


def company(company_id: int, now: datetime) -> Boundary:
    """For one company's statuses and metrics: the next whole day of the milestone under
    way (the others' days are fixed), the next ISO week (the trend) or the next year
    (how the suggestion writes dates), whichever comes first."""
    left, snapshot = db.session.execute(
        _company_stmt(), {"company_id": company_id, "now_us": _us(now)}
    ).one()
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + timedelta(weeks=1)
    new_year = datetime(now.year + 1, 1, 1, tzinfo=UTC)
    return Boundary(snapshot, min(_until(now, left), monday, new_year))


def _us(now: datetime) -> int:
    return (now - _EPOCH) // timedelta(microseconds=1)


def _until(now: datetime, left: int | None) -> datetime:
    """`now` plus `left` microseconds, less SLACK; when nothing lies ahead (no rows),
    a day on (a bound, so that the time the response holds stays finite)."""
    return now + timedelta(microseconds=DAY_US if left is None else int(left)) - SLACK
