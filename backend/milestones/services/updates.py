"""Progress updates: posted by a company's members or coaches, reviewed by its coaches."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import Action, company_or_404, row_for_company
from milestones.errors import Conflict, Unprocessable
from milestones.extensions import db
from milestones.models import ProgressUpdate, Task, UpdateStatus, User
from milestones.services.company_rows import by_id, list_for_company
from milestones.services.tasks import milestone_or_current
from milestones.timeutil import utcnow
from milestones.webhooks import events as webhook_events


def list_updates(
    company_id: int, milestone: str | None = None, status: str | None = None
) -> sa.Select[Any]:
    return list_for_company(ProgressUpdate, UpdateStatus, company_id, milestone, status)


def create_update(
    actor: User,
    company_id: int,
    body: str,
    milestone: str | None = None,
    task_id: int | None = None,
) -> ProgressUpdate:
    company = company_or_404(company_id, Action.POST_UPDATE, actor)
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
    return row_for_company(
        by_id(ProgressUpdate, update_id, lock), action, "Progress update not found.", actor
    )


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
    webhook_events.update_reviewed(update, actor)
    db.session.commit()
    return update
