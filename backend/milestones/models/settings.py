"""Programme settings: one row the admins edit (thresholds of attention, digest time)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from milestones.models.base import Base


class ProgrammeSettings(Base):
    """The single settings row (id 1). When it is absent the defaults of
    services/settings.py apply; the first PATCH writes it."""

    __tablename__ = "programme_settings"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stall_factor: Mapped[float] = mapped_column(sa.Float)
    stall_min_days: Mapped[int]
    stale_review_days: Mapped[int]
    inactive_days: Mapped[int]
    digest_weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    digest_hour_utc: Mapped[int] = mapped_column(sa.SmallInteger)
    require_all_criteria: Mapped[bool]
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
