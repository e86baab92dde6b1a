"""Tasks and their coach reviews: open -> submitted -> approved, or rejected back to open.

A task belongs to a company and a milestone. When no milestone is given it goes to the
company's current milestone; once all five are achieved there is no current one, and the
caller must name a milestone (422 otherwise).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from milestones import catalogue
from milestones.auth.policies import Action, company_or_404, row_for_company
from milestones.errors import Conflict, Unprocessable
from milestones.extensions import db
from milestones.models import Company, ReviewDecision, Task, TaskReview, TaskStatus, User
from milestones.services.company_rows import by_id, list_for_company
from milestones.timeutil import utcnow
from milestones.webhooks import events as webhook_events


def milestone_or_current(company: Company, milestone: str | None, what: str) -> str:
    """The milestone asked for, else the company's current one (422 once all are done)."""
    if milestone:
        return milestone
    current = company.current_milestone
    if current is None:
        raise Unprocessable(
            f"All five milestones are achieved: choose the milestone of this {what}.",
            code="milestone_required",
            errors={"json": {"milestone": ["Required once every milestone is achieved."]}},
        )
    return catalogue.MilestoneKey(current).value


def list_tasks(
    company_id: int, milestone: str | None = None, status: str | None = None
) -> sa.Select[Any]:
    return list_for_company(Task, TaskStatus, company_id, milestone, status)


def create_task(
    actor: User,
    company_id: int,
    title: str,
    description: str = "",
    milestone: str | None = None,
) -> Task:
    company = company_or_404(company_id, Action.CREATE_TASK, actor)
    key = milestone_or_current(company, milestone, "task")
    task = Task(
        company_id=company.id,
        milestone=catalogue.MilestoneKey(key),
        title=title,
        description=description,
        status=TaskStatus.OPEN,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(task)
    db.session.commit()
    return task


def get_task(
    actor: User, task_id: int, *, action: Action = Action.VIEW, lock: bool = False
) -> Task:
    return row_for_company(by_id(Task, task_id, lock), action, "Task not found.", actor)


def _require(task: Task, allowed: tuple[TaskStatus, ...], verb: str) -> None:
    if task.status not in allowed:
        states = " or ".join(s.value for s in allowed)
        db.session.rollback()
        raise Conflict(
            f"Cannot {verb} a task that is {task.status.value}; it must be {states}.",
            code="invalid_task_state",
        )


def submit_task(actor: User, task_id: int) -> Task:
    task = get_task(actor, task_id, action=Action.SUBMIT_TASK, lock=True)
    _require(task, (TaskStatus.OPEN,), "submit")
    task.status = TaskStatus.SUBMITTED
    task.submitted_at = utcnow()
    task.submitted_by_id = actor.id
    db.session.commit()
    return task


def _review(task: Task, actor: User, decision: ReviewDecision, comment: str | None) -> None:
    db.session.add(
        TaskReview(
            task_id=task.id,
            company_id=task.company_id,
            milestone=task.milestone,
            decision=decision,
            comment=comment or None,
            reviewer_id=actor.id,
            created_at=utcnow(),
        )
    )


def approve_task(actor: User, task_id: int, comment: str | None = None) -> Task:
    task = get_task(actor, task_id, action=Action.REVIEW, lock=True)
    _require(task, (TaskStatus.SUBMITTED,), "approve")
    now = utcnow()
    task.status = TaskStatus.APPROVED
    task.completed_at = now
    if comment:
        task.last_review_comment = comment
    _review(task, actor, ReviewDecision.APPROVED, comment)
    webhook_events.task_approved(task, actor)
    db.session.commit()
    return task


def reject_task(actor: User, task_id: int, comment: str | None = None) -> Task:
    """Back to open with the coach's comment; the rejection is recorded and counted."""
    task = get_task(actor, task_id, action=Action.REVIEW, lock=True)
    _require(task, (TaskStatus.SUBMITTED,), "reject")
    task.status = TaskStatus.OPEN
    task.submitted_at = None
    task.submitted_by_id = None
    task.last_review_comment = comment or None
    _review(task, actor, ReviewDecision.REJECTED, comment)
    db.session.commit()
    return task


def cancel_task(actor: User, task_id: int) -> Task:
    task = get_task(actor, task_id, action=Action.REVIEW, lock=True)
    _require(task, (TaskStatus.OPEN, TaskStatus.SUBMITTED), "cancel")
    task.status = TaskStatus.CANCELLED
    task.cancelled_at = utcnow()
    db.session.commit()
    return task
