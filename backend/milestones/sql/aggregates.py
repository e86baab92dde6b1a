"""Aggregates the reporting statements and company_stats share (standard SQL)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement


def count(condition: ColumnElement[bool] | None = None) -> ColumnElement[int]:
    """COUNT(*), or COUNT(*) FILTER (WHERE condition)."""
    if condition is None:
        return sa.func.count()
    return sa.func.count().filter(condition)


def rate(yes: ColumnElement[Any], no: ColumnElement[Any]) -> ColumnElement[float | None]:
    """yes / (yes + no), NULL when nothing was decided (the SPEC's approval rates)."""
    return sa.case((yes + no == 0, sa.null()), else_=sa.cast(yes, sa.Float) / (yes + no))
