"""Every construct whose SQL differs between PostgreSQL and SQLite, as compiled elements.

SPEC definitions they serve: days_in_milestone and the other whole-day figures
(`whole_days`: floor of the day difference), avg_task_completion_time (`day_diff`), the
attention cut-offs (`days_before`), the ISO weeks of the 12-week trend (`iso_week`),
last_activity (`greatest`) and the median of the milestone analytics (`median`:
percentile_cont on PostgreSQL, an aggregate registered on every SQLite connection).
PostgreSQL-only helpers write JSON in the database (`json_object`, `iso_utc`, `json_rows`).

Constants written into the SQL text (`const`, `int_const`, `is_`) are rendered by the
dialect's own literal quoting, never by formatting strings.
"""

from __future__ import annotations

import enum
import sqlite3
import statistics
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, expression
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from milestones.models.base import UTCDateTime


class const(ColumnElement[Any]):
    """A string or integer constant written into the SQL text rather than a bound
    parameter (fewer parameters to adapt and send on every execution). The value is
    quoted by the dialect (render_literal_value), so it may hold any character."""

    __visit_name__ = "milestones_const"
    inherit_cache = True
    _traverse_internals = [
        ("value", InternalTraversal.dp_plain_obj),
        ("type", InternalTraversal.dp_type),
    ]

    def __init__(self, value: str | int, type_: Any = None) -> None:
        if not isinstance(value, str | int):
            raise TypeError(f"const takes a str or an int, not {type(value).__name__}")
        self.value = value
        self.type = sa.types.to_instance(
            type_ or (sa.String() if isinstance(value, str) else sa.Integer())
        )


@compiles(const)
def _const(element: const, compiler: SQLCompiler, **kw: Any) -> str:
    if isinstance(element.value, str):
        return compiler.render_literal_value(element.value, sa.String())
    return str(int(element.value))


def int_const(value: int) -> ColumnElement[int]:
    """An integer constant in the SQL text."""
    return const(int(value), sa.Integer())


def is_(column: Any, *values: enum.Enum) -> ColumnElement[bool]:
    """column = 'value' (or IN (...)) with the enum values written into the SQL text."""
    consts = [const(v.value, column.type) for v in values]
    return column == consts[0] if len(consts) == 1 else column.in_(consts)


class day_diff(expression.FunctionElement[float]):
    """Days from the first timestamp to the second, as a float."""

    type = sa.Float()
    name = "day_diff"
    inherit_cache = True


@compiles(day_diff)
def _day_diff_default(element: day_diff, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    # date_part gives a double; EXTRACT a numeric, whose arithmetic costs about twice as
    # much per row (the portfolio's attention sort computes it for every company).
    return "(date_part('epoch', " + end + " - " + start + ") / 86400.0)"


@compiles(day_diff, "sqlite")
def _day_diff_sqlite(element: day_diff, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return "(julianday(" + end + ") - julianday(" + start + "))"


class floor_int(expression.FunctionElement[int]):
    """The largest integer not above a number (SQLite may lack floor())."""

    type = sa.Integer()
    name = "floor_int"
    inherit_cache = True


@compiles(floor_int)
def _floor_default(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return "CAST(FLOOR(" + value + ") AS INTEGER)"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    whole = "CAST(" + value + " AS INTEGER)"
    return "(" + whole + " - (" + value + " < " + whole + "))"


def whole_days(start: Any, end: Any) -> ColumnElement[int]:
    """Whole days from start to end (the floor of the day difference)."""
    return floor_int(day_diff(start, end))


class days_before(expression.FunctionElement[datetime]):
    """A timestamp moved back by a number of days (of 86,400 seconds), to the
    microsecond: the cut-offs compared with stored times, from settings the statement
    reads itself."""

    type = UTCDateTime()
    name = "days_before"
    inherit_cache = True


@compiles(days_before)
def _days_before_default(element: days_before, compiler: SQLCompiler, **kw: Any) -> str:
    when, days = (compiler.process(c, **kw) for c in element.clauses)
    # Seconds, not days: an interval of days follows the session time zone's DST.
    return "(" + when + " - make_interval(secs => (" + days + ") * 86400))"


@compiles(days_before, "sqlite")
def _days_before_sqlite(element: days_before, compiler: SQLCompiler, **kw: Any) -> str:
    when, days = (compiler.process(c, **kw) for c in element.clauses)
    # Times are stored as 'YYYY-MM-DD HH:MM:SS.ffffff' text: strftime moves the whole
    # seconds (SQLite has no time zone, so a day is 86,400 s) and the fraction is kept.
    moved = "strftime('%Y-%m-%d %H:%M:%S', " + when + ", (-(" + days + ")) || ' days')"
    return "(" + moved + " || substr(" + when + ", 20))"


class greatest(expression.FunctionElement[datetime]):
    """The largest of its (non-null) arguments: GREATEST on PostgreSQL, max() on SQLite."""

    type = UTCDateTime()
    name = "greatest"
    inherit_cache = True


@compiles(greatest)
def _greatest_default(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return "GREATEST(" + compiler.process(element.clauses, **kw) + ")"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return "max(" + compiler.process(element.clauses, **kw) + ")"


class iso_week(expression.FunctionElement[str]):
    """The ISO 8601 week of a UTC timestamp, labelled like '2026-W07'."""

    type = sa.String()
    name = "iso_week"
    inherit_cache = True


@compiles(iso_week)
def _iso_week_default(element: iso_week, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = (compiler.process(c, **kw) for c in element.clauses)
    return "to_char(timezone('UTC', " + ts + "), 'IYYY-\"W\"IW')"


@compiles(iso_week, "sqlite")
def _iso_week_sqlite(element: iso_week, compiler: SQLCompiler, **kw: Any) -> str:
    # The ISO year and week are those of the Thursday of the (Monday-based) week.
    (ts,) = (compiler.process(c, **kw) for c in element.clauses)
    thursday = "date(" + ts + ", '-6 days', 'weekday 1', '+3 days')"
    week = "(CAST(strftime('%j', " + thursday + ") AS INTEGER) - 1) / 7 + 1"
    return "(strftime('%Y', " + thursday + ") || '-W' || printf('%02d', " + week + "))"


class median(expression.FunctionElement[float]):
    """The median of the non-null values of a group (the mean of the middle two for an
    even count): percentile_cont(0.5) on PostgreSQL, the `median` aggregate that
    `_register_sqlite_median` gives every SQLite connection."""

    type = sa.Float()
    name = "median"
    inherit_cache = True


@compiles(median)
def _median_default(element: median, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return "percentile_cont(0.5) WITHIN GROUP (ORDER BY " + value + ")"


@compiles(median, "sqlite")
def _median_sqlite(element: median, compiler: SQLCompiler, **kw: Any) -> str:
    return "median(" + compiler.process(element.clauses, **kw) + ")"


class _Median:
    """SQLite aggregate: median(x) over the non-null x of a group, NULL when none."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return float(statistics.median(self.values)) if self.values else None


@sa.event.listens_for(sa.engine.Engine, "connect")
def _register_sqlite_median(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_aggregate("median", 1, _Median)  # type: ignore[arg-type]


def iso_utc(column: Any) -> ColumnElement[str]:
    """PostgreSQL: a timestamptz as Python's datetime.isoformat() writes it in UTC
    (microseconds only when there are some); NULL stays NULL."""
    utc = sa.func.timezone(const("UTC"), column)
    micro = sa.cast(sa.extract("microseconds", column), sa.BigInteger) % int_const(1_000_000)
    text = sa.func.concat(
        sa.func.to_char(utc, const('YYYY-MM-DD"T"HH24:MI:SS')),
        sa.case((micro != int_const(0), sa.func.to_char(utc, const(".US"))), else_=const("")),
        const("+00:00"),
    )
    return sa.case((column.is_(None), sa.null()), else_=text)


def json_object(pairs: dict[str, Any]) -> Any:
    """PostgreSQL json_build_object; the keys are constants in the SQL text."""
    args: list[Any] = []
    for key, value in pairs.items():
        args += [const(key), value]
    return sa.func.json_build_object(*args)


def empty_json_array() -> Any:
    """PostgreSQL: the JSON value [] (what json_agg over no rows should have said)."""
    return sa.cast(const("[]"), sa.JSON())


def json_rows(page: Any, spec: tuple[tuple[str, str, bool], ...], *order_by: Any) -> Any:
    """PostgreSQL: the rows of the subquery `page` as one JSON array text, in the shape
    `spec` gives (FastDump.spec: column, JSON key, is a time), in this order; [] when
    there are none. An aggregate: a statement selecting it gives one row."""
    row = {key: iso_utc(page.c[name]) if is_time else page.c[name] for name, key, is_time in spec}
    rows = sa.func.json_agg(aggregate_order_by(json_object(row), *order_by))
    return sa.cast(sa.func.coalesce(rows, empty_json_array()), sa.Text)


class db_snapshot(expression.FunctionElement[str]):
    """PostgreSQL: the statement's snapshot as text ('xmin:xmax:xip,...'), or NULL when
    the statement runs in a transaction that has written (its own uncommitted rows are
    visible to it, which no snapshot names). Two statements given the same text see
    exactly the same committed rows. NULL on SQLite, which has no such thing."""

    type = sa.String()
    name = "db_snapshot"
    inherit_cache = True


@compiles(db_snapshot)
def _db_snapshot_default(element: db_snapshot, compiler: SQLCompiler, **kw: Any) -> str:
    return (
        "(CASE WHEN pg_current_xact_id_if_assigned() IS NULL"
        " THEN CAST(pg_current_snapshot() AS TEXT) END)"
    )


@compiles(db_snapshot, "sqlite")
def _db_snapshot_sqlite(element: db_snapshot, compiler: SQLCompiler, **kw: Any) -> str:
    return "NULL"


class current_xid(expression.FunctionElement[str]):
    """PostgreSQL: the running transaction's id as text (assigned now if it has none yet;
    sql/snapshots.register). NULL on SQLite."""

    type = sa.String()
    name = "current_xid"
    inherit_cache = True


@compiles(current_xid)
def _current_xid_default(element: current_xid, compiler: SQLCompiler, **kw: Any) -> str:
    return "CAST(pg_current_xact_id() AS TEXT)"


@compiles(current_xid, "sqlite")
def _current_xid_sqlite(element: current_xid, compiler: SQLCompiler, **kw: Any) -> str:
    return "NULL"
