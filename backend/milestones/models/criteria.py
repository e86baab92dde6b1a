"""A coach's check of one criterion of a milestone, per company."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from milestones.catalogue import MilestoneKey
from milestones.models.base import Base
from milestones.models.milestone import MILESTONE_ENUM
from milestones.timeutil import utcnow


class CriterionCheck(Base):
    """One row per (status, criterion) once a coach has checked it: met or not, a note.

    `met_at`/`met_by_id` say who ticked it and when (NULL while not met); `updated_*`
    the last change. Every change is also a `criterion_checked` history event."""

    __tablename__ = "criterion_checks"
    __table_args__ = (
        sa.UniqueConstraint("status_id", "criterion", name="uq_criterion_checks_status"),
        sa.CheckConstraint(
            "(met AND met_at IS NOT NULL) OR (NOT met AND met_at IS NULL)", name="met_has_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status_id: Mapped[int] = mapped_column(
        sa.ForeignKey("milestone_statuses.id", ondelete="CASCADE")
    )
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM)
    criterion: Mapped[str] = mapped_column(sa.String(64))
    met: Mapped[bool] = mapped_column(default=False)
    met_at: Mapped[datetime | None]
    met_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    met_by = relationship("User", foreign_keys=[met_by_id], lazy="raise")
