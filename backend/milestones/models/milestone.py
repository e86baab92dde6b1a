"""Milestone status per company, its evidence and its append-only history."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from milestones.catalogue import MilestoneKey
from milestones.models.base import Base, str_enum
from milestones.timeutil import utcnow

MILESTONE_ENUM = str_enum(MilestoneKey, "milestone_key")


class MilestoneStatus(Base):
    __tablename__ = "milestone_statuses"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "milestone", name="uq_milestone_statuses_company"),
        sa.UniqueConstraint("company_id", "position", name="uq_milestone_statuses_position"),
        sa.CheckConstraint("position >= 0 AND position <= 4", name="position_range"),
        sa.CheckConstraint(
            "(achieved AND achieved_at IS NOT NULL AND started_at IS NOT NULL)"
            " OR (NOT achieved AND achieved_at IS NULL)",
            name="achieved_has_time",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    achieved: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime | None]
    achieved_at: Mapped[datetime | None]
    last_updated: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Bumped on every change; the ETag of the status.
    version: Mapped[int] = mapped_column(default=1)

    company = relationship("Company", back_populates="statuses")
    updated_by = relationship("User")


class HistoryEventType(enum.StrEnum):
    TOGGLED = "toggled"
    EVIDENCE_ADDED = "evidence_added"
    EVIDENCE_REMOVED = "evidence_removed"
    EVIDENCE_PROPOSED = "evidence_proposed"
    EVIDENCE_ACCEPTED = "evidence_accepted"
    EVIDENCE_REJECTED = "evidence_rejected"
    CRITERION_CHECKED = "criterion_checked"


class HistoryEvent(Base):
    """Append-only: nothing in the API edits or deletes these rows."""

    __tablename__ = "history_events"
    __table_args__ = (
        sa.Index("ix_history_events_company_created", "company_id", "created_at"),
        sa.Index("ix_history_events_company_milestone", "company_id", "milestone"),
        # The programme's activity log, newest first, across companies (admins).
        sa.Index("ix_history_events_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    event: Mapped[HistoryEventType] = mapped_column(str_enum(HistoryEventType, "history_event"))
    previous: Mapped[bool | None]
    achieved: Mapped[bool | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    evidence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("evidence.id"))
    # criterion_checked: the criterion; previous/achieved then hold its met values.
    criterion: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")
    evidence = relationship("Evidence")


class EvidenceType(enum.StrEnum):
    DOCUMENT = "document"
    METRIC = "metric"
    LINK = "link"


class ReviewStatus(enum.StrEnum):
    """A member's evidence is proposed until a coach accepts or rejects it; a coach's is
    accepted at once. Only accepted evidence counts."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class MetricKey(enum.StrEnum):
    PAYING_CUSTOMERS = "paying_customers"
    MRR_USD = "mrr_usd"
    ARR_USD = "arr_usd"
    RETENTION_RATE_PCT = "retention_rate_pct"
    AVG_DEAL_SIZE_USD = "avg_deal_size_usd"
    CAC_USD = "cac_usd"


class Attachment(Base):
    """A stored file; the database keeps the storage key, never a URL."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        sa.Index("ix_evidence_company_milestone", "company_id", "milestone", "removed_at"),
        sa.Index("ix_evidence_company_metric", "company_id", "metric_key", "created_at"),
        # The review queue's proposed evidence, oldest first (services/reviews.py).
        sa.Index(
            "ix_evidence_review_queue",
            "created_at",
            "id",
            postgresql_where=sa.text("review_status = 'proposed' AND removed_at IS NULL"),
            sqlite_where=sa.text("review_status = 'proposed' AND removed_at IS NULL"),
        ),
        sa.CheckConstraint(
            "(evidence_type <> 'link' OR url IS NOT NULL)"
            " AND (evidence_type <> 'metric' OR metric_value IS NOT NULL)"
            " AND (evidence_type <> 'document' OR attachment_id IS NOT NULL)",
            name="type_fields",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status_id: Mapped[int] = mapped_column(
        sa.ForeignKey("milestone_statuses.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    evidence_type: Mapped[EvidenceType] = mapped_column(str_enum(EvidenceType, "evidence_type"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str | None] = mapped_column(sa.String(2048))
    criterion: Mapped[str | None] = mapped_column(sa.String(64))
    metric_value: Mapped[float | None] = mapped_column(sa.Double)
    metric_unit: Mapped[str | None] = mapped_column(sa.String(50))
    metric_key: Mapped[MetricKey | None] = mapped_column(str_enum(MetricKey, "metric_key"))
    attachment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attachments.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"),
        default=ReviewStatus.ACCEPTED,
        server_default=ReviewStatus.ACCEPTED.value,
    )
    # Set by a coach's review of a proposal (NULL for a coach's own evidence).
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(sa.Text)

    status = relationship("MilestoneStatus")
    attachment = relationship("Attachment")
    created_by = relationship("User", foreign_keys=[created_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])


def current_milestone_of(company_id: Any) -> sa.ScalarSelect[MilestoneKey]:
    """SPEC: a company's current milestone is the first one not achieved (NULL once all
    five are). The one rule, as a subquery correlated to `company_id`: read by
    Company.current_milestone (so by the statuses screens) and by the company_stats row."""
    return (
        sa.select(MilestoneStatus.milestone)
        .where(MilestoneStatus.company_id == company_id, MilestoneStatus.achieved.is_(False))
        .order_by(MilestoneStatus.position)
        .limit(1)
        .correlate_except(MilestoneStatus)
        .scalar_subquery()
    )
