"""People who sign in and their single-use password tokens."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from milestones.models.base import Base, str_enum
from milestones.timeutil import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    COACH = "coach"
    MEMBER = "member"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session identity: bumping it ends every session of this user.
    session_version: Mapped[int] = mapped_column(default=1)
    # Notification preferences (GET/PATCH /auth/me/preferences).
    milestone_mail: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    weekly_digest: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coached_companies = relationship(
        "Company", secondary="coach_assignments", back_populates="coaches", viewonly=True
    )
    member_companies = relationship(
        "Company", secondary="memberships", back_populates="members", viewonly=True
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def company_ids(self) -> list[int]:
        companies = self.coached_companies if self.role == Role.COACH else self.member_companies
        if self.role == Role.ADMIN:
            return []
        return sorted(c.id for c in companies)


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


class PasswordToken(Base):
    """A single-use, expiring set-password link; only its hash is stored."""

    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
