"""Stakeholders who follow a company, and the outbox of mails to deliver."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from milestones.models.base import Base, str_enum
from milestones.timeutil import utcnow


class StakeholderFrequency(enum.StrEnum):
    IMMEDIATE = "immediate"  # a mail per milestone change
    WEEKLY = "weekly"  # in the address's weekly digest


class Stakeholder(Base):
    __tablename__ = "stakeholders"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "email", name="uq_stakeholders_company_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    subscribed: Mapped[bool] = mapped_column(default=True)
    frequency: Mapped[StakeholderFrequency] = mapped_column(
        str_enum(StakeholderFrequency, "stakeholder_frequency"),
        default=StakeholderFrequency.IMMEDIATE,
        server_default=StakeholderFrequency.IMMEDIATE.value,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None]


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # the stakeholder unsubscribed before it was sent


class OutboxPayload(Base):
    """What one event mails to a group of recipients: written once, whatever their number.

    Payloads are never updated or deleted (a company's removal only clears company_id).
    """

    __tablename__ = "outbox_payloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(50))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    headers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """One mail to one recipient, written in the transaction that caused it.

    The row is kept narrow so that a toggle writing hundreds of them costs about as much
    as one writing a few: the body is in its payload, and the only indexes are the
    primary key and the partial index of pending rows the worker claims from.
    `payload_id` has no foreign-key constraint on purpose: PostgreSQL checks one per
    inserted row, which was most of the cost of a 500-recipient toggle. Integrity holds
    by construction: the payload is written first, in the same transaction, by the only
    code that writes messages (`notifications.outbox`), and payloads are never deleted.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payload_id: Mapped[int] = mapped_column(sa.Integer)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]

    payload: Mapped[OutboxPayload] = relationship(
        OutboxPayload,
        primaryjoin=lambda: foreign(OutboxMessage.payload_id) == OutboxPayload.id,
        lazy="selectin",
        viewonly=True,
    )

    # The payload's fields, as the admin's view and the worker read them.
    @property
    def kind(self) -> str:
        return self.payload.kind

    @property
    def subject(self) -> str:
        return self.payload.subject

    @property
    def company_id(self) -> int | None:
        return self.payload.company_id

    @property
    def created_at(self) -> datetime:
        return self.payload.created_at
