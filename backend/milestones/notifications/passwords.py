"""Setting a password from an invitation or reset link, and asking for a reset link."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from milestones.auth.passwords import hash_password
from milestones.errors import DomainError
from milestones.extensions import db
from milestones.models import PasswordToken, TokenPurpose, User
from milestones.notifications import outbox, tokens
from milestones.timeutil import as_utc, utcnow

RESET_ACCEPTED = "If an account uses this address, a link to choose a new password is on its way."
RESET_LIMIT_PER_HOUR = 3  # config PASSWORD_RESET_MAX_PER_HOUR overrides


class PasswordTokenError(DomainError):
    status = 400
    code = "invalid_token"


def request_reset(email: str) -> None:
    """Queue a reset mail when the address belongs to an active account.

    The caller answers the same in every case (no account enumeration). Lightly
    throttled per account: past the hourly limit, requests are quietly dropped.
    """
    email = email.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or not user.active:
        db.session.rollback()
        return
    limit = int(current_app.config.get("PASSWORD_RESET_MAX_PER_HOUR") or RESET_LIMIT_PER_HOUR)
    recent = db.session.scalar(
        sa.select(sa.func.count(PasswordToken.id)).where(
            PasswordToken.user_id == user.id,
            PasswordToken.purpose == TokenPurpose.PASSWORD_RESET,
            PasswordToken.created_at > utcnow() - timedelta(hours=1),
        )
    )
    if (recent or 0) >= limit:
        db.session.rollback()
        return
    outbox.enqueue_password_mail(user, TokenPurpose.PASSWORD_RESET)
    db.session.commit()


def set_password(token: str, password: str) -> User:
    """Use a set-password token once: sets the password, ends the user's sessions and
    voids their other outstanding tokens."""
    row = tokens.find_password_token(token, lock=True)
    if row is None:
        db.session.rollback()
        raise PasswordTokenError("This link is not valid; ask for a new one.", code="invalid_token")
    now = utcnow()
    if row.used_at is not None:
        db.session.rollback()
        raise PasswordTokenError(
            "This link was already used; ask for a new one.", code="token_used"
        )
    expires_at = as_utc(row.expires_at)
    if expires_at is None or expires_at <= now:
        db.session.rollback()
        raise PasswordTokenError("This link has expired; ask for a new one.", code="token_expired")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        db.session.rollback()
        raise PasswordTokenError("This link is not valid; ask for a new one.", code="invalid_token")
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.execute(
        sa.update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.commit()
    return user
