"""Counted hits of the rate limits (Flask-Limiter's storage in the database)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from milestones.models.base import Base


class RateLimitHit(Base):
    """One hit counted against a limit's key (for example the failed sign-ins of one
    e-mail address, or the share-page requests of one client address), in epoch seconds
    as the `limits` library counts them; the row no longer counts from `expires_at`."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (
        sa.Index("ix_rate_limit_hits_key_at", "key", "at"),
        sa.Index("ix_rate_limit_hits_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[float] = mapped_column(sa.Double)
    expires_at: Mapped[float] = mapped_column(sa.Double)
