"""Stakeholders of a company: who follows it by mail, and unsubscribing.

Re-adding an address that unsubscribed itself answers 409 like any duplicate: staff do
not silently undo a person's own unsubscribe. If the person asks to follow again, remove
the entry and add it anew (a deliberate, two-step act).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from milestones.auth.policies import Action, company_for, company_resource
from milestones.errors import Conflict, DomainError
from milestones.extensions import db
from milestones.models import Stakeholder, User
from milestones.notifications import tokens
from milestones.timeutil import utcnow


class InvalidTokenError(DomainError):
    status = 400
    code = "invalid_token"


def list_stakeholders(company_id: int, actor: User) -> Sequence[Stakeholder]:
    company_for(Action.MANAGE_STAKEHOLDERS, company_id, actor)
    return db.session.scalars(
        sa.select(Stakeholder)
        .where(Stakeholder.company_id == company_id)
        .order_by(Stakeholder.email, Stakeholder.id)
    ).all()


def add_stakeholder(company_id: int, actor: User, email: str, name: str = "") -> Stakeholder:
    company_for(Action.MANAGE_STAKEHOLDERS, company_id, actor)
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
    stakeholder = Stakeholder(company_id=company_id, email=email, name=name or "")
    db.session.add(stakeholder)
    try:
        db.session.commit()
    except sa.exc.IntegrityError as exc:  # a concurrent add of the same address
        db.session.rollback()
        raise Conflict(
            f"{email} is already a stakeholder of this company.", code="duplicate_stakeholder"
        ) from exc
    return stakeholder


def remove_stakeholder(stakeholder_id: int, actor: User) -> None:
    stakeholder = company_resource(
        Action.MANAGE_STAKEHOLDERS,
        sa.select(Stakeholder).where(Stakeholder.id == stakeholder_id),
        "Stakeholder not found.",
        actor,
    )
    db.session.delete(stakeholder)
    db.session.commit()


def unsubscribe(token: str) -> None:
    """Idempotent: a valid token answers the same the second time, and for a stakeholder
    removed meanwhile (they get no mail either way)."""
    try:
        company_id, email = tokens.read_unsubscribe_token(token)
    except tokens.InvalidToken as exc:
        raise InvalidTokenError(
            "This unsubscribe link is not valid; copy the whole link from the e-mail."
        ) from exc
    stakeholder = db.session.scalar(
        sa.select(Stakeholder).where(
            Stakeholder.company_id == company_id, sa.func.lower(Stakeholder.email) == email
        )
    )
    if stakeholder is not None and stakeholder.subscribed:
        stakeholder.subscribed = False
        stakeholder.unsubscribed_at = utcnow()
        db.session.commit()
