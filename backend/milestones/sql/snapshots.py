"""When two PostgreSQL snapshots see the same data but for writes that change nothing a
kept answer shows (api/response_cache.py).

A snapshot's text ('xmin:xmax:xip,...', sql/dialect.db_snapshot) names the transactions
whose rows it sees: every one below xmax that is not listed in xip (and did commit). Two
snapshots can only disagree on the transactions that one of them counts as running or
not yet started and the other may see: from the lower xmax to the higher one, and those
listed as running in either. When every one of those is *neutral*, both see the same data
as far as a kept answer goes.

A neutral transaction is one that wrote nothing but the share page's view counts
(sharing/page.py) or the rate limiter's counters (sql/rate_limits.py), which no kept
answer shows. It registers its transaction id here before it
commits, in a ring of the instance folder that every process of this host maps, so every
worker knows it by the time any snapshot shows it committed. A transaction this host did
not register (any other write, another host's, another database's in the same cluster, an
ANALYZE) is not neutral, and the answers are computed again, as before.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context

from milestones.sql.commits import SharedFile

log = logging.getLogger(__name__)

EXTENSION = "milestones.neutral_xids"
SLOTS = 1024  # the last this many neutral transactions are known
_WORD = 8


@dataclass(frozen=True, slots=True)
class Snapshot:
    xmax: int
    running: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Snapshot | None:
        try:
            _, xmax, running = text.split(":")
            return cls(int(xmax), frozenset(int(x) for x in running.split(",") if x))
        except ValueError:
            return None

    def may_not_see(self, other: Snapshot) -> list[int]:
        """The transactions `other` may see and this snapshot does not."""
        later = [x for x in range(self.xmax, other.xmax) if x not in other.running]
        return later + [x for x in self.running if x < other.xmax and x not in other.running]


class NeutralXids(SharedFile):
    """The ring: the number of ids written so far, then SLOTS ids."""

    def __init__(self, path: str) -> None:
        super().__init__(path, _WORD * (1 + SLOTS))
        self._known: tuple[int, frozenset[int]] = (-1, frozenset())

    def add(self, xid: int) -> None:
        with self.locked() as mapped:
            written = int.from_bytes(mapped[:_WORD], "little")
            slot = _WORD * (1 + written % SLOTS)
            mapped[slot : slot + _WORD] = xid.to_bytes(_WORD, "little")
            mapped[:_WORD] = (written + 1).to_bytes(_WORD, "little")

    def known(self) -> frozenset[int]:
        with self.locked(exclusive=False) as mapped:
            written = int.from_bytes(mapped[:_WORD], "little")
            if written != self._known[0]:
                ids = memoryview(mapped)[_WORD:].cast("Q")
                self._known = (written, frozenset(x for x in ids if x))
                ids.release()
        return self._known[1]


def _ring() -> NeutralXids | None:
    ring: NeutralXids | None = current_app.extensions.get(EXTENSION) if has_app_context() else None
    return ring


def register(xid: int | str | None) -> None:
    """Before its commit: the running transaction wrote nothing a kept answer shows (a
    no-op without the app's ring, or without an id: SQLite)."""
    ring = _ring()
    if ring is not None and xid is not None:
        ring.add(int(xid))


def same_data(old: str, new: str) -> bool:
    """Whether snapshot `new` sees what `old` sees, but for neutral transactions."""
    if old == new:
        return True
    ring = _ring()
    before, after = Snapshot.parse(old), Snapshot.parse(new)
    if ring is None or before is None or after is None:
        return False
    if abs(after.xmax - before.xmax) > SLOTS:
        return False
    differ = before.may_not_see(after) + after.may_not_see(before)
    return not differ or set(differ) <= ring.known()


def init_app(app: Flask) -> None:
    """The ring, where the instance folder can hold it (else no transaction is neutral,
    and every write means every answer is computed again). On SQLite nothing registers."""
    ring = NeutralXids(os.path.join(app.instance_path, "neutral.xids"))
    try:
        ring.known()
    except OSError as exc:
        log.warning("neutral transactions unknown (%s): any write renews every answer", exc)
        return
    app.extensions[EXTENSION] = ring
