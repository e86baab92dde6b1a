"""The `milestones` console script: Flask's CLI with the project's commands."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from milestones.models import Role


def _create_app() -> Flask:
    from milestones import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Milestone Tracker: database, users, demo data, notifications."""


@click.group("users")
def users_cli() -> None:
    """Manage people."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--company", "company_name", help="Company to attach a coach or member to.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, company_name: str | None, password_stdin: bool
) -> None:
    """Create a person (the password is prompted for, never echoed)."""
    import sqlalchemy as sa
    from marshmallow import ValidationError

    from milestones.errors import DomainError
    from milestones.extensions import db
    from milestones.models import Company
    from milestones.schemas.users import UserCreateSchema
    from milestones.services import companies, users

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        data = UserCreateSchema().load(
            {"email": email, "name": name, "role": role, "password": password}
        )
        company = None
        if company_name:
            company = db.session.scalar(sa.select(Company).where(Company.name == company_name))
            if company is None:
                raise click.ClickException(f"No company named {company_name!r}.")
        user = users.create_user(**data)
        if company is not None and user.role == Role.COACH:
            companies.assign_coach(company, user.id)
        elif company is not None and user.role == Role.MEMBER:
            companies.add_member(company, user.id)
    except ValidationError as exc:
        raise click.ClickException(f"Invalid input: {exc.messages}") from exc
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@click.group("stats")
def stats_cli() -> None:
    """The per-company figures the portfolio reads (company_stats)."""


@stats_cli.command("rebuild")
@with_appcontext
def rebuild_stats_command() -> None:
    """Recompute every company's figures from the source rows.

    They are kept in step by the app itself; this is for data written around it (SQL by
    hand, a restored dump of some tables)."""
    import sqlalchemy as sa

    from milestones.extensions import db
    from milestones.models import CompanyStats
    from milestones.services import company_stats

    company_stats.refresh_all()
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(CompanyStats))
    click.echo(f"Recomputed the figures of {count} companies.")


def init_app(app: Flask) -> None:
    from milestones.notifications.cli import digests_cli, notifications_cli
    from milestones.seeds import seed_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(digests_cli)
    app.cli.add_command(stats_cli)
