"""Paginated lists: a COUNT and a page, whatever the table size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flask_smorest
import sqlalchemy as sa

from milestones.extensions import db


class Blueprint(flask_smorest.Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}


def paginate(stmt: sa.Select[Any], pagination_parameters: Any) -> Sequence[Any]:
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    pagination_parameters.item_count = total or 0
    page = stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
    return db.session.scalars(page).all()
