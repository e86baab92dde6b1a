"""Tasks with their coach reviews, and progress updates."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from milestones.catalogue import MilestoneKey
from milestones.models.base import Base, str_enum
from milestones.models.milestone import MILESTONE_ENUM
from milestones.timeutil import utcnow


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class ReviewDecision(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        sa.Index("ix_tasks_company_milestone_status", "company_id", "milestone", "status"),
        # Covers the portfolio's per-company counts and last activity (index-only scans),
        # the pending-approvals sort and the weekly trend of completions.
        sa.Index(
            "ix_tasks_company_activity",
            "company_id",
            "status",
            "completed_at",
            "created_at",
            "submitted_at",
            "cancelled_at",
        ),
        sa.CheckConstraint(
            "(status = 'approved') = (completed_at IS NOT NULL)", name="completed_when_approved"
        ),
        # The review queue, oldest first: a page read off the index, not a sort of all.
        sa.Index(
            "ix_tasks_review_queue",
            "submitted_at",
            "id",
            postgresql_where=sa.text("status = 'submitted'"),
            sqlite_where=sa.text("status = 'submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[TaskStatus] = mapped_column(
        str_enum(TaskStatus, "task_status"), default=TaskStatus.OPEN
    )
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    last_review_comment: Mapped[str | None] = mapped_column(sa.Text)

    reviews = relationship("TaskReview", back_populates="task", order_by="TaskReview.id")


class TaskReview(Base):
    """One coach decision on a submitted task; rejections are counted from these."""

    __tablename__ = "task_reviews"
    __table_args__ = (
        sa.Index("ix_task_reviews_company_decision", "company_id", "decision"),
        # The portfolio's last activity: the newest review of a company, one index probe.
        sa.Index("ix_task_reviews_company_created", "company_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    decision: Mapped[ReviewDecision] = mapped_column(str_enum(ReviewDecision, "review_decision"))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task = relationship("Task", back_populates="reviews")


class UpdateStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"
    __table_args__ = (
        sa.Index("ix_progress_updates_company_status", "company_id", "milestone", "status"),
        # Covers the portfolio's pending count and last activity, and the weekly trend.
        sa.Index(
            "ix_progress_updates_company_activity",
            "company_id",
            "status",
            "reviewed_at",
            "created_at",
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (reviewed_at IS NULL)", name="reviewed_unless_pending"
        ),
        sa.Index(
            "ix_progress_updates_review_queue",
            "created_at",
            "id",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tasks.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[UpdateStatus] = mapped_column(
        str_enum(UpdateStatus, "update_status"), default=UpdateStatus.PENDING
    )
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
