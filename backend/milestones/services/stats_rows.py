"""What one company_stats row holds, computed from its sources by one SELECT
(company_stats_select): the SPEC's portfolio row of one company (current milestone: the
first not achieved, by models.milestone.current_milestone_of; its start; milestones
achieved; task counts; pending approvals: submitted tasks + pending updates; last
activity; since when the oldest of those waits), its suggested milestone, its stall
threshold (reporting/attention.py) and its lower-cased name. services/company_stats.py
keeps the table in step with it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from milestones import catalogue
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    MilestoneStatus,
    ProgressUpdate,
    ReviewStatus,
    Task,
    TaskReview,
    TaskStatus,
    UpdateStatus,
)
from milestones.models.milestone import current_milestone_of
from milestones.reporting import attention, suggestions
from milestones.sql.aggregates import count
from milestones.sql.dialect import greatest, int_const, is_


def _status_info(ids: Any) -> Any:
    """Per company (of `ids`, or all): current milestone (current_milestone_of, SPEC's
    rule), its order and start, milestones achieved and the last achievement, from the
    five status rows."""
    s = MilestoneStatus
    progress = sa.select(
        s.company_id,
        count(s.achieved.is_(True)).label("achieved_count"),
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
            sa.func.coalesce(current.position, int_const(len(catalogue.KEYS))).label("position"),
            current.started_at.label("current_started_at"),
            progress_sq.c.achieved_count,
            progress_sq.c.last_achieved,
        )
        .select_from(progress_sq)
        .outerjoin(
            current,
            sa.and_(
                current.company_id == progress_sq.c.company_id,
                current.milestone == current_milestone_of(progress_sq.c.company_id),
            ),
        )
        .subquery("status_info")
    )


def _earliest(a: Any, b: Any) -> Any:
    """The earlier of two nullable times (NULL when both are)."""
    return sa.case((a.is_(None), b), (b.is_(None), a), (b < a, b), else_=a)


def _grouped(model: Any, ids: Any, *columns: Any) -> Any:
    """Per company (of `ids`, an expanding bound parameter, or all): these aggregates
    of `model`'s rows."""
    stmt = sa.select(model.company_id.label("company_id"), *columns)
    if ids is not None:
        stmt = stmt.where(model.company_id.in_(ids))
    return stmt.group_by(model.company_id).subquery(model.__tablename__ + "_agg")


def _latest(first: Any, *others: Any) -> Any:
    """The latest of several (nullable) times: one max() per column, then GREATEST."""
    top = sa.func.max(first)
    return greatest(top, *(sa.func.coalesce(sa.func.max(o), top) for o in others))


def _activity_aggregates(ids: Any) -> tuple[Any, Any, Any]:
    """(tasks, updates, evidence): each kind's counts, oldest pending and latest time."""
    tasks = _grouped(
        Task,
        ids,
        count(sa.not_(is_(Task.status, TaskStatus.CANCELLED))).label("total"),
        count(is_(Task.status, TaskStatus.APPROVED)).label("completed"),
        count(is_(Task.status, TaskStatus.OPEN, TaskStatus.SUBMITTED)).label("active"),
        count(is_(Task.status, TaskStatus.SUBMITTED)).label("submitted"),
        sa.func.min(Task.submitted_at)
        .filter(is_(Task.status, TaskStatus.SUBMITTED))
        .label("oldest"),
        _latest(Task.created_at, Task.submitted_at, Task.completed_at, Task.cancelled_at).label(
            "last"
        ),
    )
    updates = _grouped(
        ProgressUpdate,
        ids,
        count(is_(ProgressUpdate.status, UpdateStatus.PENDING)).label("pending"),
        sa.func.min(ProgressUpdate.created_at)
        .filter(is_(ProgressUpdate.status, UpdateStatus.PENDING))
        .label("oldest"),
        _latest(ProgressUpdate.created_at, ProgressUpdate.reviewed_at).label("last"),
    )
    proposed = sa.and_(
        is_(Evidence.review_status, ReviewStatus.PROPOSED), Evidence.removed_at.is_(None)
    )
    evidence = _grouped(
        Evidence,
        ids,
        _latest(Evidence.created_at, Evidence.removed_at, Evidence.reviewed_at).label("last"),
        count(proposed).label("proposed"),
        sa.func.min(Evidence.created_at).filter(proposed).label("oldest"),
    )
    return tasks, updates, evidence


def _with_activity(source: Any, ids: Any) -> tuple[list[Any], Any]:
    """Task counts, pending approvals and last activity per company of `source` (a
    subquery with company_id, joined_at, last_achieved), from grouped aggregates
    restricted to the companies in `ids` (an expanding bound parameter) when given.
    Returns (columns, FROM clause)."""

    def newest(column: Any) -> Any:
        # max() through an index on (company_id, time): one probe per company of a page.
        return (
            sa.select(sa.func.max(column))
            .where(column.class_.company_id == source.c.company_id)
            .scalar_subquery()
        )

    tasks, updates, evidence = _activity_aggregates(ids)
    joined = source.c.joined_at
    zero = int_const(0)
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
            sa.func.coalesce(tasks.c.submitted, zero)
            + sa.func.coalesce(updates.c.pending, zero)
            + sa.func.coalesce(evidence.c.proposed, zero)  # members' proposed evidence
        ).label("pending_approvals"),
        greatest(joined, *(sa.func.coalesce(last, joined) for last in lasts)).label(
            "last_activity"
        ),
        _earliest(_earliest(tasks.c.oldest, updates.c.oldest), evidence.c.oldest).label(
            "oldest_pending_at"
        ),
    ]
    return columns, from_clause


def company_stats_select(ids: Any) -> sa.Select[Any]:
    """The rows of company_stats, computed from their sources, for the companies whose
    ids are in `ids` (an expanding bound parameter), or for all when None."""
    info = _status_info(ids)
    source = sa.select(
        Company.id.label("company_id"),
        sa.func.lower(Company.name).label("sort_name"),
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
    latest = suggestions.latest_metrics(ids=ids)
    threshold = attention.threshold_of(src.c.current_milestone)
    from_clause = from_clause.outerjoin(latest, latest.c.company_id == src.c.company_id)
    return sa.select(
        src.c.company_id,
        src.c.sort_name,
        src.c.current_milestone,
        sa.func.coalesce(src.c.position, int_const(len(catalogue.KEYS))).label("position"),
        src.c.current_started_at,
        sa.func.coalesce(src.c.achieved_count, int_const(0)).label("achieved_count"),
        *activity,
        suggestions.suggested_milestone(src.c.current_milestone, latest).label(
            "suggested_milestone"
        ),
        threshold.label("stall_threshold_days"),
        attention.stall_at_of(src.c.current_started_at, threshold).label("stall_at"),
    ).select_from(from_clause)
