"""Metrics computed by the database: per milestone, per company, across companies.

Every figure is an SQL aggregate (FILTER, CASE, window functions); Python only shapes
the handful of result rows. Each function runs a fixed number of statements whatever
the data size. "Now" is milestones.timeutil.utcnow(), passed as a bound parameter: the
database clock is never read, so tests can freeze time.

Runs on PostgreSQL and SQLite: the few constructs whose SQL differs (day differences,
floor, greatest, ISO week labels, median) are small compiled elements below.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import SimpleNamespace
from typing import Any, Protocol, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql import ColumnElement, expression
from sqlalchemy.sql.compiler import SQLCompiler

from milestones import catalogue
from milestones.auth.policies import company_scope, visible_company
from milestones.errors import NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    Evidence,
    HistoryEvent,
    MilestoneStatus,
    ProgressUpdate,
    ReviewDecision,
    Role,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.models.base import UTCDateTime
from milestones.timeutil import utcnow

FIELDS = (
    "days_in_milestone",
    "total_tasks",
    "completed_tasks",
    "active_tasks",
    "avg_task_completion_time",
    "progress_update_count",
    "evidence_count",
    "approved_updates",
    "pending_updates",
    "rejected_updates",
    "update_approval_rate",
    "task_approval_rate",
)
TREND_WEEKS = 12
# The value of the portfolio's `milestone` filter for companies past all five.
ALL_ACHIEVED = "all_achieved"
PORTFOLIO_SORTS = (
    "name",
    "current_milestone",
    "days_in_milestone",
    "pending_approvals",
    "achieved_count",
    "last_activity",
)


# ---------------------------------------------------------------------------------------
# Dialect-aware SQL helpers
# ---------------------------------------------------------------------------------------


class day_diff(expression.FunctionElement[float]):
    """Days from the first timestamp to the second, as a float."""

    type = sa.Float()
    name = "day_diff"
    inherit_cache = True


@compiles(day_diff)
def _day_diff_default(element: day_diff, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


@compiles(day_diff, "sqlite")
def _day_diff_sqlite(element: day_diff, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


class floor_int(expression.FunctionElement[int]):
    """The largest integer not above a number (SQLite may lack floor())."""

    type = sa.Integer()
    name = "floor_int"
    inherit_cache = True


@compiles(floor_int)
def _floor_default(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(FLOOR({value}) AS INTEGER)"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({value} AS INTEGER) - ({value} < CAST({value} AS INTEGER)))"


class greatest(expression.FunctionElement[datetime]):
    """The largest of its (non-null) arguments: GREATEST on PostgreSQL, max() on SQLite."""

    type = UTCDateTime()
    name = "greatest"
    inherit_cache = True


@compiles(greatest)
def _greatest_default(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


class iso_week(expression.FunctionElement[str]):
    """The ISO 8601 week of a UTC timestamp, labelled like '2026-W07'."""

    type = sa.String()
    name = "iso_week"
    inherit_cache = True


@compiles(iso_week)
def _iso_week_default(element: iso_week, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char(timezone('UTC', {ts}), 'IYYY-\"W\"IW')"


@compiles(iso_week, "sqlite")
def _iso_week_sqlite(element: iso_week, compiler: SQLCompiler, **kw: Any) -> str:
    # The ISO year and week are those of the Thursday of the (Monday-based) week.
    (ts,) = (compiler.process(c, **kw) for c in element.clauses)
    thursday = f"date({ts}, '-6 days', 'weekday 1', '+3 days')"
    return (
        f"(strftime('%Y', {thursday}) || '-W' || "
        f"printf('%02d', (CAST(strftime('%j', {thursday}) AS INTEGER) - 1) / 7 + 1))"
    )


class median(expression.FunctionElement[float]):
    """percentile_cont(0.5) on PostgreSQL (SQLite uses a window query, see analytics)."""

    type = sa.Float()
    name = "median"
    inherit_cache = True


@compiles(median)
def _median_default(element: median, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {value})"


def whole_days(start: Any, end: Any) -> ColumnElement[int]:
    return floor_int(day_diff(start, end))


# Statements are built once per shape (functools.cache) with bound parameters, so a
# request pays neither the construction nor the compilation of a statement again.
def _now() -> ColumnElement[datetime]:
    return sa.bindparam("now", type_=UTCDateTime())


def _company_id() -> ColumnElement[int]:
    return sa.bindparam("company_id", type_=sa.Integer())


def _scope(role: Role, column: Any = None) -> ColumnElement[bool]:
    """policies.company_scope() for a viewer of this role whose id is the `viewer_id`
    parameter: the same rule, in a statement that can be cached for every viewer."""
    stand_in = cast(User, SimpleNamespace(role=role, id=sa.bindparam("viewer_id")))
    return company_scope(stand_in) if column is None else company_scope(stand_in, column)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _int(value: int) -> ColumnElement[int]:
    """An integer constant written into the SQL text rather than a bound parameter:
    fewer parameters to adapt and send on every execution."""
    return sa.literal_column(str(int(value)), sa.Integer())


def _is(column: Any, *values: enum.Enum) -> ColumnElement[bool]:
    """column = 'value' (or IN (...)) with the enum values written into the SQL text."""
    consts = [sa.literal_column(f"'{v.value}'", column.type) for v in values]
    return column == consts[0] if len(consts) == 1 else column.in_(consts)


def _count(condition: ColumnElement[bool] | None = None) -> ColumnElement[int]:
    if condition is None:
        return sa.func.count()
    return sa.func.count().filter(condition)


def _rate(yes: ColumnElement[Any], no: ColumnElement[Any]) -> ColumnElement[float | None]:
    """yes / (yes + no), NULL when nothing was decided."""
    return sa.case((yes + no == 0, sa.null()), else_=sa.cast(yes, sa.Float) / (yes + no))


def end_read() -> None:
    """End a read-only request's transaction with COMMIT instead of the teardown's
    ROLLBACK. psycopg forgets its prepared statements at every ROLLBACK, so without this
    PostgreSQL would parse and plan the large metric statements again on every request;
    after a COMMIT the pooled connection keeps them prepared. Call it last: the commit
    expires the session's objects."""
    db.session.commit()


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------------------
# Per company and milestone
# ---------------------------------------------------------------------------------------


@cache
def _metrics_stmt() -> sa.Select[Any]:
    """One row per milestone of the company, in order, with every MilestoneMetrics field."""
    s = MilestoneStatus
    company_id = _company_id()
    tasks = (
        sa.select(
            Task.milestone,
            _count(sa.not_(_is(Task.status, TaskStatus.CANCELLED))).label("total"),
            _count(_is(Task.status, TaskStatus.APPROVED)).label("completed"),
            _count(_is(Task.status, TaskStatus.OPEN, TaskStatus.SUBMITTED)).label("active"),
            sa.func.avg(day_diff(Task.created_at, Task.completed_at))
            .filter(_is(Task.status, TaskStatus.APPROVED))
            .label("avg_time"),
        )
        .where(Task.company_id == company_id)
        .group_by(Task.milestone)
        .subquery("t")
    )
    reviews = (
        sa.select(
            TaskReview.milestone,
            _count(_is(TaskReview.decision, ReviewDecision.APPROVED)).label("approvals"),
            _count(_is(TaskReview.decision, ReviewDecision.REJECTED)).label("rejections"),
        )
        .where(TaskReview.company_id == company_id)
        .group_by(TaskReview.milestone)
        .subquery("r")
    )
    updates = (
        sa.select(
            ProgressUpdate.milestone,
            _count().label("updates"),
            _count(_is(ProgressUpdate.status, UpdateStatus.APPROVED)).label("approved"),
            _count(_is(ProgressUpdate.status, UpdateStatus.PENDING)).label("pending"),
            _count(_is(ProgressUpdate.status, UpdateStatus.REJECTED)).label("rejected"),
        )
        .where(ProgressUpdate.company_id == company_id)
        .group_by(ProgressUpdate.milestone)
        .subquery("u")
    )
    evidence = (
        sa.select(Evidence.milestone, _count().label("evidence"))
        .where(Evidence.company_id == company_id, Evidence.removed_at.is_(None))
        .group_by(Evidence.milestone)
        .subquery("e")
    )
    zero = _int(0)
    approvals = sa.func.coalesce(reviews.c.approvals, zero)
    rejections = sa.func.coalesce(reviews.c.rejections, zero)
    approved = sa.func.coalesce(updates.c.approved, zero)
    rejected = sa.func.coalesce(updates.c.rejected, zero)
    days = sa.case(
        (s.started_at.is_(None), zero),
        else_=whole_days(s.started_at, sa.func.coalesce(s.achieved_at, _now())),
    )
    return (
        sa.select(
            s.milestone,
            s.position,
            days.label("days_in_milestone"),
            sa.func.coalesce(tasks.c.total, zero).label("total_tasks"),
            sa.func.coalesce(tasks.c.completed, zero).label("completed_tasks"),
            sa.func.coalesce(tasks.c.active, zero).label("active_tasks"),
            tasks.c.avg_time.label("avg_task_completion_time"),
            sa.func.coalesce(updates.c.updates, zero).label("progress_update_count"),
            sa.func.coalesce(evidence.c.evidence, zero).label("evidence_count"),
            approved.label("approved_updates"),
            sa.func.coalesce(updates.c.pending, zero).label("pending_updates"),
            rejected.label("rejected_updates"),
            _rate(approved, rejected).label("update_approval_rate"),
            _rate(approvals, rejections).label("task_approval_rate"),
        )
        .select_from(s)
        .outerjoin(tasks, tasks.c.milestone == s.milestone)
        .outerjoin(reviews, reviews.c.milestone == s.milestone)
        .outerjoin(updates, updates.c.milestone == s.milestone)
        .outerjoin(evidence, evidence.c.milestone == s.milestone)
        .where(s.company_id == company_id)
        .order_by(s.position)
    )


@cache
def _statuses_metrics_stmt(role: Role) -> sa.Select[Any]:
    """The company's five MilestoneStatus entities (with who updated them), each beside
    its MilestoneMetrics columns, if the viewer may see the company (company_scope): the
    milestones screen in one statement."""
    base = _metrics_stmt()
    columns = [c for c in base.selected_columns if c.name in FIELDS]
    visible = sa.select(Company.id).where(Company.id == _company_id(), _scope(role))
    return (
        base.with_only_columns(MilestoneStatus, *columns)
        .where(visible.exists())
        .options(joinedload(MilestoneStatus.updated_by))
        .execution_options(populate_existing=True)
    )


def statuses_with_metrics(
    viewer: User, company_id: int
) -> list[tuple[MilestoneStatus, dict[str, Any]]]:
    """[(status, {MilestoneMetrics fields})] of one company, in milestone order; none
    when the company is missing or not the viewer's to see."""
    params = {"company_id": company_id, "now": utcnow(), "viewer_id": viewer.id}
    rows = db.session.execute(_statuses_metrics_stmt(viewer.role), params).unique().all()
    return [(row[0], {name: row[i + 1] for i, name in enumerate(FIELDS)}) for row in rows]


@cache
def _trend_stmt() -> sa.Select[Any]:
    """Approved task completions and approved updates per ISO week, the last 12 weeks.

    Parameters: company_id, since (Monday 00:00 of the first week), week0..week11 (the
    labels of the weeks, oldest first)."""
    company_id = _company_id()
    since = sa.bindparam("since", type_=UTCDateTime())
    weeks = sa.union_all(
        *(
            sa.select(
                _int(i).label("idx"),
                sa.bindparam(f"week{i}", type_=sa.String()).label("week"),
            )
            for i in range(TREND_WEEKS)
        )
    ).subquery("weeks")
    events = sa.union_all(
        sa.select(
            iso_week(Task.completed_at).label("week"),
            _int(1).label("task"),
            _int(0).label("update"),
        ).where(
            Task.company_id == company_id,
            _is(Task.status, TaskStatus.APPROVED),
            Task.completed_at >= since,
        ),
        sa.select(
            iso_week(ProgressUpdate.reviewed_at).label("week"),
            _int(0).label("task"),
            _int(1).label("update"),
        ).where(
            ProgressUpdate.company_id == company_id,
            _is(ProgressUpdate.status, UpdateStatus.APPROVED),
            ProgressUpdate.reviewed_at >= since,
        ),
    ).subquery("ev")
    per_week = (
        sa.select(
            events.c.week,
            sa.func.sum(events.c.task).label("tasks"),
            sa.func.sum(events.c.update).label("updates"),
        )
        .group_by(events.c.week)
        .subquery("pw")
    )
    return (
        sa.select(
            weeks.c.idx,
            weeks.c.week,
            sa.func.coalesce(per_week.c.tasks, _int(0)).label("completed_tasks"),
            sa.func.coalesce(per_week.c.updates, _int(0)).label("approved_updates"),
        )
        .select_from(weeks)
        .outerjoin(per_week, per_week.c.week == weeks.c.week)
        .order_by(weeks.c.idx)
    )


def trend_weeks(today: date) -> list[date]:
    """The Mondays of the last TREND_WEEKS ISO weeks, oldest first, this week last."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=TREND_WEEKS - 1 - i) for i in range(TREND_WEEKS)]


def _trend_params(company_id: int) -> dict[str, Any]:
    mondays = trend_weeks(utcnow().date())
    first = mondays[0]
    return {
        "company_id": company_id,
        "now": utcnow(),
        "since": datetime(first.year, first.month, first.day, tzinfo=UTC),
        **{f"week{i}": iso_week_label(monday) for i, monday in enumerate(mondays)},
    }


@cache
def _company_metrics_stmt() -> sa.CompoundSelect:
    """The metrics screen in one statement: the five milestone rows ('m') and the twelve
    week rows ('t') of the trend, as one UNION ALL padded with NULLs."""
    m = _metrics_stmt().subquery("m")
    t = _trend_stmt().subquery("t")
    per_milestone = sa.select(
        sa.literal_column("'m'", sa.String()).label("kind"),
        m.c.position.label("idx"),
        sa.type_coerce(m.c.milestone, sa.String()).label("label"),
        *(m.c[name] for name in FIELDS),
        sa.cast(sa.null(), sa.Integer).label("week_completed_tasks"),
        sa.cast(sa.null(), sa.Integer).label("week_approved_updates"),
    )
    per_week = sa.select(
        sa.literal_column("'t'", sa.String()),
        t.c.idx,
        t.c.week,
        *(sa.null() for _ in FIELDS),
        t.c.completed_tasks,
        t.c.approved_updates,
    )
    union = sa.union_all(per_milestone, per_week)
    return union.order_by(union.selected_columns.kind, union.selected_columns.idx)


def company_metrics(company: Company) -> dict[str, Any]:
    """GET /companies/{id}/metrics: per-milestone metrics and the 12-week trend (one
    statement: "one query per screen")."""
    params = _trend_params(company.id)
    rows = db.session.execute(_company_metrics_stmt(), params).mappings().all()
    end_read()
    result: dict[str, list[dict[str, Any]]] = {"milestones": [], "trend": []}
    for row in rows:
        if row["kind"] == "m":
            result["milestones"].append(
                {"milestone": row["label"], **{name: row[name] for name in FIELDS}}
            )
        else:
            result["trend"].append(
                {
                    "week": row["label"],
                    "completed_tasks": row["week_completed_tasks"],
                    "approved_updates": row["week_approved_updates"],
                }
            )
    return result


def company_metrics_json(viewer: User, company_id: int, dump: Callable[[Any], Any]) -> str:
    """GET /companies/{id}/metrics as JSON text, in the shape `dump` (the schema's dump)
    gives it; 404 when the company is missing or not the viewer's to see.

    On PostgreSQL one statement checks the company is visible (company_scope, the rule
    every list applies) and writes the JSON (json_agg): no row is converted in Python.
    Numbers are the same values; a float with no fraction is written 2 rather than 2.0.
    Elsewhere the figures are dumped by `dump`.
    """
    if _dialect() != "postgresql":
        company = visible_company(company_id, viewer)
        return json.dumps(dump(company_metrics(company)), separators=(",", ":"))
    params = {**_trend_params(company_id), "viewer_id": viewer.id}
    text = db.session.scalar(_company_metrics_json_stmt(viewer.role), params)
    end_read()
    if text is None:
        raise NotFound("Company not found.")
    return str(text)


def _json_object(pairs: dict[str, Any]) -> Any:
    """PostgreSQL json_build_object; the keys are field names written into the SQL."""
    args: list[Any] = []
    for key, value in pairs.items():
        if not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"unexpected JSON key {key!r}")
        args += [sa.literal_column(f"'{key}'"), value]
    return sa.func.json_build_object(*args)


@cache
def _company_metrics_json_stmt(role: Role) -> sa.Select[Any]:
    rows = _company_metrics_stmt().cte("rows")
    empty: Any = sa.literal_column("'[]'::json")

    def listed(kind: str, fields: dict[str, Any]) -> Any:
        items = sa.func.json_agg(aggregate_order_by(_json_object(fields), rows.c.idx))
        stmt = sa.select(items).where(rows.c.kind == sa.literal_column(f"'{kind}'"))
        return sa.func.coalesce(stmt.scalar_subquery(), empty)

    milestones = listed("m", {"milestone": rows.c.label, **{f: rows.c[f] for f in FIELDS}})
    trend = listed(
        "t",
        {
            "week": rows.c.label,
            "completed_tasks": rows.c.week_completed_tasks,
            "approved_updates": rows.c.week_approved_updates,
        },
    )
    text: Any = sa.cast(_json_object({"milestones": milestones, "trend": trend}), sa.Text)
    visible = sa.select(Company.id).where(Company.id == _company_id(), _scope(role))
    return sa.select(text).where(visible.exists())


# ---------------------------------------------------------------------------------------
# Portfolio: one row per visible company
# ---------------------------------------------------------------------------------------


def _status_info(ids: Any) -> Any:
    """Per company (of `ids`, or all): current milestone, its order and start, milestones
    achieved and the last achievement, from the five status rows."""
    s = MilestoneStatus
    progress = sa.select(
        s.company_id,
        _count(s.achieved.is_(True)).label("achieved_count"),
        sa.func.min(s.position).filter(s.achieved.is_(False)).label("current_position"),
        sa.func.max(s.achieved_at).label("last_achieved"),
    )
    if ids is not None:
        progress = progress.where(s.company_id.in_(ids))
    progress_sq = progress.group_by(s.company_id).subquery("progress")
    current = aliased(MilestoneStatus, name="cur")
    return (
        sa.select(
            progress_sq.c.company_id,
            current.milestone.label("current_milestone"),
            sa.func.coalesce(progress_sq.c.current_position, _int(len(catalogue.KEYS))).label(
                "position"
            ),
            current.started_at.label("current_started_at"),
            progress_sq.c.achieved_count,
            progress_sq.c.last_achieved,
        )
        .select_from(progress_sq)
        .outerjoin(
            current,
            sa.and_(
                current.company_id == progress_sq.c.company_id,
                current.position == progress_sq.c.current_position,
            ),
        )
        .subquery("status_info")
    )


def _with_activity(source: Any, ids: Any) -> tuple[list[Any], Any]:
    """Task counts, pending approvals and last activity per company of `source` (a
    subquery with company_id, joined_at, last_achieved), from grouped aggregates
    restricted to the companies in `ids` (an expanding bound parameter) when given.
    Returns (columns, FROM clause)."""

    def grouped(model: Any, *columns: Any, where: tuple[Any, ...] = ()) -> Any:
        stmt = sa.select(model.company_id.label("company_id"), *columns).where(*where)
        if ids is not None:
            stmt = stmt.where(model.company_id.in_(ids))
        return stmt.group_by(model.company_id).subquery(model.__tablename__ + "_agg")

    def latest(first: Any, *others: Any) -> Any:
        # The latest of several (nullable) times: one max() per column, then GREATEST.
        top = sa.func.max(first)
        return greatest(top, *(sa.func.coalesce(sa.func.max(o), top) for o in others))

    def newest(column: Any) -> Any:
        # max() through an index on (company_id, time): one probe per company of a page.
        return (
            sa.select(sa.func.max(column))
            .where(column.class_.company_id == source.c.company_id)
            .scalar_subquery()
        )

    tasks = grouped(
        Task,
        _count(sa.not_(_is(Task.status, TaskStatus.CANCELLED))).label("total"),
        _count(_is(Task.status, TaskStatus.APPROVED)).label("completed"),
        _count(_is(Task.status, TaskStatus.OPEN, TaskStatus.SUBMITTED)).label("active"),
        _count(_is(Task.status, TaskStatus.SUBMITTED)).label("submitted"),
        latest(Task.created_at, Task.submitted_at, Task.completed_at, Task.cancelled_at).label(
            "last"
        ),
    )
    updates = grouped(
        ProgressUpdate,
        _count(_is(ProgressUpdate.status, UpdateStatus.PENDING)).label("pending"),
        latest(ProgressUpdate.created_at, ProgressUpdate.reviewed_at).label("last"),
    )
    evidence = grouped(Evidence, latest(Evidence.created_at, Evidence.removed_at).label("last"))

    joined = source.c.joined_at
    zero = _int(0)
    from_clause = source
    for agg in (tasks, updates, evidence):
        from_clause = from_clause.outerjoin(agg, agg.c.company_id == source.c.company_id)
    lasts = [
        source.c.last_achieved,
        *(a.c.last for a in (tasks, updates, evidence)),
        newest(TaskReview.created_at),
        newest(HistoryEvent.created_at),
    ]
    columns = [
        sa.func.coalesce(tasks.c.total, zero).label("total_tasks"),
        sa.func.coalesce(tasks.c.completed, zero).label("completed_tasks"),
        sa.func.coalesce(tasks.c.active, zero).label("active_tasks"),
        (
            sa.func.coalesce(tasks.c.submitted, zero) + sa.func.coalesce(updates.c.pending, zero)
        ).label("pending_approvals"),
        greatest(joined, *(sa.func.coalesce(last, joined) for last in lasts)).label(
            "last_activity"
        ),
    ]
    return columns, from_clause


def company_stats_select(ids: Any) -> sa.Select[Any]:
    """The rows of company_stats, computed from their sources, for the companies whose
    ids are in `ids` (an expanding bound parameter), or for all when None."""
    info = _status_info(ids)
    source = sa.select(
        Company.id.label("company_id"),
        Company.joined_at,
        info.c.current_milestone,
        info.c.position,
        info.c.current_started_at,
        info.c.achieved_count,
        info.c.last_achieved,
    ).outerjoin(info, info.c.company_id == Company.id)
    if ids is not None:
        source = source.where(Company.id.in_(ids))
    src = source.subquery("source")
    activity, from_clause = _with_activity(src, ids)
    return sa.select(
        src.c.company_id,
        src.c.current_milestone,
        sa.func.coalesce(src.c.position, _int(len(catalogue.KEYS))).label("position"),
        src.c.current_started_at,
        sa.func.coalesce(src.c.achieved_count, _int(0)).label("achieved_count"),
        *activity,
    ).select_from(from_clause)


class RowDump(Protocol):
    """What the API gives portfolio_json: schemas.base.FastDump."""

    @property
    def spec(self) -> tuple[tuple[str, str, bool], ...]: ...

    def __call__(self, items: Sequence[Any]) -> list[dict[str, Any]]: ...


def _portfolio_request(
    viewer: User,
    *,
    q: str | None = None,
    milestone: str | None = None,
    sort: str = "name",
    order: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """(the shape of the statement, its parameters) for one portfolio request."""
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if order is not None:
        descending = order == "desc"
    kind = milestone if milestone in (None, ALL_ACHIEVED) else "one"
    params: dict[str, Any] = {
        "viewer_id": viewer.id,
        "now": utcnow(),
        "limit": page_size,
        "offset": (page - 1) * page_size,
    }
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
    if kind == "one" and milestone:
        params["milestone"] = catalogue.MilestoneKey(milestone)
    return (viewer.role, bool(q), kind, sort, descending), params


def _total(found: int | None, page: int, count_stmt: sa.Select[Any], params: Any) -> int:
    if found is not None:
        return found  # the page statement counts every match
    if page == 1:
        return 0
    return db.session.scalar(count_stmt, params) or 0  # past the last page: count apart


def portfolio(viewer: User, **query: Any) -> tuple[list[sa.Row[Any]], int]:
    """(rows of the requested page, number of matching companies): one statement over
    companies and their company_stats rows (two when the page asked for lies past the
    last one). `query`: the arguments of _portfolio_request (q, milestone, sort, order,
    page, page_size). Rows carry the fields of PortfolioRowSchema (and `total`)."""
    shape, params = _portfolio_request(viewer, **query)
    count_stmt, page_stmt = _portfolio_stmts(*shape)
    rows = list(db.session.execute(page_stmt, params))
    total = _total(rows[0].total if rows else None, query.get("page", 1), count_stmt, params)
    end_read()
    return rows, total


def portfolio_json(viewer: User, dump: RowDump, **query: Any) -> tuple[str, int]:
    """portfolio(viewer, **query) as the JSON text of the page in `dump`'s shape, and the
    total.

    On PostgreSQL the database writes the JSON (json_agg over the page): no row is
    converted in Python, which was most of what a page cost beyond the query. Elsewhere
    the rows are dumped by `dump`. Both give the same text for the same rows (a test
    compares them with the schema's dump).
    """
    if _dialect() != "postgresql":
        rows, total = portfolio(viewer, **query)
        return json.dumps(dump(rows), separators=(",", ":")), total
    shape, params = _portfolio_request(viewer, **query)
    count_stmt, _ = _portfolio_stmts(*shape)
    text, found = db.session.execute(_portfolio_json_stmt(shape, dump.spec), params).one()
    total = _total(found, query.get("page", 1), count_stmt, params)
    end_read()
    return text, total


def _iso_utc(column: Any) -> ColumnElement[str]:
    """PostgreSQL: a timestamptz as Python's datetime.isoformat() writes it in UTC
    (microseconds only when there are some)."""
    utc = sa.func.timezone(sa.literal_column("'UTC'"), column)
    micro = sa.cast(sa.extract("microseconds", column), sa.BigInteger) % _int(1_000_000)
    return sa.func.concat(
        sa.func.to_char(utc, sa.literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'")),
        sa.case(
            (micro != _int(0), sa.func.to_char(utc, sa.literal_column("'.US'"))),
            else_=sa.literal_column("''"),
        ),
        sa.literal_column("'+00:00'"),
    )


@cache
def _portfolio_json_stmt(
    shape: tuple[Any, ...], spec: tuple[tuple[str, str, bool], ...]
) -> sa.Select[Any]:
    _, page_stmt = _portfolio_stmts(*shape)
    descending = shape[-1]
    page = page_stmt.subquery("page")
    row = {key: _iso_utc(page.c[name]) if is_time else page.c[name] for name, key, is_time in spec}
    sort_key = page.c.sort_key.desc() if descending else page.c.sort_key.asc()
    rows = sa.func.json_agg(
        aggregate_order_by(
            _json_object(row),
            sort_key.nulls_last(),
            page.c.sort_name,
            page.c.company_id,
        )
    )
    empty: Any = sa.literal_column("'[]'::json")
    text: Any = sa.cast(sa.func.coalesce(rows, empty), sa.Text)
    return sa.select(text, sa.func.max(page.c.total))


def _days_in_milestone(s: Any) -> ColumnElement[int | None]:
    return sa.case(
        (s.current_milestone.is_(None), sa.null()),
        else_=sa.func.coalesce(whole_days(s.current_started_at, _now()), _int(0)),
    )


@cache
def _portfolio_stmts(
    role: Role, search: bool, milestone: str | None, sort: str, descending: bool
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The COUNT and the page statement for one shape of request.

    The page is chosen first from the visible, filtered companies on the sort key alone
    (by name: read off ix_companies_lower_name, whatever the offset); only then are its
    rows joined to company_stats and their fields computed. company_stats is joined
    before paging only when a filter or the sort needs it. The total is an uncorrelated
    subquery, computed once.
    """
    s = aliased(CompanyStats, name="s")
    keys: dict[str, Any] = {
        "name": sa.func.lower(Company.name),
        "current_milestone": s.position,
        "days_in_milestone": _days_in_milestone(s),
    }
    key: Any = keys[sort] if sort in keys else getattr(s, sort)
    chosen = sa.select(
        Company.id.label("company_id"),
        key.label("sort_key"),
        sa.func.lower(Company.name).label("sort_name"),
    ).where(_scope(role))
    if milestone is not None or sort != "name":
        chosen = chosen.join(s, s.company_id == Company.id)
    if milestone == ALL_ACHIEVED:
        chosen = chosen.where(s.current_milestone.is_(None))
    elif milestone:
        chosen = chosen.where(
            s.current_milestone == sa.bindparam("milestone", type_=s.current_milestone.type)
        )
    if search:
        pattern = sa.bindparam("pattern", type_=sa.String())
        chosen = chosen.where(sa.func.lower(Company.name).like(pattern, escape="\\"))
    count_stmt = sa.select(sa.func.count()).select_from(chosen.subquery())

    def ordering(sort_key: Any, sort_name: Any, company_id: Any) -> list[Any]:
        first = (sort_key.desc() if descending else sort_key.asc()).nulls_last()
        return [first, company_id] if sort == "name" else [first, sort_name, company_id]

    page = (
        chosen.order_by(*ordering(key, sa.func.lower(Company.name), Company.id))
        .limit(sa.bindparam("limit", type_=sa.Integer()))
        .offset(sa.bindparam("offset", type_=sa.Integer()))
        .subquery("page")
    )
    stats = aliased(CompanyStats, name="stats")
    page_stmt = (
        sa.select(
            page.c.company_id,
            Company.name,
            stats.current_milestone,
            _days_in_milestone(stats).label("days_in_milestone"),
            stats.achieved_count,
            stats.total_tasks,
            stats.completed_tasks,
            stats.active_tasks,
            stats.pending_approvals,
            stats.last_activity,
            count_stmt.scalar_subquery().label("total"),
            page.c.sort_key,
            page.c.sort_name,
        )
        .select_from(page)
        .join(Company, Company.id == page.c.company_id)
        .join(stats, stats.company_id == page.c.company_id)
        .order_by(*ordering(page.c.sort_key, page.c.sort_name, page.c.company_id))
    )
    return count_stmt, page_stmt


# ---------------------------------------------------------------------------------------
# Across companies
# ---------------------------------------------------------------------------------------


def milestone_analytics(viewer: User) -> dict[str, Any]:
    """Per milestone: companies that started it, achieved it, are in it now, and the mean
    and median of the whole days (started_at -> achieved_at, as days_in_milestone shows
    them) of those that achieved it. One statement."""
    stmt = _analytics_stmt(_dialect(), viewer.role)
    params = {"viewer_id": viewer.id}
    by_key = {r["milestone"]: dict(r) for r in db.session.execute(stmt, params).mappings()}
    end_read()
    return {"milestones": [_analytics_row(key, by_key.get(key)) for key in catalogue.ORDER]}


def _achieved_days() -> ColumnElement[int | None]:
    s = MilestoneStatus
    return sa.case((s.achieved.is_(True), whole_days(s.started_at, s.achieved_at)), else_=sa.null())


@cache
def _analytics_stmt(dialect: str, role: Role) -> sa.Select[Any]:
    return _postgres_analytics(role) if dialect == "postgresql" else _sqlite_analytics(role)


def _postgres_analytics(role: Role) -> sa.Select[Any]:
    s = MilestoneStatus
    src = (
        sa.select(s.milestone, s.started_at, s.achieved, _achieved_days().label("days"))
        .where(_scope(role, s.company_id))
        .subquery("s")
    )
    achieved = src.c.achieved.is_(True)
    started = src.c.started_at.is_not(None)
    return sa.select(
        src.c.milestone,
        _count(started).label("started"),
        _count(achieved).label("achieved"),
        _count(sa.and_(started, sa.not_(achieved))).label("in_progress"),
        sa.func.avg(src.c.days).label("avg_days"),
        median(src.c.days).label("median_days"),
    ).group_by(src.c.milestone)


def _sqlite_analytics(role: Role) -> sa.Select[Any]:
    """The median without percentile_cont: number the achieved rows of each milestone by
    their days and average the middle one (odd count) or the middle two (even count)."""
    s = MilestoneStatus
    days = _achieved_days()
    scoped = sa.select(
        s.milestone,
        s.started_at,
        s.achieved,
        days.label("days"),
        # NULL days rank last so the achieved rows are numbered 1..n.
        sa.func.row_number()
        .over(partition_by=s.milestone, order_by=[days.is_(None), days])
        .label("rn"),
        sa.func.count(days).over(partition_by=s.milestone).label("n"),
    ).where(_scope(role, s.company_id))
    src = scoped.subquery("s")
    achieved = src.c.achieved.is_(True)
    started = src.c.started_at.is_not(None)
    middle = sa.and_(
        src.c.days.is_not(None),
        src.c.rn.in_([(src.c.n + 1) // 2, (src.c.n + 2) // 2]),
    )
    return sa.select(
        src.c.milestone,
        _count(started).label("started"),
        _count(achieved).label("achieved"),
        _count(sa.and_(started, sa.not_(achieved))).label("in_progress"),
        sa.func.avg(src.c.days).label("avg_days"),
        sa.func.avg(sa.case((middle, src.c.days), else_=sa.null())).label("median_days"),
    ).group_by(src.c.milestone)


def _analytics_row(key: catalogue.MilestoneKey, row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {
        "milestone": key.value,
        "started": row.get("started") or 0,
        "achieved": row.get("achieved") or 0,
        "in_progress": row.get("in_progress") or 0,
        "avg_days": None if row.get("avg_days") is None else float(row["avg_days"]),
        "median_days": None if row.get("median_days") is None else float(row["median_days"]),
    }
