"""Notification preferences: each person turns their own mails on or off."""

from __future__ import annotations

from typing import Any

from milestones.extensions import db
from milestones.models import User


def update(person: User, changes: dict[str, Any]) -> User:
    """Apply milestone_mail / weekly_digest (validated by the schema) to `person`."""
    for name in ("milestone_mail", "weekly_digest"):
        if name in changes:
            setattr(person, name, bool(changes[name]))
    db.session.commit()
    return person
