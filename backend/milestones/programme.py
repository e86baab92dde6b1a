"""The programme's settings as everyone reads them (admins change them: services/settings.py).

    from milestones import programme
    s = programme.current()     # a frozen Settings; one SELECT per request at most
    s.stall_factor, s.require_all_criteria, s.digest_weekday, ...

Outside a request (the worker, the CLI) every call reads the row again, so a long-running
worker sees an admin's change on its next pass. Below services in the layers
(pyproject.toml's import-linter contract): reporting and notifications read it too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context

from milestones.extensions import db
from milestones.models import ProgrammeSettings

ROW_ID = 1
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


def from_row(row: ProgrammeSettings | None) -> Settings:
    if row is None:
        return DEFAULTS
    return Settings(**{name: getattr(row, name) for name in FIELDS})


def load() -> Settings:
    """The stored settings (defaults when no admin has changed them), read now."""
    row = db.session.scalar(sa.select(ProgrammeSettings).where(ProgrammeSettings.id == ROW_ID))
    return from_row(row)


def current() -> Settings:
    """The settings, read at most once per request."""
    if not has_request_context():
        return load()
    cached: Settings | None = g.get(_CACHE)
    if cached is None:
        cached = load()
        setattr(g, _CACHE, cached)
    return cached


def remember(settings: Settings) -> None:
    """After a change: the rest of this request reads the new settings."""
    if has_request_context():
        setattr(g, _CACHE, settings)
