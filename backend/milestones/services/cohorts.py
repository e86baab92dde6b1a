"""Cohorts: admins write them; everyone signed in reads those their companies are in."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from milestones.auth.policies import scope
from milestones.errors import Conflict, NotFound, Unprocessable
from milestones.extensions import db
from milestones.models import Cohort, Company, Role, User
from milestones.timeutil import utcnow


def _listing(viewer: User) -> sa.Select[Any]:
    """Cohorts with the number of their companies the viewer may see; for anyone but an
    admin, only cohorts holding at least one of those companies. One statement."""
    count = (
        sa.select(sa.func.count(Company.id))
        .where(Company.cohort_id == Cohort.id, scope(viewer))
        .correlate(Cohort)
        .scalar_subquery()
    )
    stmt = sa.select(Cohort, count.label("company_count")).order_by(Cohort.starts_on, Cohort.id)
    if viewer.role != Role.ADMIN:
        stmt = stmt.where(count > 0)
    return stmt


def _shape(cohort: Cohort, company_count: int) -> dict[str, Any]:
    return {
        "id": cohort.id,
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "company_count": company_count or 0,
    }


def list_cohorts(viewer: User) -> list[dict[str, Any]]:
    return [_shape(c, n) for c, n in db.session.execute(_listing(viewer)).all()]


def get_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("Cohort not found.")
    return cohort


def _with_count(viewer: User, cohort: Cohort) -> dict[str, Any]:
    row = db.session.execute(_listing(viewer).where(Cohort.id == cohort.id)).first()
    return _shape(cohort, row[1] if row else 0)


def _check_name(name: str, except_id: int | None = None) -> None:
    stmt = sa.select(Cohort.id).where(sa.func.lower(Cohort.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Cohort.id != except_id)
    if db.session.scalar(stmt) is not None:
        raise Conflict(f"A cohort named {name!r} already exists.", code="duplicate_name")


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise Unprocessable(
            "ends_on cannot be before starts_on.",
            errors={"json": {"ends_on": ["Must be on or after starts_on."]}},
        )


def create_cohort(viewer: User, name: str, starts_on: date, ends_on: date | None = None) -> Any:
    _check_name(name)
    _check_dates(starts_on, ends_on)
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on, created_at=utcnow())
    db.session.add(cohort)
    db.session.commit()
    return _shape(cohort, 0)


def update_cohort(viewer: User, cohort: Cohort, data: dict[str, Any]) -> Any:
    if "name" in data and data["name"] != cohort.name:
        _check_name(data["name"], except_id=cohort.id)
        cohort.name = data["name"]
    starts_on = data.get("starts_on", cohort.starts_on)
    ends_on = data.get("ends_on", cohort.ends_on)
    _check_dates(starts_on, ends_on)
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    db.session.commit()
    return _with_count(viewer, cohort)


def _not_empty(cohort: Cohort, count: int) -> Conflict:
    return Conflict(
        f"{cohort.name} still has {count} compan{'y' if count == 1 else 'ies'}: "
        "move them to another cohort first.",
        code="cohort_not_empty",
        errors={"company_count": count},
    )


def delete_cohort(cohort: Cohort) -> None:
    count = db.session.scalar(
        sa.select(sa.func.count(Company.id)).where(Company.cohort_id == cohort.id)
    )
    if count:
        raise _not_empty(cohort, count)
    db.session.delete(cohort)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # a company was put in it meanwhile (the foreign key)
        db.session.rollback()
        raise _not_empty(cohort, 1) from None


def check_cohort_exists(cohort_id: int | None) -> None:
    """For company writes: a cohort_id must name an existing cohort (422 otherwise)."""
    if cohort_id is not None and db.session.get(Cohort, cohort_id) is None:
        raise Unprocessable(
            "No such cohort.", code="unknown_cohort", errors={"json": {"cohort_id": ["Unknown."]}}
        )
