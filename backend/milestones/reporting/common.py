"""Parameters and aggregates every reporting statement uses."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones.auth.policies import company_scope
from milestones.models import Role, User
from milestones.models.base import UTCDateTime


def now_param() -> ColumnElement[datetime]:
    """The `now` parameter: utcnow() of the request."""
    return sa.bindparam("now", type_=UTCDateTime())


def company_id_param() -> ColumnElement[int]:
    return sa.bindparam("company_id", type_=sa.Integer())


def scope(role: Role, column: Any = None) -> ColumnElement[bool]:
    """policies.company_scope() for a viewer of this role whose id is the `viewer_id`
    parameter: the same rule, in a statement that can be cached for every viewer."""
    stand_in = cast(User, SimpleNamespace(role=role, id=sa.bindparam("viewer_id")))
    return company_scope(stand_in) if column is None else company_scope(stand_in, column)
