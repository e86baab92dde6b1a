"""`milestones seed demo`: an admin, two coaches with their own portfolios, members and
twelve companies at every stage of the programme, with recent activity (seeds/demo_plan.py
says what, seeds/demo_company.py writes it through the shared builder).

Idempotent: people are found by e-mail and companies by name; what exists is left as it
is, so a second run changes nothing. Each company is committed on its own.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from milestones.auth.passwords import hash_password
from milestones.extensions import db
from milestones.models import Company, Role, User
from milestones.seeds.demo_company import DemoCompany
from milestones.seeds.demo_plan import COMPANIES, PASSWORD, PEOPLE
from milestones.seeds.factory import Builder
from milestones.timeutil import utcnow

__all__ = ["PASSWORD", "demo_command", "seed_demo"]


class _People:
    """The demo's people by e-mail, created when missing (one password hash for all)."""

    def __init__(self, build: Builder) -> None:
        self.build = build
        self._hash: str | None = None

    def get(self, email: str, name: str, role: Role) -> User:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            if self._hash is None:
                self._hash = hash_password(PASSWORD)
            user = self.build.user(role, email=email, name=name, password_hash=self._hash)
        return user


def seed_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo; return the logins (email, password, role)."""
    build = Builder()
    people = _People(build)
    named = {email: people.get(email, name, role) for email, name, role in PEOPLE}
    db.session.commit()
    now = utcnow()
    for plan in COMPANIES:
        if db.session.scalar(sa.select(Company.id).where(Company.name == plan.name)):
            continue
        member = named.get(plan.member_email) or people.get(
            plan.member_email, plan.member_name or f"{plan.name} team", Role.MEMBER
        )
        DemoCompany(build, plan, [named[c] for c in plan.coaches], member, now).write()
        db.session.commit()
    return [(email, PASSWORD, role.value) for email, _, role in PEOPLE]


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo people and companies (what exists is kept) and print the logins."""
    logins = seed_demo()
    click.echo(f"Demo logins (password for all: {PASSWORD}):")
    for email, _, role in logins:
        click.echo(f"  {role:<7} {email}")
    click.echo("  member  team.<company>@demo.test for the other companies (e.g. team.cobalt)")
