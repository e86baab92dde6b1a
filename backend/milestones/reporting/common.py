"""Parameters and aggregates every reporting statement uses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones.models.base import UTCDateTime
from milestones.models.stats import ProgrammeCounts
from milestones.sql.dialect import int_const


def now_param() -> ColumnElement[datetime]:
    """The `now` parameter: utcnow() of the request."""
    return sa.bindparam("now", type_=UTCDateTime())


def company_id_param() -> ColumnElement[int]:
    return sa.bindparam("company_id", type_=sa.Integer())


def programme_count(column: sa.orm.InstrumentedAttribute[int]) -> ColumnElement[int]:
    """A figure of the programme_counts row that PostgreSQL's triggers keep
    (models.ProgrammeCounts), as a scalar subquery: zero while the row is absent."""
    row = sa.select(column).where(ProgrammeCounts.id == int_const(1)).scalar_subquery()
    return sa.func.coalesce(row, int_const(0))
