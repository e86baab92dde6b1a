"""Queueing webhook deliveries in the transaction of the change.

One event is one INSERT ... SELECT: a row per active webhook subscribed to its type, all
with the same body (so the same `webhook-id` and signature input everywhere), nothing
when no webhook listens. The services call one function here each.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import (
    Company,
    DeliveryStatus,
    Evidence,
    HistoryEventType,
    MilestoneStatus,
    ProgressUpdate,
    Task,
    UpdateStatus,
    User,
    Webhook,
    WebhookDelivery,
)
from milestones.timeutil import utcnow


def new_event_id() -> str:
    return f"evt_{secrets.token_hex(12)}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def body_of(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    return json.dumps(
        {"id": event_id, "type": event_type, "created_at": _iso(created_at), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def queue(event_type: str, data: dict[str, Any], only: int | None = None) -> str:
    """Queue `event_type` for every active webhook that wants it (or webhook `only`)."""
    now = utcnow()
    event_id = new_event_id()
    body = body_of(event_id, event_type, now, data)
    table: Any = WebhookDelivery.__table__
    values = {
        "event_id": event_id,
        "type": event_type,
        "body": body,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    wanted = (
        Webhook.id == only
        if only is not None
        else sa.and_(Webhook.active.is_(True), Webhook.event_types.contains(f" {event_type} "))
    )
    select = sa.select(
        Webhook.id, *(sa.literal(v, type_=table.c[k].type) for k, v in values.items())
    ).where(wanted)
    db.session.execute(sa.insert(table).from_select(["webhook_id", *values], select))
    return event_id


def _company(company_id: int) -> dict[str, Any]:
    company = db.session.get(Company, company_id)
    return {"id": company_id, "name": company.name if company else None}


def _actor(actor: User) -> dict[str, Any]:
    return {"id": actor.id, "name": actor.name}


def milestone_changed(
    status: MilestoneStatus, previous: bool, actor: User, reason: str | None
) -> None:
    achieved = bool(status.achieved)
    queue(
        "milestone.achieved" if achieved else "milestone.reverted",
        {
            "company": _company(status.company_id),
            "milestone": status.milestone.value,
            "achieved": achieved,
            "previous": bool(previous),
            "reason": reason,
            "actor": _actor(actor),
            "occurred_at": _iso(status.last_updated),
        },
    )


def evidence_recorded(evidence: Evidence, actor: User, event: HistoryEventType) -> None:
    """Called for every evidence history event; only additions are webhook events."""
    if event != HistoryEventType.EVIDENCE_ADDED:
        return
    queue(
        "evidence.added",
        {
            "company": _company(evidence.company_id),
            "milestone": evidence.milestone.value,
            "evidence": {
                "id": evidence.id,
                "title": evidence.title,
                "evidence_type": evidence.evidence_type.value,
                "url": evidence.url,
                "metric_value": evidence.metric_value,
                "metric_unit": evidence.metric_unit,
            },
            "actor": _actor(actor),
            "occurred_at": _iso(evidence.created_at),
        },
    )


def task_approved(task: Task, actor: User) -> None:
    queue(
        "task.approved",
        {
            "company": _company(task.company_id),
            "milestone": task.milestone.value,
            "task": {"id": task.id, "title": task.title},
            "actor": _actor(actor),
            "occurred_at": _iso(task.completed_at),
        },
    )


def update_reviewed(update: ProgressUpdate, actor: User) -> None:
    """Called for every review of an update; only approvals are webhook events."""
    if update.status != UpdateStatus.APPROVED:
        return
    queue(
        "update.approved",
        {
            "company": _company(update.company_id),
            "milestone": update.milestone.value,
            "update": {"id": update.id, "task_id": update.task_id},
            "actor": _actor(actor),
            "occurred_at": _iso(update.reviewed_at),
        },
    )
