"""The rows each export writes, read by the statements of the JSON route it copies (same
filters, same scope), without the page limit and in batches.

Each function builds its statement at once, in the view (where the viewer is loaded), and
returns an iterator that runs it when the response body is written: a streamed body is
written after the view has returned, in a new application context with its own session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import User
from milestones.reporting.activity import activity_select
from milestones.reporting.analytics import milestone_analytics
from milestones.reporting.portfolio import every_row

BATCH = 1000


def _stream(stmt: sa.Select[Any], params: dict[str, Any] | None = None) -> Iterator[Any]:
    """The rows of `stmt`, fetched BATCH at a time (a server-side cursor on PostgreSQL)."""
    yield from db.session.execute(stmt, params or {}, execution_options={"yield_per": BATCH})


def portfolio_rows(viewer: User, **query: Any) -> Iterator[Any]:
    """Every row GET /portfolio would list with these filters and this sort."""
    return _stream(*every_row(viewer, **query))


def activity_rows(viewer: User, **filters: Any) -> Iterator[Any]:
    """Every event GET /activity would list with these filters, newest first."""
    return _stream(activity_select(viewer, **filters))


def analytics_rows(viewer: User, **query: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = milestone_analytics(viewer, **query)["milestones"]
    return rows
