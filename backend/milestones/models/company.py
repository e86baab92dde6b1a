"""Companies and the people attached to them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from milestones.catalogue import MilestoneKey
from milestones.models.base import Base
from milestones.models.milestone import current_milestone_of
from milestones.timeutil import utcnow


class Company(Base):
    __tablename__ = "companies"
    # The portfolio's default order (case-insensitive name, then id) read off an index;
    # `name` is in it too, so PostgreSQL can answer from the index alone (an index-only
    # scan of an expression needs the columns the expression reads).
    __table_args__ = (sa.Index("ix_companies_lower_name", sa.text("lower(name)"), "id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A cohort with companies cannot be deleted (RESTRICT; the service answers 409 first).
    cohort_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True
    )
    # Loaded with every company in the same SELECT: no query per company.
    current_milestone: Mapped[MilestoneKey | None] = column_property(current_milestone_of(id))

    statuses = relationship(
        "MilestoneStatus",
        back_populates="company",
        order_by="MilestoneStatus.position",
        cascade="all, delete-orphan",
    )
    coaches = relationship(
        "User", secondary="coach_assignments", back_populates="coached_companies", viewonly=True
    )
    members = relationship(
        "User", secondary="memberships", back_populates="member_companies", viewonly=True
    )

    @property
    def coach_ids(self) -> list[int]:
        return sorted(u.id for u in self.coaches)

    @property
    def member_ids(self) -> list[int]:
        return sorted(u.id for u in self.members)


class CoachAssignment(Base):
    __tablename__ = "coach_assignments"

    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(Base):
    __tablename__ = "memberships"

    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
