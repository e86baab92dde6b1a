"""Programme settings, written by admins; reading them is milestones.programme (re-exported
here for the views and services that also read them)."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from milestones.extensions import db
from milestones.models import ProgrammeSettings, User
from milestones.programme import (
    DEFAULTS,
    FIELDS,
    ROW_ID,
    Settings,
    current,
    from_row,
    load,
    remember,
)
from milestones.timeutil import utcnow

__all__ = ["DEFAULTS", "FIELDS", "Settings", "current", "load", "update"]


def update(actor: User, changes: dict[str, Any]) -> Settings:
    """Apply the (validated) changes; the row is created on the first change."""
    for attempt in range(2):
        row = db.session.scalar(
            sa.select(ProgrammeSettings).where(ProgrammeSettings.id == ROW_ID).with_for_update()
        )
        if row is None:
            row = ProgrammeSettings(id=ROW_ID, **dataclasses.asdict(DEFAULTS))
            db.session.add(row)
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        row.updated_by_id = actor.id
        try:
            db.session.commit()
            break
        except IntegrityError:
            # Two first writes at once: the other one created the row; apply ours on it.
            db.session.rollback()
            if attempt:
                raise
    fresh = from_row(row)
    remember(fresh)
    return fresh
