"""Writing mail to the outbox, in the caller's transaction, and the admin's view of it.

A toggle with many recipients writes each kind of body (people, stakeholders) once, as a
payload, then one narrow row per recipient with an INSERT ... SELECT; a stakeholder's
own unsubscribe token is put in by the worker when it sends.
"""

from __future__ import annotations

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
    OutboxPayload,
    OutboxStatus,
    Stakeholder,
    StakeholderFrequency,
    TokenPurpose,
    User,
)
from milestones.notifications import rendering, tokens, track
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


def _people_emails(company_id: int, *, opted_in: bool = True) -> sa.Select[Any]:
    """Addresses of the company's active members and assigned active coaches (with
    `opted_in`, only those who did not turn milestone mails off in their preferences)."""
    members = sa.select(Membership.user_id).where(Membership.company_id == company_id)
    coaches = sa.select(CoachAssignment.user_id).where(CoachAssignment.company_id == company_id)
    return sa.select(User.email).where(
        User.active.is_(True),
        User.milestone_mail.is_(True) if opted_in else sa.true(),
        sa.or_(User.id.in_(members), User.id.in_(coaches)),
    )


def _followers(company_id: int) -> sa.Select[Any]:
    """Subscribed stakeholders whose address is not one of the people's (a person who
    turned milestone mails off gets none as a stakeholder either)."""
    people = _people_emails(company_id, opted_in=False).subquery()
    return sa.select(Stakeholder.email).where(
        Stakeholder.company_id == company_id,
        Stakeholder.subscribed.is_(True),
        Stakeholder.frequency == StakeholderFrequency.IMMEDIATE,
        sa.func.lower(Stakeholder.email).not_in(sa.select(sa.func.lower(people.c.email))),
    )


def _literals(table: sa.Table, values: dict[str, Any]) -> list[Any]:
    return [sa.literal(v, type_=table.c[k].type) for k, v in values.items()]


def _enqueue(
    recipients: sa.Select[Any],
    kind: str,
    subject: str,
    body: rendering.Rendered,
    now: datetime,
    company_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """One payload (the mail as all of `recipients` get it) and one narrow outbox row per
    address in `recipients` (a SELECT of `email`); nothing when there is nobody.

    On PostgreSQL that is one statement (the payload is a data-modifying CTE); SQLite,
    which has none, takes three. Returns the number of rows.
    """
    payloads: sa.Table = OutboxPayload.__table__  # type: ignore[assignment]
    messages: sa.Table = OutboxMessage.__table__  # type: ignore[assignment]
    payload = {
        "kind": kind,
        "subject": subject,
        "body_text": body.text,
        "body_html": body.html,
        "headers": headers or {},
        "company_id": company_id,
        "created_at": now,
    }
    message = {"status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": now}
    columns = ["payload_id", "recipient", *message]
    if db.session.get_bind().dialect.name == "postgresql":
        to = recipients.cte("recipients")
        written = (
            sa.insert(payloads)
            .from_select(
                list(payload),
                sa.select(*_literals(payloads, payload)).where(sa.exists(sa.select(to.c.email))),
            )
            .returning(payloads.c.id)
            .cte("payload")
        )
        select = sa.select(written.c.id, to.c.email, *_literals(messages, message)).select_from(
            written.join(to, sa.true())  # the one payload with every recipient
        )
        stmt = sa.insert(messages).from_select(columns, select).add_cte(to, written)
    else:
        if not db.session.scalar(sa.select(recipients.exists())):
            return 0
        payload_id = db.session.execute(
            sa.insert(payloads).values(payload).returning(payloads.c.id)
        ).scalar_one()
        to_sub = recipients.subquery()
        select = sa.select(
            sa.literal(payload_id, type_=messages.c.payload_id.type),
            to_sub.c.email,
            *_literals(messages, message),
        )
        stmt = sa.insert(messages).from_select(columns, select)
    result = db.session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def enqueue(
    recipients: sa.Select[Any],
    kind: str,
    subject: str,
    body: rendering.Rendered,
    *,
    company_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Queue one mail to each address `recipients` (a SELECT of `email`) gives, in the
    caller's transaction (digests use it); returns how many."""
    return _enqueue(recipients, kind, subject, body, utcnow(), company_id, headers)


def enqueue_milestone_change(
    status: MilestoneStatus, previous: bool, actor: User, reason: str | None
) -> int:
    """Queue one mail per recipient of an effective toggle; returns how many.

    Per kind of mail (people, stakeholders): its body rendered once into one payload and
    one statement writing it with a narrow row per recipient; the cost does not grow with
    the number of recipients in Python or on the wire, and barely in the database.
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
        "steps": track.company_steps(company_id),
    }
    subject = rendering.subject(f"{company_name}: {title} {'reached' if reached else 'reverted'}")
    people = rendering.render(KIND_MILESTONE, unsubscribe_url=None, **context)
    followers = rendering.render(
        KIND_MILESTONE,
        unsubscribe_url=unsubscribe_page_url(UNSUBSCRIBE_MARKER),
        **{**context, "company_url": stakeholder_page_url(company_id)},
    )
    return _enqueue(
        _people_emails(company_id), KIND_MILESTONE, subject, people, now, company_id
    ) + _enqueue(
        _followers(company_id),
        KIND_MILESTONE_STAKEHOLDER,
        subject,
        followers,
        now,
        company_id,
        unsubscribe_headers(UNSUBSCRIBE_MARKER),
    )


def stakeholder_page_url(company_id: int) -> str | None:
    """Stakeholders cannot enter the app: their mails link to the company's share page
    for stakeholders, when it has one, else nowhere."""
    from milestones.sharing.links import stakeholder_page_urls

    return stakeholder_page_urls([company_id]).get(company_id)


def personalise(row: OutboxMessage) -> tuple[str, str | None, dict[str, str]]:
    """The text, HTML and headers of a row as sent: a stakeholder's mail gets their own
    signed unsubscribe token in place of the marker."""
    payload = row.payload
    text, html, headers = payload.body_text, payload.body_html, dict(payload.headers or {})
    if payload.kind != KIND_MILESTONE_STAKEHOLDER:
        return text, html, headers
    if payload.company_id is None:  # the company is gone: nothing left to unsubscribe from
        token = "gone"
    else:
        token = tokens.unsubscribe_token(payload.company_id, row.recipient)
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
    recipient = sa.select(sa.literal(user.email, type_=sa.String).label("email"))
    _enqueue(recipient, kind, subject, body, utcnow())


# ---- the admin's view -----------------------------------------------------------------


def list_messages(status: str | None = None) -> sa.Select[Any]:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
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
