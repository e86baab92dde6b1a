"""People: create, change, deactivate."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from milestones import notifications
from milestones.auth.passwords import hash_password
from milestones.errors import Conflict, NotFound
from milestones.extensions import db
from milestones.models import CoachAssignment, Membership, Role, User
from milestones.sql.search import ESCAPE, contains, like_pattern


def list_users(
    role: str | None = None, q: str | None = None, active: bool | None = None
) -> sa.Select[Any]:
    stmt = (
        sa.select(User)
        .options(selectinload(User.coached_companies), selectinload(User.member_companies))
        .order_by(User.name, User.id)
    )
    if role:
        stmt = stmt.where(User.role == Role(role))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if q:
        # % and _ taken literally, as on /companies and the portfolio; e-mails are stored
        # lower-cased.
        pattern = like_pattern(q)
        stmt = stmt.where(
            sa.or_(contains(User.name, pattern), User.email.like(pattern, escape=ESCAPE))
        )
    return stmt


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    return user


def _email_taken(email: str, except_id: int | None = None) -> bool:
    stmt = sa.select(User.id).where(User.email == email)
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt) is not None


def create_user(email: str, name: str, role: str, password: str | None = None) -> User:
    if _email_taken(email):
        raise Conflict(f"A user with the e-mail {email} already exists.", code="duplicate_email")
    user = User(
        email=email,
        name=name,
        role=Role(role),
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    if not password:
        notifications.enqueue_invitation(user)
    db.session.commit()
    return user


def _has_ties(user: User) -> bool:
    for model in (CoachAssignment, Membership):
        if db.session.scalar(sa.select(model.user_id).where(model.user_id == user.id).limit(1)):
            return True
    return False


def update_user(user: User, actor: User, data: dict[str, Any]) -> User:
    if "email" in data and data["email"] != user.email:
        if _email_taken(data["email"], except_id=user.id):
            raise Conflict(
                f"A user with the e-mail {data['email']} already exists.", code="duplicate_email"
            )
        user.email = data["email"]
    if "name" in data:
        user.name = data["name"]
    if "role" in data and Role(data["role"]) != user.role:
        if _has_ties(user):
            raise Conflict(
                "Remove this user's company assignments before changing their role.",
                code="role_in_use",
            )
        if user.id == actor.id:
            raise Conflict("You cannot change your own role.", code="self_change")
        user.role = Role(data["role"])
    if "active" in data and data["active"] != user.active:
        if user.id == actor.id:
            raise Conflict("You cannot deactivate your own account.", code="self_change")
        user.active = data["active"]
        user.session_version += 1  # ends every session the user has
    if data.get("password"):
        user.password_hash = hash_password(data["password"])
        if user.id != actor.id:
            user.session_version += 1
    db.session.commit()
    return user
