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


def init_app(app: Flask) -> None:
    from milestones.notifications.cli import notifications_cli
    from milestones.seeds import seed_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(notifications_cli)
