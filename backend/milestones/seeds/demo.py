"""Demo data: an admin, a coach, two members and companies at different milestones."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    ProgressUpdate,
    ReviewDecision,
    Role,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.services.companies import create_company
from milestones.timeutil import utcnow

PASSWORD = "milestones-demo"
PEOPLE = [
    ("admin@demo.test", "Ada Admin", Role.ADMIN),
    ("coach@demo.test", "Casey Coach", Role.COACH),
    ("founder@demo.test", "Frankie Founder", Role.MEMBER),
    ("member@demo.test", "Morgan Member", Role.MEMBER),
]
# name, description, days since joining, milestones achieved, member e-mail
COMPANIES = [
    ("Acme Analytics", "Self-serve analytics for small retailers.", 420, 3, "founder@demo.test"),
    ("Birch Health", "Remote physiotherapy for clinics.", 250, 2, "member@demo.test"),
    ("Cobalt Robotics", "Warehouse picking robots as a service.", 160, 1, None),
    ("Dune Energy", "Solar micro-grids for rural co-operatives.", 60, 0, None),
    ("Evergreen Foods", "Plant-based school meals.", 600, 5, None),
]


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo data unless it exists; return the logins (email, password, role)."""
    logins = [(email, PASSWORD, role.value) for email, _, role in PEOPLE]
    if db.session.scalar(sa.select(User.id).where(User.email == PEOPLE[0][0])):
        return logins
    now = utcnow()
    people = {}
    for email, name, role in PEOPLE:
        people[email] = User(
            email=email, name=name, role=role, password_hash=hash_password(PASSWORD)
        )
        db.session.add(people[email])
    db.session.flush()
    coach = people["coach@demo.test"]
    for name, description, age_days, achieved, member_email in COMPANIES:
        company = create_company(name, description, joined_at=now - timedelta(days=age_days))
        db.session.add(CoachAssignment(company_id=company.id, user_id=coach.id))
        if member_email:
            db.session.add(Membership(company_id=company.id, user_id=people[member_email].id))
        _progress(company, achieved, age_days, coach)
    db.session.commit()
    return logins


def _progress(company: Company, achieved: int, age_days: int, coach: User) -> None:
    """Walk the company through its first `achieved` milestones, evidence and history included."""
    step = age_days / (achieved + 1)
    for i, status in enumerate(company.statuses):
        milestone = catalogue.CATALOGUE[i]
        start = company.joined_at + timedelta(days=step * i)
        if i > achieved:
            break
        status.started_at = start
        _tasks(company, milestone.key.value, start, coach, done=i < achieved)
        if i == achieved:
            break
        done_at = start + timedelta(days=step)
        evidence = Evidence(
            status_id=status.id,
            company_id=company.id,
            milestone=milestone.key,
            evidence_type=EvidenceType.LINK,
            title=f"{milestone.title}: review notes",
            description="Coach review of the criteria.",
            url="https://example.com/evidence",
            criterion=milestone.criteria[0].key,
            created_by_id=coach.id,
            created_at=done_at - timedelta(days=1),
        )
        db.session.add(evidence)
        db.session.flush()
        db.session.add_all(
            [
                HistoryEvent(
                    company_id=company.id,
                    milestone=milestone.key,
                    event=HistoryEventType.EVIDENCE_ADDED,
                    actor_id=coach.id,
                    evidence_id=evidence.id,
                    created_at=evidence.created_at,
                ),
                HistoryEvent(
                    company_id=company.id,
                    milestone=milestone.key,
                    event=HistoryEventType.TOGGLED,
                    previous=False,
                    achieved=True,
                    reason=f"All {milestone.title} criteria met.",
                    actor_id=coach.id,
                    created_at=done_at,
                ),
            ]
        )
        status.achieved = True
        status.achieved_at = done_at
        status.last_updated = done_at
        status.updated_by_id = coach.id


def _tasks(company: Company, milestone: str, start: datetime, coach: User, done: bool) -> None:
    key = catalogue.MilestoneKey(milestone)
    for n in range(3):
        created = start + timedelta(days=n + 1)
        approved = done or n == 0
        task = Task(
            company_id=company.id,
            milestone=key,
            title=f"{catalogue.get(milestone).criteria[n].text}",
            description="Gather the evidence and write it up.",
            status=TaskStatus.APPROVED if approved else TaskStatus.OPEN,
            created_by_id=coach.id,
            created_at=created,
            submitted_at=created + timedelta(days=2) if approved else None,
            completed_at=created + timedelta(days=3) if approved else None,
        )
        db.session.add(task)
        db.session.flush()
        if approved:
            db.session.add(
                TaskReview(
                    task_id=task.id,
                    company_id=company.id,
                    milestone=key,
                    decision=ReviewDecision.APPROVED,
                    reviewer_id=coach.id,
                    created_at=created + timedelta(days=3),
                )
            )
        db.session.add(
            ProgressUpdate(
                company_id=company.id,
                milestone=key,
                task_id=task.id,
                body=f"Progress on: {task.title}",
                status=UpdateStatus.APPROVED if approved else UpdateStatus.PENDING,
                created_by_id=coach.id,
                created_at=created + timedelta(days=1),
                reviewed_by_id=coach.id if approved else None,
                reviewed_at=created + timedelta(days=3) if approved else None,
            )
        )


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demo companies and people (skipped if present) and print the logins."""
    logins = seed_demo()
    click.echo(f"Demo logins (password for all: {PASSWORD}):")
    for email, _, role in logins:
        click.echo(f"  {role:<7} {email}")
