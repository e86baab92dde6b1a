"""Parameters and aggregates every reporting statement uses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones.models.base import UTCDateTime


def now_param() -> ColumnElement[datetime]:
    """The `now` parameter: utcnow() of the request."""
    return sa.bindparam("now", type_=UTCDateTime())


def company_id_param() -> ColumnElement[int]:
    return sa.bindparam("company_id", type_=sa.Integer())
