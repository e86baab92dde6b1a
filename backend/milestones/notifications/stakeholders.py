"""Stakeholders of a company: who follows it by mail, and unsubscribing.

Re-adding an address that unsubscribed itself answers 409 like any duplicate: staff do
not silently undo a person's own unsubscribe. If the person asks to follow again, remove
the entry and add it anew (a deliberate, two-step act).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from milestones.auth.policies import Action, company_or_404, row_for_company
from milestones.errors import Conflict, DomainError
from milestones.extensions import db
from milestones.models import (
    OutboxMessage,
    OutboxPayload,
    OutboxStatus,
    Stakeholder,
    StakeholderFrequency,
    User,
)
from milestones.notifications import outbox, tokens
from milestones.timeutil import utcnow


class InvalidTokenError(DomainError):
    status = 400
    code = "invalid_token"


def list_stakeholders(company_id: int, actor: User) -> Sequence[Stakeholder]:
    company_or_404(company_id, Action.MANAGE_STAKEHOLDERS, actor)
    return db.session.scalars(
        sa.select(Stakeholder)
        .where(Stakeholder.company_id == company_id)
        .order_by(Stakeholder.email, Stakeholder.id)
    ).all()


def add_stakeholder(
    company_id: int,
    actor: User,
    email: str,
    name: str = "",
    frequency: str = StakeholderFrequency.IMMEDIATE.value,
) -> Stakeholder:
    company_or_404(company_id, Action.MANAGE_STAKEHOLDERS, actor)
    email = email.strip().lower()
    existing = db.session.scalar(
        sa.select(Stakeholder).where(
            Stakeholder.company_id == company_id, sa.func.lower(Stakeholder.email) == email
        )
    )
    if existing is not None:
        if not existing.subscribed:
            raise Conflict(
                f"{email} unsubscribed from this company's e-mails. They are not re-subscribed "
                "by staff; if they ask to follow again, remove the entry and add it anew.",
                code="stakeholder_unsubscribed",
                errors={"json": {"email": ["Unsubscribed from this company's e-mails."]}},
            )
        raise Conflict(
            f"{email} is already a stakeholder of this company.",
            code="duplicate_stakeholder",
            errors={"json": {"email": ["Already a stakeholder of this company."]}},
        )
    stakeholder = Stakeholder(
        company_id=company_id,
        email=email,
        name=name or "",
        frequency=StakeholderFrequency(frequency),
    )
    db.session.add(stakeholder)
    try:
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # a concurrent add of the same address
        db.session.rollback()
        raise Conflict(
            f"{email} is already a stakeholder of this company.", code="duplicate_stakeholder"
        ) from exc
    return stakeholder


def update_stakeholder(stakeholder_id: int, actor: User, data: dict[str, Any]) -> Stakeholder:
    """Change the name or the frequency (immediate mails or the weekly digest)."""
    stakeholder = row_for_company(
        sa.select(Stakeholder).where(Stakeholder.id == stakeholder_id).with_for_update(),
        Action.MANAGE_STAKEHOLDERS,
        "Stakeholder not found.",
        actor,
    )
    if "name" in data:
        stakeholder.name = data["name"] or ""
    if "frequency" in data:
        stakeholder.frequency = StakeholderFrequency(data["frequency"])
    db.session.commit()
    return stakeholder


def remove_stakeholder(stakeholder_id: int, actor: User) -> None:
    stakeholder = row_for_company(
        sa.select(Stakeholder).where(Stakeholder.id == stakeholder_id),
        Action.MANAGE_STAKEHOLDERS,
        "Stakeholder not found.",
        actor,
    )
    db.session.delete(stakeholder)
    db.session.commit()


def unsubscribe(token: str) -> None:
    """Idempotent: a valid token answers the same the second time, and for a stakeholder
    removed meanwhile (they get no mail either way). The mails still waiting in the
    outbox for that address and company are cancelled with it.

    Two kinds of token: one company (each mail's link) or every weekly follow of the
    address (the weekly digest's List-Unsubscribe header)."""
    try:
        company_id, email = tokens.read_unsubscribe_token(token)
    except tokens.InvalidToken:
        try:
            email = tokens.read_weekly_unsubscribe_token(token)
        except tokens.InvalidToken as exc:
            raise InvalidTokenError(
                "This unsubscribe link is not valid; copy the whole link from the e-mail."
            ) from exc
        _unsubscribe_weekly(email)
        return
    now = utcnow()
    db.session.execute(
        sa.update(Stakeholder)
        .where(
            Stakeholder.company_id == company_id,
            sa.func.lower(Stakeholder.email) == email,
            Stakeholder.subscribed.is_(True),
        )
        .values(subscribed=False, unsubscribed_at=now)
    )
    cancel_pending(email, company_id)
    db.session.commit()


def _unsubscribe_weekly(email: str) -> None:
    db.session.execute(
        sa.update(Stakeholder)
        .where(
            sa.func.lower(Stakeholder.email) == email,
            Stakeholder.frequency == StakeholderFrequency.WEEKLY,
            Stakeholder.subscribed.is_(True),
        )
        .values(subscribed=False, unsubscribed_at=utcnow())
    )
    cancel_pending(email, None)
    db.session.commit()


def cancel_pending(email: str, company_id: int | None) -> int:
    """Cancel the pending stakeholder mails to `email`: of that company (its milestone
    mails, and a digest covering it alone), or with None every pending weekly digest.
    A digest covering other companies too still goes (they are still followed)."""
    # digests first: importing it registers stakeholder_digests, which imports digests
    from milestones.notifications import digests, stakeholder_digests  # noqa: F401

    if company_id is None:
        payloads = sa.select(OutboxPayload.id).where(OutboxPayload.kind == stakeholder_digests.KIND)
    else:
        payloads = sa.select(OutboxPayload.id).where(
            OutboxPayload.company_id == company_id,
            OutboxPayload.kind.in_([outbox.KIND_MILESTONE_STAKEHOLDER, stakeholder_digests.KIND]),
        )
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            sa.func.lower(OutboxMessage.recipient) == email,
            OutboxMessage.payload_id.in_(payloads),
        )
        .values(
            status=OutboxStatus.CANCELLED, last_error="Cancelled: the stakeholder unsubscribed."
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
