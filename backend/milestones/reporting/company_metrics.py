"""Per company and milestone: the SPEC's MilestoneMetrics (days_in_milestone, total,
completed and active tasks, avg_task_completion_time, progress_update_count,
evidence_count, approved/pending/rejected updates, update_approval_rate,
task_approval_rate), beside each status for the milestones view, and with the trend
for GET /companies/{id}/metrics ("one query per screen")."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import joinedload

from milestones.auth.policies import Action, company_or_404, scope
from milestones.errors import NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    MilestoneStatus,
    ProgressUpdate,
    ReviewDecision,
    ReviewStatus,
    Role,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.reporting import status_extras
from milestones.reporting.common import company_id_param, now_param
from milestones.reporting.trend import trend_params, trend_stmt
from milestones.sql.aggregates import count, rate
from milestones.sql.dialect import (
    const,
    day_diff,
    empty_json_array,
    int_const,
    is_,
    json_object,
    whole_days,
)
from milestones.sql.session import dialect_name
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


def _grouped(name: str, model: Any, *columns: Any, where: tuple[Any, ...] = ()) -> Any:
    """Per milestone of the company: `columns` aggregated over `model`'s rows."""
    return (
        sa.select(model.milestone, *columns)
        .where(model.company_id == company_id_param(), *where)
        .group_by(model.milestone)
        .subquery(name)
    )


@cache
def _metrics_stmt() -> sa.Select[Any]:
    """One row per milestone of the company, in order, with every MilestoneMetrics field."""
    s = MilestoneStatus
    tasks = _grouped(
        "t",
        Task,
        count(sa.not_(is_(Task.status, TaskStatus.CANCELLED))).label("total"),
        count(is_(Task.status, TaskStatus.APPROVED)).label("completed"),
        count(is_(Task.status, TaskStatus.OPEN, TaskStatus.SUBMITTED)).label("active"),
        sa.func.avg(day_diff(Task.created_at, Task.completed_at))
        .filter(is_(Task.status, TaskStatus.APPROVED))
        .label("avg_time"),
    )
    reviews = _grouped(
        "r",
        TaskReview,
        count(is_(TaskReview.decision, ReviewDecision.APPROVED)).label("approvals"),
        count(is_(TaskReview.decision, ReviewDecision.REJECTED)).label("rejections"),
    )
    updates = _grouped(
        "u",
        ProgressUpdate,
        count().label("updates"),
        count(is_(ProgressUpdate.status, UpdateStatus.APPROVED)).label("approved"),
        count(is_(ProgressUpdate.status, UpdateStatus.PENDING)).label("pending"),
        count(is_(ProgressUpdate.status, UpdateStatus.REJECTED)).label("rejected"),
    )
    evidence = _grouped(  # only accepted evidence counts
        "e",
        Evidence,
        count().label("evidence"),
        *status_extras.criterion_counts(),
        where=(Evidence.removed_at.is_(None), is_(Evidence.review_status, ReviewStatus.ACCEPTED)),
    )
    zero = int_const(0)
    approvals = sa.func.coalesce(reviews.c.approvals, zero)
    rejections = sa.func.coalesce(reviews.c.rejections, zero)
    approved = sa.func.coalesce(updates.c.approved, zero)
    rejected = sa.func.coalesce(updates.c.rejected, zero)
    days = sa.case(
        (s.started_at.is_(None), zero),
        else_=whole_days(s.started_at, sa.func.coalesce(s.achieved_at, now_param())),
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
            rate(approved, rejected).label("update_approval_rate"),
            rate(approvals, rejections).label("task_approval_rate"),
            *(evidence.c[slot] for slot in status_extras.SLOTS),  # per criterion
        )
        .select_from(s)
        .outerjoin(tasks, tasks.c.milestone == s.milestone)
        .outerjoin(reviews, reviews.c.milestone == s.milestone)
        .outerjoin(updates, updates.c.milestone == s.milestone)
        .outerjoin(evidence, evidence.c.milestone == s.milestone)
        .where(s.company_id == company_id_param())
        .order_by(s.position)
    )


def _visible(role: Role) -> Any:
    return sa.select(Company.id).where(Company.id == company_id_param(), scope(role)).exists()


@cache
def _statuses_metrics_stmt(role: Role) -> sa.Select[Any]:
    """The company's five MilestoneStatus entities (with who updated them), each beside
    its MilestoneMetrics columns, if the viewer may see the company (policies.scope): the
    milestones screen in one statement."""
    base = _metrics_stmt()
    wanted = {*FIELDS, *status_extras.SLOTS}
    columns = [c for c in base.selected_columns if c.name in wanted]
    stmt = (
        base.with_only_columns(MilestoneStatus, *columns)
        .where(_visible(role))
        # the company with its current milestone (Company.current_milestone), same SELECT
        .options(joinedload(MilestoneStatus.updated_by), joinedload(MilestoneStatus.company))
        .execution_options(populate_existing=True)
    )
    return status_extras.extend(stmt, company_id_param())  # criteria, latest metrics


def statuses_with_metrics(
    viewer: User, company_id: int
) -> list[tuple[MilestoneStatus, dict[str, Any], status_extras.Extras]]:
    """[(status, {MilestoneMetrics fields}, status_extras.read())] of one company, in
    milestone order; none when the company is missing or not the viewer's to see."""
    params = {"company_id": company_id, "now": utcnow(), "viewer_id": viewer.id}
    rows = db.session.execute(_statuses_metrics_stmt(viewer.role), params).unique().all()
    return [
        (row[0], {name: row[i + 1] for i, name in enumerate(FIELDS)}, status_extras.read(row))
        for row in rows
    ]


@cache
def _company_metrics_stmt() -> sa.CompoundSelect:
    """The metrics screen in one statement: the five milestone rows ('m') and the twelve
    week rows ('t') of the trend, as one UNION ALL padded with NULLs."""
    m = _metrics_stmt().subquery("m")
    t = trend_stmt().subquery("t")
    per_milestone = sa.select(
        const("m").label("kind"),
        m.c.position.label("idx"),
        sa.type_coerce(m.c.milestone, sa.String()).label("label"),
        *(m.c[name] for name in FIELDS),
        sa.cast(sa.null(), sa.Integer).label("week_completed_tasks"),
        sa.cast(sa.null(), sa.Integer).label("week_approved_updates"),
    )
    per_week = sa.select(
        const("t"),
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
    rows = db.session.execute(_company_metrics_stmt(), trend_params(company.id)).mappings()
    result: dict[str, list[dict[str, Any]]] = {"milestones": [], "trend": []}
    for row in rows.all():
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


def company_metrics_payload(viewer: User, company_id: int) -> str | dict[str, Any]:
    """GET /companies/{id}/metrics for api/render.py: on PostgreSQL the JSON text, in
    CompanyMetricsSchema's shape; elsewhere the figures (company_metrics); 404 when the
    company is missing or not the viewer's to see.

    On PostgreSQL one statement checks the company is visible (policies.scope, the rule
    every list applies) and writes the JSON (json_agg): no row is converted in Python.
    Numbers are the same values; a float with no fraction is written 2 rather than 2.0.
    """
    if dialect_name() != "postgresql":
        return company_metrics(company_or_404(company_id, Action.VIEW, viewer))
    params = {**trend_params(company_id), "viewer_id": viewer.id}
    text = db.session.scalar(_company_metrics_json_stmt(viewer.role), params)
    if text is None:
        raise NotFound("Company not found.")
    return str(text)


@cache
def _company_metrics_json_stmt(role: Role) -> sa.Select[Any]:
    rows = _company_metrics_stmt().cte("rows")

    def listed(kind: str, fields: dict[str, Any]) -> Any:
        items = sa.func.json_agg(aggregate_order_by(json_object(fields), rows.c.idx))
        stmt = sa.select(items).where(rows.c.kind == const(kind))
        return sa.func.coalesce(stmt.scalar_subquery(), empty_json_array())

    milestones = listed("m", {"milestone": rows.c.label, **{f: rows.c[f] for f in FIELDS}})
    trend = listed(
        "t",
        {
            "week": rows.c.label,
            "completed_tasks": rows.c.week_completed_tasks,
            "approved_updates": rows.c.week_approved_updates,
        },
    )
    text: Any = sa.cast(json_object({"milestones": milestones, "trend": trend}), sa.Text)
    return sa.select(text).where(_visible(role))
