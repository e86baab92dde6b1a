"""Tokens in mail links.

- Unsubscribe: signed with itsdangerous (company id and address, salted), no expiry, as
  an unsubscribe link in an old mail must keep working; nothing is stored.
- Set password (invitation, reset): random, single use and expiring; only a SHA-256 of
  the token is stored (password_tokens), so a leaked table gives no usable link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from milestones.extensions import db
from milestones.models import PasswordToken, TokenPurpose, User
from milestones.timeutil import utcnow

UNSUBSCRIBE_SALT = "milestones.stakeholder-unsubscribe"
WEEKLY_UNSUBSCRIBE_SALT = "milestones.stakeholder-weekly-unsubscribe"

# Defaults; the config keys INVITATION_TTL_HOURS and PASSWORD_RESET_TTL_MINUTES override.
INVITATION_TTL = timedelta(days=7)
PASSWORD_RESET_TTL = timedelta(hours=1)


class InvalidToken(Exception):
    """A token that was not issued by us (or was altered)."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(company_id: int, email: str) -> str:
    """Signed (company, address): who stops following whom."""
    return str(_serializer().dumps([company_id, email.strip().lower()]))


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        value = _serializer().loads(token)
    except BadSignature as exc:
        raise InvalidToken("bad signature") from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or isinstance(value[0], bool)
        or not isinstance(value[1], str)
    ):
        raise InvalidToken("unexpected payload")
    return value[0], value[1]


def weekly_unsubscribe_token(email: str) -> str:
    """Signed address: stop every weekly follow of it (the digest's List-Unsubscribe)."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=WEEKLY_UNSUBSCRIBE_SALT)
    return str(serializer.dumps(["weekly", email.strip().lower()]))


def read_weekly_unsubscribe_token(token: str) -> str:
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=WEEKLY_UNSUBSCRIBE_SALT)
    try:
        value = serializer.loads(token)
    except BadSignature as exc:
        raise InvalidToken("bad signature") from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or value[0] != "weekly"
        or not isinstance(value[1], str)
    ):
        raise InvalidToken("unexpected payload")
    return value[1]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_token_ttl(purpose: TokenPurpose) -> timedelta:
    config = current_app.config
    if purpose == TokenPurpose.INVITATION:
        hours = config.get("INVITATION_TTL_HOURS")
        return timedelta(hours=int(hours)) if hours else INVITATION_TTL
    minutes = config.get("PASSWORD_RESET_TTL_MINUTES")
    return timedelta(minutes=int(minutes)) if minutes else PASSWORD_RESET_TTL


def issue_password_token(user: User, purpose: TokenPurpose) -> tuple[str, datetime]:
    """A new set-password token for the user (added to the session, not committed)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + password_token_ttl(purpose)
    db.session.add(
        PasswordToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=expires_at,
        )
    )
    return token, expires_at


def find_password_token(token: str, *, lock: bool = False) -> PasswordToken | None:
    if not token or len(token) > 200:
        return None
    stmt = sa.select(PasswordToken).where(PasswordToken.token_hash == hash_token(token))
    if lock:
        stmt = stmt.with_for_update()
    return db.session.scalar(stmt)
