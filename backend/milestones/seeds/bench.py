"""`milestones seed bench --companies N --tasks-per-company M`: bulk benchmark data.

Rows are generated in memory, then written with multi-row INSERTs (executemany with
SQLAlchemy's "insertmanyvalues" batches), one statement batch per table, never ORM
objects one by one. The data follow the milestone rules: milestones achieved in order,
each started when the previous one was achieved, at least one evidence item (not
removed) on every achieved milestone, a toggle in the history for each, tasks and
updates only on milestones already started, completion and review times in the past.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from milestones import catalogue
from milestones.auth.passwords import hash_password
from milestones.extensions import db
from milestones.models import (
    CoachAssignment,
    Company,
    Evidence,
    EvidenceType,
    HistoryEvent,
    HistoryEventType,
    Membership,
    MilestoneStatus,
    ProgressUpdate,
    ReviewDecision,
    Role,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.services import company_stats
from milestones.timeutil import utcnow

PASSWORD = "bench-password-1"
COMPANIES_PER_COACH = 25
# How many milestones the companies have achieved: most are early, a few are done.
ACHIEVED_WEIGHTS = (22, 26, 22, 15, 10, 5)
DAY = timedelta(days=1)


@dataclass
class BenchResult:
    companies: int
    tasks: int
    logins: dict[str, str] = field(default_factory=dict)  # role -> e-mail
    seconds: float = 0.0
    company_ids: list[int] = field(default_factory=list)


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _moment(
    rng: random.Random,
    timeline: list[tuple[datetime | None, datetime | None]],
    current: int,
    now: datetime,
    on_current: float,
    spread: float,
) -> tuple[int, datetime, datetime | None, datetime]:
    """Where a task or update falls: its milestone (the current one with probability
    `on_current`, else any reached so far), a creation time within the first `spread` of
    that milestone's span, the milestone's achievement (or None) and the span's end."""
    position = current if rng.random() < on_current else rng.randint(0, current)
    start, done = timeline[position]
    assert start is not None
    end = done or now
    return position, start + (end - start) * rng.uniform(0.0, spread), done, end


def _copy(model: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: stream the rows with COPY, in the session's transaction."""
    table = model.__table__
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(model, rows)
    else:
        db.session.execute(sa.insert(model.__table__), rows)


def _insert_returning_ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert, ids back in the order of the rows.

    On PostgreSQL the ids are drawn from the table's sequence in one statement and the
    rows are COPied with them; elsewhere a multi-row INSERT ... RETURNING gives them."""
    if not rows:
        return []
    table = model.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(
            db.session.scalars(
                sa.text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": len(rows)},
            )
        )
        _copy(model, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    result = db.session.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def seed_bench(
    companies: int,
    tasks_per_company: int,
    *,
    seed: int = 1,
    password: str = PASSWORD,
    prefix: str = "Bench",
) -> BenchResult:
    started = time.perf_counter()
    rng = random.Random(seed)
    now = utcnow()
    password_hash = hash_password(password)
    tag = f"{prefix.lower()}{seed}"

    # People: one admin, a coach per COMPANIES_PER_COACH companies, a member per company.
    n_coaches = max(1, -(-companies // COMPANIES_PER_COACH))
    people: list[dict[str, Any]] = [
        {"email": f"admin@{tag}.test", "name": "Bench Admin", "role": Role.ADMIN.value}
    ]
    people += [
        {"email": f"coach{i}@{tag}.test", "name": f"Bench Coach {i}", "role": Role.COACH.value}
        for i in range(n_coaches)
    ]
    people += [
        {"email": f"member{i}@{tag}.test", "name": f"Bench Member {i}", "role": "member"}
        for i in range(companies)
    ]
    for person in people:
        person.update(password_hash=password_hash, active=True, session_version=1, created_at=now)
    user_ids = _insert_returning_ids(User, people)
    coach_ids, member_ids = (
        user_ids[1 : 1 + n_coaches],
        user_ids[1 + n_coaches :],
    )

    # Companies and their milestone timelines.
    plans: list[tuple[int, list[tuple[datetime | None, datetime | None]]]] = []
    company_rows = []
    for i in range(companies):
        achieved = rng.choices(range(6), weights=ACHIEVED_WEIGHTS)[0]
        spans = [_days(rng, 5, 120) for _ in range(achieved)]
        current_span = _days(rng, 1, 90) if achieved < 5 else _days(rng, 1, 60)
        joined = now - sum(spans, timedelta()) - current_span
        timeline: list[tuple[datetime | None, datetime | None]] = []
        cursor = joined
        for position in range(5):
            if position < achieved:
                timeline.append((cursor, cursor + spans[position]))
                cursor = cursor + spans[position]
            elif position == achieved:
                timeline.append((cursor, None))
            else:
                timeline.append((None, None))
        plans.append((achieved, timeline))
        company_rows.append(
            {
                "name": f"{prefix} {seed}-{i:05d} {rng.choice(_WORDS)} {rng.choice(_NOUNS)}",
                "description": "Benchmark company",
                "joined_at": joined,
                "created_at": joined,
            }
        )
    company_ids = _insert_returning_ids(Company, company_rows)

    _insert(
        CoachAssignment,
        [
            {"company_id": cid, "user_id": coach_ids[i // COMPANIES_PER_COACH], "created_at": now}
            for i, cid in enumerate(company_ids)
        ],
    )
    _insert(
        Membership,
        [
            {"company_id": cid, "user_id": member_ids[i], "created_at": now}
            for i, cid in enumerate(company_ids)
        ],
    )

    status_rows = []
    for cid, (_, timeline), i in zip(company_ids, plans, range(companies), strict=True):
        coach_id = coach_ids[i // COMPANIES_PER_COACH]
        for position, (start, done) in enumerate(timeline):
            status_rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "position": position,
                    "achieved": done is not None,
                    "started_at": start,
                    "achieved_at": done,
                    "last_updated": done or start or company_rows[i]["joined_at"],
                    "updated_by_id": coach_id if done else None,
                    "version": 2 if done else 1,
                }
            )
    status_ids = _insert_returning_ids(MilestoneStatus, status_rows)

    # Evidence (1-3 on each achieved milestone, sometimes on the current one; some extra
    # removed items) and the history of the toggles and evidence.
    evidence_rows: list[dict[str, Any]] = []
    history_rows: list[dict[str, Any]] = []
    for i, (cid, (_, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_ids[i // COMPANIES_PER_COACH]
        for position, (start, done) in enumerate(timeline):
            if start is None:
                continue
            key = catalogue.KEYS[position]
            count = rng.randint(1, 3) if done else rng.choice((0, 0, 1))
            end = done or now
            for n in range(count + (1 if rng.random() < 0.15 else 0)):
                created = start + (end - start) * rng.uniform(0.1, 0.95)
                removed = created + (end - created) * 0.5 if n >= count else None
                kind = rng.choice((EvidenceType.LINK, EvidenceType.METRIC))
                criterion = rng.choice(catalogue.get(key).criteria).key
                evidence_rows.append(
                    {
                        "status_id": status_ids[i * 5 + position],
                        "company_id": cid,
                        "milestone": key,
                        "evidence_type": kind.value,
                        "title": f"{criterion.replace('_', ' ').capitalize()} proof",
                        "description": "",
                        "url": "https://example.com/proof" if kind == EvidenceType.LINK else None,
                        "criterion": criterion,
                        "metric_value": rng.uniform(1, 1000)
                        if kind == EvidenceType.METRIC
                        else None,
                        "metric_unit": "customers" if kind == EvidenceType.METRIC else None,
                        "created_by_id": coach_id,
                        "created_at": created,
                        "removed_at": removed,
                        "removed_by_id": coach_id if removed else None,
                    }
                )
                history_rows.append(
                    {
                        "company_id": cid,
                        "milestone": key,
                        "event": HistoryEventType.EVIDENCE_ADDED.value,
                        "actor_id": coach_id,
                        "created_at": created,
                    }
                )
                if removed:
                    history_rows.append(
                        {
                            "company_id": cid,
                            "milestone": key,
                            "event": HistoryEventType.EVIDENCE_REMOVED.value,
                            "actor_id": coach_id,
                            "created_at": removed,
                        }
                    )
            if done:
                history_rows.append(
                    {
                        "company_id": cid,
                        "milestone": key,
                        "event": HistoryEventType.TOGGLED.value,
                        "previous": False,
                        "achieved": True,
                        "reason": "Criteria met",
                        "actor_id": coach_id,
                        "created_at": done,
                    }
                )
    _insert(Evidence, evidence_rows)
    _insert(
        HistoryEvent,
        [{"previous": None, "achieved": None, "reason": None, **h} for h in history_rows],
    )

    # Tasks, mostly on the current milestone, the rest on achieved ones.
    task_rows: list[dict[str, Any]] = []
    review_plan: list[tuple[int, list[tuple[str, datetime, str | None]]]] = []
    for i, (cid, (achieved, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_ids[i // COMPANIES_PER_COACH]
        member_id = member_ids[i]
        current = min(achieved, 4)
        for _ in range(tasks_per_company):
            position, created, done, end = _moment(rng, timeline, current, now, 0.5, 0.8)
            roll = rng.random()
            if done is not None:
                status = TaskStatus.APPROVED if roll < 0.85 else TaskStatus.CANCELLED
            elif roll < 0.35:
                status = TaskStatus.OPEN
            elif roll < 0.55:
                status = TaskStatus.SUBMITTED
            elif roll < 0.92:
                status = TaskStatus.APPROVED
            else:
                status = TaskStatus.CANCELLED
            finished = created + (end - created) * rng.uniform(0.1, 1.0)
            reviews: list[tuple[str, datetime, str | None]] = []
            if rng.random() < 0.2 and status != TaskStatus.CANCELLED:
                reviews.append(
                    (
                        ReviewDecision.REJECTED.value,
                        created + (finished - created) / 2,
                        "More detail",
                    )
                )
            if status == TaskStatus.APPROVED:
                reviews.append((ReviewDecision.APPROVED.value, finished, None))
            task_rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "title": f"Task {len(task_rows) + 1}",
                    "description": "",
                    "status": status.value,
                    "created_by_id": rng.choice((coach_id, member_id)),
                    "created_at": created,
                    "submitted_at": finished if status == TaskStatus.SUBMITTED else None,
                    "submitted_by_id": member_id if status == TaskStatus.SUBMITTED else None,
                    "completed_at": finished if status == TaskStatus.APPROVED else None,
                    "cancelled_at": finished if status == TaskStatus.CANCELLED else None,
                    "last_review_comment": reviews[0][2] if reviews else None,
                }
            )
            review_plan.append((coach_id, reviews))
    task_ids = _insert_returning_ids(Task, task_rows)
    review_rows = [
        {
            "task_id": tid,
            "company_id": task["company_id"],
            "milestone": task["milestone"],
            "decision": decision,
            "comment": comment,
            "reviewer_id": coach_id,
            "created_at": when,
        }
        for tid, task, (coach_id, reviews) in zip(task_ids, task_rows, review_plan, strict=True)
        for decision, when, comment in reviews
    ]
    _insert(TaskReview, review_rows)

    # Progress updates: a quarter as many as tasks, a few tied to a task.
    update_rows: list[dict[str, Any]] = []
    per_company = max(1, tasks_per_company // 4) if tasks_per_company else 0
    for i, (cid, (achieved, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_ids[i // COMPANIES_PER_COACH]
        current = min(achieved, 4)
        for _ in range(per_company):
            position, created, done, end = _moment(rng, timeline, current, now, 0.6, 0.9)
            roll = rng.random()
            if done is not None:
                update_status = UpdateStatus.APPROVED if roll < 0.85 else UpdateStatus.REJECTED
            elif roll < 0.55:
                update_status = UpdateStatus.APPROVED
            elif roll < 0.7:
                update_status = UpdateStatus.REJECTED
            else:
                update_status = UpdateStatus.PENDING
            reviewed = (
                created + (end - created) * rng.uniform(0.05, 1.0)
                if update_status != UpdateStatus.PENDING
                else None
            )
            task_index = i * tasks_per_company + rng.randrange(tasks_per_company)
            update_rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "task_id": task_ids[task_index] if rng.random() < 0.2 else None,
                    "body": "Weekly progress: pipeline, revenue and next steps.",
                    "status": update_status.value,
                    "created_by_id": member_ids[i],
                    "created_at": created,
                    "reviewed_by_id": coach_id if reviewed else None,
                    "reviewed_at": reviewed,
                    "review_comment": "Thanks" if reviewed else None,
                }
            )
    _insert(ProgressUpdate, update_rows)
    company_stats.refresh_all()  # the bulk inserts above bypass the ORM's bookkeeping
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Fresh statistics so the first benchmark requests get good plans.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))

    return BenchResult(
        companies=companies,
        tasks=len(task_rows),
        logins={
            "admin": people[0]["email"],
            "coach": people[1]["email"],
            "member": people[1 + n_coaches]["email"] if companies else "",
        },
        seconds=time.perf_counter() - started,
        company_ids=company_ids,
    )


_WORDS = ("Blue", "Swift", "Bright", "North", "Quiet", "Iron", "Green", "Silver", "Open", "Prime")
_NOUNS = ("Labs", "Health", "Robotics", "Energy", "Foods", "Analytics", "Logistics", "Pay")


@click.command("bench")
@click.option("--companies", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--tasks-per-company", type=click.IntRange(0, 10_000), default=100, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed (and tag).")
@click.option("--password", default=PASSWORD, show_default=True, help="Password of every login.")
@with_appcontext
def bench_command(companies: int, tasks_per_company: int, seed: int, password: str) -> None:
    """Bulk benchmark data: companies at every milestone with tasks, reviews, updates."""
    tag = f"bench{seed}"
    if db.session.scalar(sa.select(User.id).where(User.email == f"admin@{tag}.test")):
        raise click.ClickException(
            f"Bench data with seed {seed} already exists; use another --seed or a fresh database."
        )
    result = seed_bench(companies, tasks_per_company, seed=seed, password=password)
    click.echo(
        f"Seeded {result.companies} companies and {result.tasks} tasks in {result.seconds:.1f} s."
    )
    for role, email in result.logins.items():
        click.echo(f"  {role:<7} {email}  password: {password}")
