"""Share links: a read-only page of one company for people without an account."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from milestones.models.base import Base
from milestones.timeutil import utcnow


class ShareLink(Base):
    """The token is never stored: `token_hash` (SHA-256) finds the link. A link made for
    stakeholders' mails keeps a random `salt` from which, with SECRET_KEY, its token can be
    derived again when a mail is written; at most one such link per company is active."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    salt: Mapped[str | None] = mapped_column(sa.String(64))
    include_reasons: Mapped[bool] = mapped_column(default=False)
    for_stakeholders: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_viewed_at: Mapped[datetime | None]
    view_count: Mapped[int] = mapped_column(default=0)
