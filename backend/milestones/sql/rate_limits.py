"""Flask-Limiter's counters in the app's own database: `RATELIMIT_STORAGE_URI=database://`.

Flask-Limiter's default, `memory://`, counts per process: behind gunicorn every worker
(and every API container) would allow the whole limit again. This `limits` storage keeps
one row per counted hit in `rate_limit_hits`, so all of them count the same hits, with no
other server to run. It writes on a pooled connection of its own and commits at once,
outside the request's transaction: a hit still counts when the request rolls back (a
failed sign-in, a share page that answers 404).

Moving windows (the default strategy, RATELIMIT_STRATEGY) count the hits of the last
`expiry` seconds; a hit is stored by one INSERT ... SELECT that adds nothing once the
limit is reached, so a key never holds more rows than its limit and a request pays one
statement for it (plus one for Flask-Limiter's headers). Fixed windows count the hits
since the first one of the window. Either way the transaction that stores a hit is
registered as neutral (sql/snapshots.py): no answer the response cache keeps shows these
rows, so a counted hit renews none of them. Expired rows are deleted by the background
worker (`milestones notifications deliver` calls delete_expired). As with any count followed by
an insert under READ COMMITTED, workers taking the last place at the same instant may
all get it: a limit can be passed by the number of workers racing, not more.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from limits.storage import MovingWindowSupport, Storage

from milestones.extensions import db
from milestones.models import RateLimitHit
from milestones.sql import snapshots
from milestones.sql.dialect import current_xid

SCHEME = "database"
Hit = RateLimitHit


def _live(key: str, now: float) -> sa.ColumnElement[bool]:
    return sa.and_(Hit.key == key, Hit.expires_at > now)


def _insert(conn: sa.Connection, key: str, at: float, expires_at: float, amount: int) -> None:
    conn.execute(sa.insert(Hit), [{"key": key, "at": at, "expires_at": expires_at}] * amount)
    _neutral(conn)


def _neutral(conn: sa.Connection) -> None:
    """The counters are shown by no answer the response cache keeps: the transaction that
    writes them is neutral (sql/snapshots.py), so a counted hit renews none of them."""
    snapshots.register(conn.scalar(sa.select(current_xid())))


def delete_expired() -> int:
    """Delete the hits that no longer count (any key); returns how many."""
    with db.engine.begin() as conn:
        return int(conn.execute(sa.delete(Hit).where(Hit.expires_at <= time.time())).rowcount)


class DatabaseStorage(Storage, MovingWindowSupport):
    """A `limits` storage over the `rate_limit_hits` table (registered as database://)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sa.exc.SQLAlchemyError

    # --- fixed window ---------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with db.engine.begin() as conn:
            ends = conn.scalar(sa.select(sa.func.min(Hit.expires_at)).where(_live(key, now)))
            _insert(conn, key, now, ends if ends is not None else now + expiry, amount)
            return int(conn.scalar(sa.select(sa.func.count()).where(_live(key, now))) or 0)

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).where(_live(key, time.time()))) or 0)

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with db.engine.connect() as conn:
            ends = conn.scalar(sa.select(sa.func.min(Hit.expires_at)).where(_live(key, now)))
        return float(ends) if ends is not None else now

    # --- moving window --------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        in_window = sa.select(sa.func.count()).where(Hit.key == key, Hit.at > now - expiry)
        values = (sa.literal(key, sa.Text), sa.literal(now, sa.Double))
        row = sa.select(*values, sa.literal(now + expiry, sa.Double)).where(
            in_window.scalar_subquery() <= limit - amount
        )
        rows = sa.union_all(*[row] * amount) if amount > 1 else row
        insert = sa.insert(Hit).from_select(["key", "at", "expires_at"], rows)
        with db.engine.begin() as conn:  # (the drivers' rowcount is unreliable here)
            added = conn.execute(insert.returning(Hit.id, current_xid())).all()
            if added:
                snapshots.register(added[0][1])
            return len(added) == amount

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(the oldest hit of the last `expiry` seconds, how many there are)."""
        with db.engine.connect() as conn:
            return self._window(conn, key, expiry, time.time())

    @staticmethod
    def _window(conn: sa.Connection, key: str, expiry: int, now: float) -> tuple[float, int]:
        oldest, count = conn.execute(
            sa.select(sa.func.min(Hit.at), sa.func.count()).where(
                Hit.key == key, Hit.at > now - expiry
            )
        ).one()
        return (float(oldest), int(count)) if count else (now, 0)

    # --- housekeeping ---------------------------------------------------------------------

    def check(self) -> bool:
        with db.engine.connect() as conn:
            conn.execute(sa.select(1))
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return int(conn.execute(sa.delete(Hit)).rowcount)

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(sa.delete(Hit).where(Hit.key == key))
