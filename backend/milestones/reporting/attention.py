"""Attention on the portfolio (SPEC Part 2, "Attention"): which companies are stalled,
have reviews waiting, or went silent.

Everything is SQL added to the portfolio's statements, so a page costs no statement per
row:
- the medians come from one aggregate over the whole programme (every company, whoever
  asks: an aggregate, so coaches may see it), kept in milestone_medians (five rows) by
  the transactions that write statuses, as company_stats is;
- each company's threshold depends only on its current milestone, the medians and the
  settings, so company_stats stores it (threshold_of, computed when the row is, and
  again by the transactions that change the medians or the settings), and with it the
  time the company stalls (stall_at_of: the milestone's start plus the threshold);
- the review and silence cut-offs are the request's `now` less the settings' days,
  computed in the statement from programme_settings (so a portfolio request reads no
  settings row apart), and each row's reasons are three comparisons of its stored
  times (stall_at, oldest_pending_at, last_activity) with `now` and the cut-offs.

A company's threshold is max(stall_min_days, ceil(stall_factor x median_days)) for its
current milestone, or stall_min_days when that milestone has no median (fewer than
MIN_ACHIEVERS achieved it); none once all five are achieved. Ages count from their
boundary on: a review exactly stale_review_days old is waiting, one second less is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, expression
from sqlalchemy.sql.compiler import SQLCompiler

from milestones import programme
from milestones.models import MilestoneMedian, ProgrammeSettings
from milestones.reporting import analytics
from milestones.reporting.common import now_param
from milestones.sql.dialect import const, days_before, floor_int, int_const, whole_days

REASONS = ("stalled", "reviews_waiting", "inactive")
MIN_ACHIEVERS = 3
# sort=attention orders by one key: reasons x _SPAN + days over the threshold. The days
# are an int4 in the SQL, so |over| <= 2**31 < _SPAN / 2 and the key never overflows a
# bigint; _NO_THRESHOLD, below any int4, puts a company without threshold last.
_SPAN = 10**10
_NO_THRESHOLD = -(2**31) - 1


class json_list(expression.FunctionElement[Any]):
    """A JSON text from the SQL, read back as a list: CAST(... AS JSON) on PostgreSQL
    (json_agg then embeds it as JSON), the text itself on SQLite (whose JSON type parses
    it when read)."""

    type = sa.JSON()
    name = "json_list"
    inherit_cache = True


@compiles(json_list)
def _json_list_default(element: json_list, compiler: SQLCompiler, **kw: Any) -> str:
    return "CAST(" + compiler.process(element.clauses, **kw) + " AS JSON)"


@compiles(json_list, "sqlite")
def _json_list_sqlite(element: json_list, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@cache
def medians_select() -> sa.Select[Any]:
    """Per milestone, the median whole days to achieve it over every company of the
    programme (as /analytics/milestones computes it for an admin), NULL unless at least
    MIN_ACHIEVERS achieved it, and how many did, beside the rest of the programme's
    analytics row (reporting/analytics.py): one aggregate over the statuses, kept in
    milestone_medians by services/company_stats.py."""
    src = analytics.statuses().subquery("s")
    agg = {column.name: column.element for column in analytics.aggregates(src)}
    return sa.select(
        src.c.milestone,
        sa.case(
            (agg["achieved"] >= int_const(MIN_ACHIEVERS), sa.cast(agg["median_days"], sa.Float)),
            else_=sa.null(),
        ).label("median_days"),
        agg["achieved"].label("achievers"),
        agg["started"].label("started"),
        agg["in_progress"].label("in_progress"),
        sa.cast(agg["avg_days"], sa.Float).label("avg_days"),
        sa.cast(agg["median_days"], sa.Float).label("median_days_any"),
    ).group_by(src.c.milestone)


def medians() -> sa.Table:
    """The medians of medians_select(), as stored (one row per milestone; a milestone
    without a row has no median)."""
    return MilestoneMedian.__table__  # type: ignore[return-value]


def _ceil(value: Any) -> ColumnElement[int]:
    """The smallest integer not below a float, forgiving float noise (1.1 x 50 is
    55.00000000000001, whose threshold is 55, not 56)."""
    return -floor_int(sa.literal(1e-9, sa.Float()) - value)


def _larger(a: Any, b: Any) -> ColumnElement[int]:
    return sa.case((a > b, a), else_=b)


@dataclass(frozen=True)
class Columns:
    median_days: ColumnElement[Any]
    stall_threshold_days: ColumnElement[Any]
    attention: ColumnElement[Any]  # the JSON list of the reasons that hold


def _setting(column: Any, default: Any) -> ColumnElement[Any]:
    row = sa.select(column).where(ProgrammeSettings.id == programme.ROW_ID).scalar_subquery()
    return sa.func.coalesce(row, sa.literal(default, column.type))


def threshold_of(milestone: Any) -> ColumnElement[Any]:
    """The stall threshold of a current milestone (a column; NULL: all achieved), as
    company_stats stores it: max(stall_min_days, ceil(stall_factor x median_days)), or
    stall_min_days while the milestone has no median. The settings and the medians are
    read in the statement (programme_settings, or the defaults while it has no row;
    milestone_medians), so a transaction that changed them computes from its own
    writes."""
    defaults = programme.DEFAULTS
    factor = _setting(ProgrammeSettings.stall_factor, defaults.stall_factor)
    minimum = _setting(ProgrammeSettings.stall_min_days, defaults.stall_min_days)
    m = MilestoneMedian
    median_days = sa.select(m.median_days).where(m.milestone == milestone).scalar_subquery()
    # No median: ceil(factor x NULL) is NULL, never larger than the minimum.
    return sa.case(
        (milestone.is_(None), sa.null()),
        else_=_larger(_ceil(factor * median_days), minimum),
    )


def stall_at_of(started: Any, threshold: Any) -> ColumnElement[Any]:
    """When a company whose current milestone started at `started` stalls: `threshold`
    days (of 86,400 seconds) later, as company_stats stores it; NULL without either. Its
    days in the milestone reach the threshold exactly then, so `stall_at <= now` is the
    stall and the whole days from stall_at to now are the days over the threshold."""
    return days_before(started, -threshold)


@dataclass(frozen=True)
class Cutoffs:
    review: ColumnElement[Any]  # a review submitted at or before it waits too long
    silent: ColumnElement[Any]  # a company last active at or before it is silent


def cutoffs() -> Cutoffs:
    """The request's `now` less the settings' days, each an uncorrelated scalar subquery
    of programme_settings (or the defaults while it has no row): read in the statement,
    so a portfolio request reads no settings row apart, and computed once per statement
    (an InitPlan), not per row."""
    review_days, inactive_days = reason_days()
    return Cutoffs(
        review=sa.select(days_before(now_param(), review_days)).scalar_subquery(),
        silent=sa.select(days_before(now_param(), inactive_days)).scalar_subquery(),
    )


def reason_days() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """(stale_review_days, inactive_days) of the settings (or the defaults while they
    have no row), as scalar subqueries."""
    defaults = programme.DEFAULTS
    return (
        _setting(ProgrammeSettings.stale_review_days, defaults.stale_review_days),
        _setting(ProgrammeSettings.inactive_days, defaults.inactive_days),
    )


def _conditions(stats: Any, cut: Cutoffs) -> tuple[ColumnElement[bool], ...]:
    """The reasons, in REASONS order: comparisons of stored times with the request's
    now and the cut-offs."""
    return (
        stats.stall_at <= now_param(),
        stats.oldest_pending_at <= cut.review,
        stats.last_activity <= cut.silent,
    )


def _mask(stats: Any, cut: Cutoffs) -> ColumnElement[int]:
    """One bit per reason that holds, in REASONS order."""
    return sum(
        (
            sa.case((c, int_const(1 << i)), else_=int_const(0))
            for i, c in enumerate(_conditions(stats, cut))
        ),
        start=int_const(0),
    )


def _count(stats: Any, cut: Cutoffs) -> ColumnElement[int]:
    """How many reasons hold."""
    return sum(
        (sa.case((c, int_const(1)), else_=int_const(0)) for c in _conditions(stats, cut)),
        start=int_const(0),
    )


def _over(stats: Any) -> ColumnElement[int]:
    """Whole days past the threshold (negative before it; the threshold's opposite when
    the milestone has no start, as days in milestone are then 0); NULL once all are
    achieved."""
    threshold = stats.stall_threshold_days
    return sa.case(
        (threshold.is_(None), sa.null()),
        (stats.stall_at.is_(None), -threshold),
        else_=whole_days(stats.stall_at, now_param()),
    )


def _sort_key(count: Any, over: Any) -> ColumnElement[int]:
    """Ascending: most reasons first, then furthest over the threshold, then those
    without a threshold."""
    return -(count * int_const(_SPAN) + sa.func.coalesce(over, int_const(_NO_THRESHOLD)))


def columns(stats: Any, median_row: Any, cut: Cutoffs) -> Columns:
    """The attention of a company_stats row `stats` (an alias), given the row of
    medians() joined on its current milestone and the cutoffs()."""
    mask = _mask(stats, cut)
    held = {m: [r for i, r in enumerate(REASONS) if m >> i & 1] for m in range(1 << len(REASONS))}
    text = sa.case({int_const(m): const(json.dumps(r)) for m, r in held.items()}, value=mask)
    return Columns(
        median_days=median_row.c.median_days,
        stall_threshold_days=stats.stall_threshold_days,
        attention=json_list(text),
    )


@dataclass(frozen=True)
class Ranking:
    held: ColumnElement[bool]  # some reason holds
    sort_key: ColumnElement[int]  # ascending: most reasons first, then furthest over


def ranking(stats: Any) -> Ranking:
    """For filtering and sorting the companies of company_stats rows `stats` (an alias)
    by attention, without reading the companies: whether any reason holds (the
    comparisons ORed, so most rows stop at the first), and the sort key (computed once
    a row: selected, the ORDER BY reuses it)."""
    cut = cutoffs()
    return Ranking(
        held=sa.or_(*_conditions(stats, cut)),
        sort_key=_sort_key(_count(stats, cut), _over(stats)),
    )
