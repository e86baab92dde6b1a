"""Programme settings: read once per request by whoever needs them, written by admins.

    from milestones.services import settings
    s = settings.current()      # a frozen Settings; one SELECT per request at most
    s.stall_factor, s.require_all_criteria, s.digest_weekday, ...

Outside a request (the worker, the CLI) every call reads the row again, so a long-running
worker sees an admin's change on its next pass.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.exc import IntegrityError

from milestones.extensions import db
from milestones.models import ProgrammeSettings, User
from milestones.timeutil import utcnow

_ROW_ID = 1
_CACHE = "_programme_settings"


@dataclass(frozen=True)
class Settings:
    stall_factor: float = 1.5
    stall_min_days: int = 30
    stale_review_days: int = 7
    inactive_days: int = 30
    digest_weekday: int = 1  # ISO weekday, 1 = Monday
    digest_hour_utc: int = 8
    require_all_criteria: bool = False


DEFAULTS = Settings()
FIELDS = tuple(f.name for f in dataclasses.fields(Settings))


def _from_row(row: ProgrammeSettings | None) -> Settings:
    if row is None:
        return DEFAULTS
    return Settings(**{name: getattr(row, name) for name in FIELDS})


def load() -> Settings:
    """The stored settings (defaults when no admin has changed them), read now."""
    row = db.session.scalar(sa.select(ProgrammeSettings).where(ProgrammeSettings.id == _ROW_ID))
    return _from_row(row)


def current() -> Settings:
    """The settings, read at most once per request."""
    if not has_request_context():
        return load()
    cached: Settings | None = g.get(_CACHE)
    if cached is None:
        cached = load()
        setattr(g, _CACHE, cached)
    return cached


def update(actor: User, changes: dict[str, Any]) -> Settings:
    """Apply the (validated) changes; the row is created on the first change."""
    for attempt in range(2):
        row = db.session.scalar(
            sa.select(ProgrammeSettings).where(ProgrammeSettings.id == _ROW_ID).with_for_update()
        )
        if row is None:
            row = ProgrammeSettings(id=_ROW_ID, **dataclasses.asdict(DEFAULTS))
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
    fresh = _from_row(row)
    if has_request_context():
        setattr(g, _CACHE, fresh)
    return fresh
