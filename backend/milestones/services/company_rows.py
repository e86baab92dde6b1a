"""Rows that belong to one company and carry a milestone and a status (tasks, progress
updates): the filtered list a company page shows, and one row by id, both behind the
company's access rule."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import Action, company_for, company_resource
from milestones.models import User

T = TypeVar("T")


def list_for_company(
    model: Any,
    statuses: type[enum.Enum],
    company_id: int,
    milestone: str | None = None,
    status: str | None = None,
) -> sa.Select[Any]:
    """Newest first; 404 when the caller may not see the company."""
    company_for(Action.VIEW, company_id)
    stmt = (
        sa.select(model)
        .where(model.company_id == company_id)
        .order_by(model.created_at.desc(), model.id.desc())
    )
    if milestone:
        stmt = stmt.where(model.milestone == catalogue.MilestoneKey(milestone))
    if status:
        stmt = stmt.where(model.status == statuses(status))
    return stmt


def get_for_company(
    model: type[T], row_id: int, not_found: str, actor: User, action: Action, lock: bool
) -> T:
    """The row, if the caller may see its company (404 with `not_found` otherwise, as for
    a missing id); 403 if `action` is not theirs. With `lock`, the row is locked (FOR
    UPDATE) so two reviews cannot race."""
    stmt = sa.select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    if lock:
        stmt = stmt.with_for_update()
    return company_resource(action, stmt, not_found, actor)
