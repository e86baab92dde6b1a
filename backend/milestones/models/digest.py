"""Weekly digests already queued: the key that makes one per recipient per ISO week."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from milestones.models.base import Base
from milestones.timeutil import utcnow


class DigestSend(Base):
    """One digest of `kind` to `recipient` (an e-mail address) for ISO week `iso_week`
    ('2026-W07'), written in the transaction that queues its mail: the unique key lets
    only one of several workers or reruns queue it."""

    __tablename__ = "digest_sends"
    __table_args__ = (
        sa.UniqueConstraint("kind", "recipient", "iso_week", name="uq_digest_sends_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(50))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    iso_week: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
