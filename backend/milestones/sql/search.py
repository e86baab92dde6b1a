"""Text search by substring: LIKE with the user's % and _ taken literally."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

ESCAPE = "\\"


def like_pattern(q: str) -> str:
    """A LIKE pattern (escape character ESCAPE) matching lower-cased text that contains `q`
    (lower-cased), its %, _ and backslash taken literally."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: Any, pattern: Any) -> ColumnElement[bool]:
    """lower(column) LIKE pattern, `pattern` made by like_pattern (a string or a bound
    parameter holding one); the same SQL on PostgreSQL and SQLite."""
    return sa.func.lower(column).like(pattern, escape=ESCAPE)
