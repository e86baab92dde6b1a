"""Weekly digests: sent through the outbox, at most one per recipient per ISO week.

The machinery runs a list of producers (PRODUCERS), each with its own `kind`. A producer
yields one Digest per recipient who should get one this week (nothing for a recipient
with nothing to say or who opted out); for each, this module claims the key
(kind, recipient, ISO week) in digest_sends and queues the mail in the same transaction.
The key is claimed with INSERT ... ON CONFLICT DO NOTHING: of two workers (or reruns)
racing for one recipient, the second waits for the first's commit, inserts nothing and
queues nothing. A rerun in the same week therefore sends nothing new.

Digests are due from the settings' weekday and hour (UTC) of each ISO week on
(milestones.programme: digest_weekday, digest_hour_utc); `milestones digests send` sends
what is due, `--now` sends regardless of the hour; the outbox worker calls
Schedule.tick() between its passes, so no cron is needed.

Adding a digest (the stakeholders' weekly one): write a producer
`def produce(week: Week, already: set[str]) -> Iterable[Digest]` and append
DigestProducer("its_kind", produce) to PRODUCERS. `already` holds the recipients that
have this week's digest of that kind: skip them to save the rendering.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from milestones import catalogue, programme
from milestones.extensions import db
from milestones.models import DigestSend
from milestones.notifications import outbox, rendering
from milestones.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Week:
    """The ISO week a digest run is for."""

    label: str  # '2026-W07'
    starts_at: datetime  # Monday 00:00 UTC
    due_at: datetime  # the settings' weekday and hour in that week
    now: datetime  # when the run happens (content covers the 7 days before)

    @property
    def since(self) -> datetime:
        return self.now - timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    """One recipient's mail of a digest kind."""

    recipient: str
    subject: str
    body: rendering.Rendered
    company_id: int | None = None
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class DigestProducer:
    kind: str
    produce: Callable[[Week, set[str]], Iterable[Digest]]


PRODUCERS: list[DigestProducer] = []


def week_of(now: datetime) -> Week:
    s = programme.load()
    year, number, weekday = now.isocalendar()
    monday = (now - timedelta(days=weekday - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    due = monday + timedelta(days=s.digest_weekday - 1, hours=s.digest_hour_utc)
    return Week(f"{year}-W{number:02d}", monday, due, now)


def track(current: str | None) -> list[dict[str, str]]:
    """The five-step track of a company whose current milestone is `current` (None once
    all five are achieved): [{title, state: reached|current|upcoming}]."""
    at = len(catalogue.ORDER) if current is None else catalogue.KEYS.index(current)
    return [
        {
            "title": m.title,
            "state": "reached" if i < at else "current" if i == at else "upcoming",
        }
        for i, m in enumerate(catalogue.CATALOGUE)
    ]


def _claim(kind: str, recipient: str, week: str) -> bool:
    """Take the key (kind, recipient, week) in this transaction; False if it is taken."""
    table: sa.Table = DigestSend.__table__  # type: ignore[assignment]
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = (
        insert.values(kind=kind, recipient=recipient, iso_week=week, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["kind", "recipient", "iso_week"])
        .returning(table.c.id)
    )
    return db.session.execute(stmt).scalar() is not None


def _already(kind: str, week: str) -> set[str]:
    rows = db.session.scalars(
        sa.select(DigestSend.recipient).where(DigestSend.kind == kind, DigestSend.iso_week == week)
    )
    return set(rows)


def _queue(kind: str, week: Week, digest: Digest) -> bool:
    """Claim and queue one digest in one transaction; False when it was already queued."""
    try:
        if not _claim(kind, digest.recipient, week.label):
            db.session.rollback()
            return False
        recipient = sa.select(sa.literal(digest.recipient, type_=sa.String).label("email"))
        outbox.enqueue(
            recipient,
            kind,
            digest.subject,
            digest.body,
            company_id=digest.company_id,
            headers=digest.headers,
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return True


@dataclass
class RunResult:
    week: str = ""
    due: bool = False
    queued: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def send_due(now: datetime | None = None, *, force: bool = False) -> RunResult:
    """Queue this week's digests that are due and not queued yet (all of them with
    `force`, whatever the hour). Returns how many of each kind were queued."""
    now = now or utcnow()
    week = week_of(now)
    result = RunResult(week=week.label, due=force or now >= week.due_at)
    if not result.due:
        db.session.rollback()
        return result
    for producer in PRODUCERS:
        already = _already(producer.kind, week.label)
        count = 0
        for digest in producer.produce(week, already):
            if digest.recipient not in already and _queue(producer.kind, week, digest):
                count += 1
        result.queued[producer.kind] = count
        # Said when there is news: a worker looks every pass, and mostly finds none.
        log.log(
            logging.INFO if count else logging.DEBUG,
            "digests %s for %s: %s queued",
            producer.kind,
            week.label,
            count,
        )
    db.session.rollback()
    return result


class Schedule:
    """What the outbox worker calls between passes: at most one check every
    `every` seconds, and none more in a week once that week's run has completed."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self.next_check = 0.0
        self.done_week: str | None = None

    def tick(self, now: datetime | None = None) -> RunResult | None:
        if time.monotonic() < self.next_check:
            return None
        self.next_check = time.monotonic() + self.every
        now = now or utcnow()
        if self.done_week == week_of(now).label:
            db.session.rollback()
            return None
        result = send_due(now)
        if result.due:
            self.done_week = result.week
        return result


def _register_builtin() -> None:
    from milestones.notifications import coach_digest, stakeholder_digests

    PRODUCERS.append(DigestProducer(coach_digest.KIND, coach_digest.produce))
    PRODUCERS.append(DigestProducer(stakeholder_digests.KIND, stakeholder_digests.produce))


_register_builtin()
