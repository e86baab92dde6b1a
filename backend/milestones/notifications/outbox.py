"""Writing mail to the outbox, in the caller's transaction, and the admin's view of it.

A toggle with many recipients stays two INSERT ... SELECT statements: each kind of body
(people, stakeholders) is rendered once and the database writes one row per recipient;
a stakeholder's own unsubscribe token is put in by the worker when it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from milestones import catalogue
from milestones.errors import Conflict, NotFound
from milestones.extensions import db
from milestones.models import (
    CoachAssignment,
    Company,
    Membership,
    MilestoneStatus,
    OutboxMessage,
    OutboxStatus,
    Stakeholder,
    TokenPurpose,
    User,
)
from milestones.notifications import rendering, tokens
from milestones.timeutil import utcnow

KIND_MILESTONE = "milestone_changed"
KIND_MILESTONE_STAKEHOLDER = "milestone_changed.stakeholder"
KIND_INVITATION = "invitation"
KIND_PASSWORD_RESET = "password_reset"

# Stands for the recipient's unsubscribe token in a stored stakeholder mail (URL-safe,
# unchanged by HTML escaping); the worker replaces it when it sends.
UNSUBSCRIBE_MARKER = "__UNSUBSCRIBE_TOKEN__"


def base_url() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


def unsubscribe_page_url(token: str) -> str:
    return f"{base_url()}/unsubscribe/{token}"


def unsubscribe_api_url(token: str) -> str:
    return f"{base_url()}/api/v1/unsubscribe/{token}"


def unsubscribe_headers(token: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_api_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _people_emails(company_id: int) -> sa.Select[Any]:
    """Addresses of the company's active members and assigned active coaches."""
    members = sa.select(Membership.user_id).where(Membership.company_id == company_id)
    coaches = sa.select(CoachAssignment.user_id).where(CoachAssignment.company_id == company_id)
    return sa.select(User.email).where(
        User.active.is_(True), sa.or_(User.id.in_(members), User.id.in_(coaches))
    )


def _followers(company_id: int, people: Sequence[str]) -> sa.Select[Any]:
    """Subscribed stakeholders whose address is not already one of the people's (a few)."""
    return sa.select(Stakeholder.email).where(
        Stakeholder.company_id == company_id,
        Stakeholder.subscribed.is_(True),
        sa.func.lower(Stakeholder.email).not_in([p.lower() for p in people]),
    )


def _row(
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    now: datetime,
    company_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "recipient": recipient,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "headers": headers or {},
        "company_id": company_id,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _insert(rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(sa.insert(OutboxMessage), list(rows))


def _insert_for_each(
    addresses: sa.Select[Any],
    kind: str,
    subject: str,
    body: rendering.Rendered,
    now: datetime,
    company_id: int,
    headers: dict[str, str] | None = None,
) -> int:
    """INSERT ... SELECT: one outbox row per address, in one statement; the body is sent
    to the database once, whatever the number of recipients."""
    table: sa.Table = OutboxMessage.__table__  # type: ignore[assignment]
    c = table.c

    def value(column: Any, v: Any) -> Any:
        return sa.literal(v, type_=column.type)

    recipients = addresses.subquery()
    select = sa.select(
        value(c.kind, kind),
        recipients.c.email,
        value(c.subject, subject),
        value(c.body_text, body.text),
        value(c.body_html, body.html),
        value(c.headers, headers or {}),
        value(c.company_id, company_id),
        value(c.status, OutboxStatus.PENDING),
        value(c.attempts, 0),
        value(c.next_attempt_at, now),
        value(c.created_at, now),
    )
    columns = [
        "kind",
        "recipient",
        "subject",
        "body_text",
        "body_html",
        "headers",
        "company_id",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    result = db.session.execute(sa.insert(table).from_select(columns, select))
    return int(getattr(result, "rowcount", 0) or 0)


def enqueue_milestone_change(
    status: MilestoneStatus, previous: bool, actor: User, reason: str | None
) -> int:
    """Queue one mail per recipient of an effective toggle; returns how many.

    Two INSERT ... SELECT statements (people, stakeholders), each body rendered once:
    the cost does not grow with the number of recipients in Python or on the wire.
    A stakeholder's own unsubscribe token is filled in by the worker at send time.
    """
    company_id = status.company_id
    company_name = db.session.scalar(sa.select(Company.name).where(Company.id == company_id))
    reached = bool(status.achieved)
    title = catalogue.get(status.milestone.value).title
    now = utcnow()
    context = {
        "company_name": company_name,
        "milestone_title": title,
        "reached": reached,
        "previous": previous,
        "coach_name": actor.name,
        "reason": reason,
        "changed_at": status.last_updated or now,
        "company_url": f"{base_url()}/companies/{company_id}",
    }
    subject = rendering.subject(f"{company_name}: {title} {'reached' if reached else 'reverted'}")
    people = rendering.render(KIND_MILESTONE, unsubscribe_url=None, **context)
    followers = rendering.render(
        KIND_MILESTONE, unsubscribe_url=unsubscribe_page_url(UNSUBSCRIBE_MARKER), **context
    )
    addresses = db.session.scalars(_people_emails(company_id)).all()
    count = 0
    if addresses:
        count += _insert_for_each(
            _people_emails(company_id), KIND_MILESTONE, subject, people, now, company_id
        )
    count += _insert_for_each(
        _followers(company_id, addresses),
        KIND_MILESTONE_STAKEHOLDER,
        subject,
        followers,
        now,
        company_id,
        unsubscribe_headers(UNSUBSCRIBE_MARKER),
    )
    return count


def personalise(row: OutboxMessage) -> tuple[str, str | None, dict[str, str]]:
    """The text, HTML and headers of a row as sent: a stakeholder's mail gets their own
    signed unsubscribe token in place of the marker."""
    text, html, headers = row.body_text, row.body_html, dict(row.headers or {})
    if row.kind != KIND_MILESTONE_STAKEHOLDER:
        return text, html, headers
    if row.company_id is None:  # the company is gone: nothing left to unsubscribe from
        token = "gone"
    else:
        token = tokens.unsubscribe_token(row.company_id, row.recipient)
    return (
        text.replace(UNSUBSCRIBE_MARKER, token),
        html.replace(UNSUBSCRIBE_MARKER, token) if html is not None else None,
        {k: str(v).replace(UNSUBSCRIBE_MARKER, token) for k, v in headers.items()},
    )


def set_password_url(token: str) -> str:
    return f"{base_url()}/set-password?token={token}"


def enqueue_password_mail(user: User, purpose: TokenPurpose) -> None:
    """Issue a set-password token and queue its mail (caller's transaction)."""
    token, expires_at = tokens.issue_password_token(user, purpose)
    kind = KIND_INVITATION if purpose == TokenPurpose.INVITATION else KIND_PASSWORD_RESET
    body = rendering.render(
        kind,
        name=user.name,
        email=user.email,
        role=user.role.value,
        link=set_password_url(token),
        expires_at=expires_at,
    )
    subject = (
        "You are invited to Milestone Tracker"
        if purpose == TokenPurpose.INVITATION
        else "Reset your Milestone Tracker password"
    )
    _insert([_row(kind, user.email, subject, body.text, body.html, utcnow())])


# ---- the admin's view -----------------------------------------------------------------


def list_messages(status: str | None = None) -> sa.Select[Any]:
    stmt = sa.select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    if status:
        stmt = stmt.where(OutboxMessage.status == OutboxStatus(status))
    return stmt


def requeue(message_id: int) -> OutboxMessage:
    """Make a failed (or waiting) message due now, with a fresh count of attempts."""
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        raise NotFound("Message not found.")
    if message.status == OutboxStatus.SENT:
        db.session.rollback()
        raise Conflict("This message was already sent.", code="already_sent")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
    return message
