"""The portfolio (SPEC "Metrics", portfolio row): one row per company the viewer may see,
with current milestone, days in it, milestones achieved, task counts, pending approvals
(submitted tasks + pending updates) and last activity, and the attention columns of
reporting/attention.py (SPEC Part 2), read from company_stats
(services/company_stats.py keeps those rows), searched, filtered, sorted and paged."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from milestones import catalogue
from milestones.auth.policies import scope, sees_every_company
from milestones.catalogue import ALL_ACHIEVED
from milestones.extensions import db
from milestones.models import Company, CompanyStats, ProgrammeCounts, Role, User
from milestones.reporting import attention as attention_sql
from milestones.reporting.common import now_param, programme_count
from milestones.sql.dialect import int_const, json_rows, whole_days
from milestones.sql.paging import page_params, paged
from milestones.sql.search import contains, like_pattern
from milestones.sql.session import dialect_name
from milestones.timeutil import utcnow


def _portfolio_request(
    viewer: User,
    *,
    q: str | None = None,
    milestone: str | None = None,
    sort: str = "name",
    order: str | None = None,
    attention: bool = False,
    page: int = 1,
    page_size: int = 50,
    cohort_id: int | None = None,
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """(the shape of the statement, its parameters) for one portfolio request."""
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if order is not None:
        descending = order == "desc"
    kind = milestone if milestone in (None, ALL_ACHIEVED) else "one"
    now = utcnow()
    params: dict[str, Any] = {
        "viewer_id": viewer.id,
        "now": now,
        **page_params(page, page_size),
    }
    if q:
        params["pattern"] = like_pattern(q)
    if kind == "one" and milestone:
        params["milestone"] = catalogue.MilestoneKey(milestone)
    if cohort_id is not None:
        params["cohort_id"] = cohort_id
    return (viewer.role, bool(q), kind, attention, sort, descending, cohort_id is not None), params


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
    count_stmt, _, page_stmt = _portfolio_stmts(*shape)
    rows = list(db.session.execute(page_stmt, params))
    total = _total(rows[0].total if rows else None, query.get("page", 1), count_stmt, params)
    return rows, total


def every_row(viewer: User, **query: Any) -> tuple[sa.Select[Any], dict[str, Any]]:
    """(statement, parameters) of every row the portfolio lists with these filters and
    this sort: its page statement, with one page holding them all (the exports)."""
    shape, params = _portfolio_request(viewer, **query, page=1, page_size=2**31 - 1)
    return _portfolio_stmts(*shape).page, params


def portfolio_payload(
    viewer: User, spec: tuple[tuple[str, str, bool], ...], **query: Any
) -> tuple[str | list[sa.Row[Any]], int]:
    """portfolio(viewer, **query) for api/render.py: (the page, the total). On PostgreSQL
    the page is JSON text in the shape `spec` (FastDump.spec) gives, written by the
    database (json_agg over the page): no row is converted in Python, which was most of
    what a page cost beyond the query. Elsewhere it is the rows, which render dumps."""
    if dialect_name() != "postgresql":
        return portfolio(viewer, **query)
    shape, params = _portfolio_request(viewer, **query)
    text, total = db.session.execute(_portfolio_json_stmt(shape, spec), params).one()
    return text, total


@cache
def _portfolio_json_stmt(
    shape: tuple[Any, ...], spec: tuple[tuple[str, str, bool], ...]
) -> sa.Select[Any]:
    count_stmt, rows, _ = _portfolio_stmts(*shape)
    role, search, milestone, attention_only, _, descending, cohort = shape
    page = rows.subquery("page")
    sort_key = page.c.sort_key.desc() if descending else page.c.sort_key.asc()
    text = json_rows(page, spec, sort_key.nulls_last(), page.c.sort_name, page.c.company_id)
    if sees_every_company(role) and not (search or milestone or attention_only or cohort):
        # Every company: the count PostgreSQL keeps (models.ProgrammeCounts), not a
        # count of the whole table (0.84 ms at 10,000 companies).
        return sa.select(text, programme_count(ProgrammeCounts.companies))
    return sa.select(text, count_stmt.scalar_subquery())


def _days_in_milestone(s: Any) -> ColumnElement[int | None]:
    return sa.case(
        (s.current_milestone.is_(None), sa.null()),
        else_=sa.func.coalesce(whole_days(s.current_started_at, now_param()), int_const(0)),
    )


def _chosen(
    role: Role,
    search: bool,
    milestone: str | None,
    attention_only: bool,
    sort: str,
    cohort: bool,
    s: Any,
) -> Any:
    """The visible companies passing the filters: (company_id, sort_key, sort_name), with
    the sort key and the expressions to order by after it (name, id).

    By default from companies (by name: read off ix_companies_lower_name), with
    company_stats (`s`) joined only when a filter or the sort needs it. To filter or sort
    by attention, from company_stats alone (reporting/attention's ranking: whether a
    reason holds, the sort key), with companies joined only to search or filter by
    cohort."""
    if sort == "attention" or attention_only:
        return _chosen_by_attention(search, milestone, attention_only, sort, cohort, s, role)
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
    ).where(scope(role))
    if milestone is not None or sort != "name":
        chosen = chosen.join(s, s.company_id == Company.id)
    return (
        _filtered(chosen, search, milestone, cohort, s),
        key,
        sa.func.lower(Company.name),
        Company.id,
    )


def _chosen_by_attention(
    search: bool,
    milestone: str | None,
    attention_only: bool,
    sort: str,
    cohort: bool,
    s: Any,
    role: Role,
) -> Any:
    ranked = attention_sql.ranking(s)
    keys: dict[str, Any] = {
        "name": s.sort_name,
        "current_milestone": s.position,
        "days_in_milestone": _days_in_milestone(s),
        "attention": ranked.sort_key,
    }
    key: Any = keys[sort] if sort in keys else getattr(s, sort)
    chosen = sa.select(s.company_id, key.label("sort_key"), s.sort_name.label("sort_name")).where(
        scope(role, s.company_id)
    )
    if attention_only:
        chosen = chosen.where(ranked.held)
    if search or cohort:
        chosen = chosen.join(Company, Company.id == s.company_id)
    chosen = _filtered(chosen, search, milestone, cohort, s)
    return chosen, key, s.sort_name, s.company_id


def _filtered(chosen: Any, search: bool, milestone: str | None, cohort: bool, s: Any) -> Any:
    if milestone == ALL_ACHIEVED:
        chosen = chosen.where(s.current_milestone.is_(None))
    elif milestone:
        chosen = chosen.where(
            s.current_milestone == sa.bindparam("milestone", type_=s.current_milestone.type)
        )
    if search:
        pattern = sa.bindparam("pattern", type_=sa.String())
        chosen = chosen.where(contains(Company.name, pattern))
    if cohort:
        chosen = chosen.where(Company.cohort_id == sa.bindparam("cohort_id", type_=sa.Integer()))
    return chosen


class _Statements(NamedTuple):
    matches: sa.Select[Any]  # how many companies match
    rows: sa.Select[Any]  # the page's rows (PostgreSQL)
    page: sa.Select[Any]  # the page's rows, each with the total (any database)


@cache
def _portfolio_stmts(
    role: Role,
    search: bool,
    milestone: str | None,
    attention_only: bool,
    sort: str,
    descending: bool,
    cohort: bool,
) -> _Statements:
    """The statements of one shape of request.

    The page is chosen first from the visible, filtered companies on the sort key alone
    (by name: read off ix_companies_lower_name, whatever the offset; by attention, from
    one pass over company_stats, the key computed once a row); only then are its rows
    joined to company_stats and their fields computed. company_stats is joined before
    paging only when a filter or the sort needs it. The total is an uncorrelated
    subquery (computed once, and whether the page has rows or not).
    """
    s = aliased(CompanyStats, name="s")
    chosen, key, by_name, by_id = _chosen(role, search, milestone, attention_only, sort, cohort, s)
    count_stmt = sa.select(sa.func.count()).select_from(chosen.subquery())

    def ordering(sort_key: Any, sort_name: Any, company_id: Any) -> list[Any]:
        first = (sort_key.desc() if descending else sort_key.asc()).nulls_last()
        return [first, company_id] if sort == "name" else [first, sort_name, company_id]

    page = paged(chosen.order_by(*ordering(key, by_name, by_id))).subquery("page")
    medians = attention_sql.medians()
    cut = attention_sql.cutoffs()

    def rows_of(stats: Any, company: Any) -> sa.Select[Any]:
        """The page's rows, its fields read from `stats` (company_stats' columns) and
        `company` (the name and cohort_id of companies)."""
        shown = attention_sql.columns(stats, medians, cut)
        return (
            sa.select(
                page.c.company_id,
                company.name.label("name"),
                stats.current_milestone,
                _days_in_milestone(stats).label("days_in_milestone"),
                stats.achieved_count,
                stats.total_tasks,
                stats.completed_tasks,
                stats.active_tasks,
                stats.pending_approvals,
                stats.last_activity,
                shown.attention.label("attention"),
                shown.stall_threshold_days.label("stall_threshold_days"),
                shown.median_days.label("median_days"),
                stats.oldest_pending_at,
                stats.suggested_milestone,
                company.cohort_id.label("cohort_id"),
                page.c.sort_key,
                page.c.sort_name,
            )
            .select_from(page)
            .order_by(*ordering(page.c.sort_key, page.c.sort_name, page.c.company_id))
        )

    total = count_stmt.scalar_subquery().label("total")
    stats = aliased(CompanyStats, name="stats")
    joined = (
        rows_of(stats, Company)
        .join(stats, stats.company_id == page.c.company_id)
        .outerjoin(medians, medians.c.milestone == stats.current_milestone)
        .join(Company, Company.id == page.c.company_id)
    )
    # PostgreSQL, for the page written as JSON: each company of the page and its
    # company_stats row read by primary key (LATERAL ... LIMIT 1, which the planner does
    # not turn into a join). As joins the planner hashed the whole companies and
    # company_stats tables to find 50 rows of each (it prices a primary-key probe as a
    # read from disk): a millisecond at 10,000 companies. (Its generic plan is kept
    # because paged() writes the page size into the SQL; otherwise PostgreSQL planned
    # every execution again.)
    one = (
        sa.select(Company.name, Company.cohort_id, *CompanyStats.__table__.c)
        .join(CompanyStats, CompanyStats.company_id == Company.id)
        .where(Company.id == page.c.company_id)
        .limit(1)
        .lateral("company")
    )
    return _Statements(
        count_stmt,
        rows_of(one.c, one.c)
        .join(one, sa.true())
        .outerjoin(medians, medians.c.milestone == one.c.current_milestone),
        joined.add_columns(total),
    )
