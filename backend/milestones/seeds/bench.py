"""`milestones seed bench --companies N --tasks-per-company M`: bulk benchmark data.

Rows are generated in memory (bench_rows.py: they follow the milestone rules), then
written one batch per table (bench_bulk.py: COPY on PostgreSQL, multi-row INSERTs
elsewhere), never ORM objects one by one; the portfolio's figures are computed once at
the end, and PostgreSQL's statistics refreshed so the first requests get good plans.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from milestones.auth.passwords import hash_password
from milestones.extensions import db
from milestones.models import (
    CoachAssignment,
    Company,
    Evidence,
    HistoryEvent,
    Membership,
    MilestoneStatus,
    ProgressUpdate,
    Task,
    TaskReview,
    User,
)
from milestones.seeds import bench_rows as rows
from milestones.seeds.bench_bulk import insert, insert_returning_ids
from milestones.services import company_stats
from milestones.timeutil import utcnow

PASSWORD = "bench-password-1"
COMPANIES_PER_COACH = rows.COMPANIES_PER_COACH


@dataclass
class BenchResult:
    companies: int
    tasks: int
    logins: dict[str, str] = field(default_factory=dict)  # role -> e-mail
    seconds: float = 0.0
    company_ids: list[int] = field(default_factory=list)


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
    people, n_coaches = rows.people(
        companies, f"{prefix.lower()}{seed}", hash_password(password), now
    )
    user_ids = insert_returning_ids(User, people)
    coach_ids, member_ids = user_ids[1 : 1 + n_coaches], user_ids[1 + n_coaches :]

    company_rows, plans = rows.companies_and_plans(rng, companies, now, prefix, seed)
    company_ids = insert_returning_ids(Company, company_rows)
    insert(
        CoachAssignment,
        [
            {"company_id": cid, "user_id": rows.coach_of(i, coach_ids), "created_at": now}
            for i, cid in enumerate(company_ids)
        ],
    )
    insert(
        Membership,
        [
            {"company_id": cid, "user_id": member_ids[i], "created_at": now}
            for i, cid in enumerate(company_ids)
        ],
    )
    status_ids = insert_returning_ids(
        MilestoneStatus, rows.statuses(company_ids, plans, coach_ids, company_rows)
    )
    evidence, history = rows.evidence_and_history(
        rng, company_ids, plans, coach_ids, status_ids, now
    )
    insert(Evidence, evidence)
    insert(
        HistoryEvent, [{"previous": None, "achieved": None, "reason": None, **h} for h in history]
    )
    task_rows, review_plan = rows.tasks(
        rng, company_ids, plans, coach_ids, member_ids, tasks_per_company, now
    )
    task_ids = insert_returning_ids(Task, task_rows)
    insert(TaskReview, rows.reviews(task_ids, task_rows, review_plan))
    insert(
        ProgressUpdate,
        rows.updates(
            rng, company_ids, plans, coach_ids, member_ids, task_ids, tasks_per_company, now
        ),
    )
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
