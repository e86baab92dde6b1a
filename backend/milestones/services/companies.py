"""Companies, created with their five milestone status rows, and the people on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from milestones import catalogue
from milestones.auth.policies import scope
from milestones.errors import Conflict, NotFound, Unprocessable
from milestones.extensions import db
from milestones.models import CoachAssignment, Company, Membership, MilestoneStatus, Role, User
from milestones.services.cohorts import check_cohort_exists
from milestones.sql.search import contains, like_pattern
from milestones.timeutil import utcnow


def list_companies(viewer: User, q: str | None = None) -> sa.Select[Any]:
    stmt = (
        sa.select(Company)
        .where(scope(viewer))
        .options(selectinload(Company.coaches), selectinload(Company.members))
        .order_by(Company.name, Company.id)
    )
    if q:
        stmt = stmt.where(contains(Company.name, like_pattern(q)))
    return stmt


def _name_taken(name: str, except_id: int | None = None) -> bool:
    stmt = sa.select(Company.id).where(sa.func.lower(Company.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Company.id != except_id)
    return db.session.scalar(stmt) is not None


def create_company(
    name: str,
    description: str = "",
    joined_at: datetime | None = None,
    cohort_id: int | None = None,
) -> Company:
    if _name_taken(name):
        raise Conflict(f"A company named {name!r} already exists.", code="duplicate_name")
    now = utcnow()
    joined = joined_at or now
    if joined > now:
        raise Unprocessable(
            "joined_at cannot be in the future.", errors={"json": {"joined_at": ["In the future."]}}
        )
    check_cohort_exists(cohort_id)
    company = Company(
        name=name, description=description, joined_at=joined, created_at=now, cohort_id=cohort_id
    )
    company.statuses = [
        MilestoneStatus(
            milestone=m.key,
            position=i,
            achieved=False,
            started_at=joined if i == 0 else None,
            last_updated=now,
        )
        for i, m in enumerate(catalogue.CATALOGUE)
    ]
    db.session.add(company)
    db.session.commit()
    return company


def update_company(company: Company, data: dict[str, Any]) -> Company:
    if "name" in data and data["name"] != company.name:
        if _name_taken(data["name"], except_id=company.id):
            raise Conflict(
                f"A company named {data['name']!r} already exists.", code="duplicate_name"
            )
        company.name = data["name"]
    if "cohort_id" in data:
        check_cohort_exists(data["cohort_id"])
        company.cohort_id = data["cohort_id"]
    if "description" in data:
        company.description = data["description"]
    if "joined_at" in data:
        joined = data["joined_at"]
        first = company.statuses[0]
        if joined > utcnow():
            raise Unprocessable(
                "joined_at cannot be in the future.",
                errors={"json": {"joined_at": ["In the future."]}},
            )
        if first.achieved_at is not None and joined > first.achieved_at:
            raise Unprocessable(
                "joined_at cannot be after the Value Baseline was achieved.",
                errors={"json": {"joined_at": ["After the first milestone was achieved."]}},
            )
        company.joined_at = joined
        first.started_at = joined
        first.version += 1
    db.session.commit()
    return company


def _person(user_id: int, role: Role) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    if user.role != role:
        raise Unprocessable(
            f"{user.name} is a {user.role.value}, not a {role.value}.",
            code="role_mismatch",
            errors={"user_id": [f"Must be a {role.value}."]},
        )
    if not user.active:
        raise Unprocessable(f"{user.name} is deactivated.", code="user_inactive")
    return user


def assign_coach(company: Company, user_id: int) -> None:
    _person(user_id, Role.COACH)
    if db.session.get(CoachAssignment, (company.id, user_id)) is None:
        db.session.add(CoachAssignment(company_id=company.id, user_id=user_id))
        db.session.commit()


def unassign_coach(company: Company, user_id: int) -> None:
    db.session.execute(
        sa.delete(CoachAssignment).where(
            CoachAssignment.company_id == company.id, CoachAssignment.user_id == user_id
        )
    )
    db.session.commit()


def add_member(company: Company, user_id: int) -> None:
    user = _person(user_id, Role.MEMBER)
    other = db.session.scalar(
        sa.select(Company.name)
        .join(Membership, Membership.company_id == Company.id)
        .where(Membership.user_id == user_id, Company.id != company.id)
    )
    if other is not None:
        raise Conflict(f"{user.name} is already a member of {other}.", code="member_elsewhere")
    if db.session.get(Membership, (company.id, user_id)) is None:
        db.session.add(Membership(company_id=company.id, user_id=user_id))
        db.session.commit()


def remove_member(company: Company, user_id: int) -> None:
    db.session.execute(
        sa.delete(Membership).where(
            Membership.company_id == company.id, Membership.user_id == user_id
        )
    )
    db.session.commit()
