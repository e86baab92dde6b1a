"""Progress updates: posted by a company's members or coaches, reviewed by its coaches."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import Action, company_for, company_resource
from milestones.errors import Conflict, Unprocessable
from milestones.extensions import db
from milestones.models import ProgressUpdate, Task, UpdateStatus, User
from milestones.services.tasks import milestone_or_current
from milestones.timeutil import utcnow


def list_updates(
    company_id: int, milestone: str | None = None, status: str | None = None
) -> sa.Select[Any]:
    company_for(Action.VIEW, company_id)
    stmt = (
        sa.select(ProgressUpdate)
        .where(ProgressUpdate.company_id == company_id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
    if milestone:
        stmt = stmt.where(ProgressUpdate.milestone == catalogue.MilestoneKey(milestone))
    if status:
        stmt = stmt.where(ProgressUpdate.status == UpdateStatus(status))
    return stmt


def create_update(
    actor: User,
    company_id: int,
    body: str,
    milestone: str | None = None,
    task_id: int | None = None,
) -> ProgressUpdate:
    company = company_for(Action.POST_UPDATE, company_id, actor)
    if task_id is not None:
        task_company = db.session.scalar(sa.select(Task.company_id).where(Task.id == task_id))
        if task_company != company.id:
            raise Unprocessable(
                "The task does not belong to this company.",
                code="task_mismatch",
                errors={"json": {"task_id": ["No such task in this company."]}},
            )
    key = milestone_or_current(company, milestone, "update")
    update = ProgressUpdate(
        company_id=company.id,
        milestone=catalogue.MilestoneKey(key),
        task_id=task_id,
        body=body,
        status=UpdateStatus.PENDING,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(update)
    db.session.commit()
    return update


def get_update(
    actor: User, update_id: int, *, action: Action = Action.VIEW, lock: bool = False
) -> ProgressUpdate:
    stmt = sa.select(ProgressUpdate).where(ProgressUpdate.id == update_id)
    if lock:
        stmt = stmt.with_for_update()
    return company_resource(action, stmt, "Progress update not found.", actor)


def review_update(
    actor: User, update_id: int, decision: UpdateStatus, comment: str | None = None
) -> ProgressUpdate:
    update = get_update(actor, update_id, action=Action.REVIEW, lock=True)
    if update.status != UpdateStatus.PENDING:
        status = update.status.value
        db.session.rollback()
        raise Conflict(
            f"This update is already {status}; only pending updates can be reviewed.",
            code="update_not_pending",
        )
    update.status = decision
    update.reviewed_by_id = actor.id
    update.reviewed_at = utcnow()
    update.review_comment = comment or None
    db.session.commit()
    return update
