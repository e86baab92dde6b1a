"""Rows that belong to one company and carry a milestone and a status (tasks, progress
updates): the filtered list a company page shows, and one row by id for the
company's access rule (policies.row_for_company)."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import Action, company_or_404

T = TypeVar("T")


def list_for_company(
    model: Any,
    statuses: type[enum.Enum],
    company_id: int,
    milestone: str | None = None,
    status: str | None = None,
) -> sa.Select[Any]:
    """Newest first; 404 when the caller may not see the company."""
    company_or_404(company_id, Action.VIEW)
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


def by_id(model: type[T], row_id: int, lock: bool) -> sa.Select[T]:
    """The row with this id; with `lock`, locked (FOR UPDATE) so two reviews cannot race.
    For policies.row_for_company, which checks its company."""
    stmt = sa.select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    return stmt.with_for_update() if lock else stmt
