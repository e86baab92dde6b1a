"""Per-company figures kept ready for the portfolio."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from milestones.catalogue import MilestoneKey
from milestones.models.base import Base, str_enum
from milestones.models.milestone import MILESTONE_ENUM


class CompanyStats(Base):
    """What the portfolio lists, filters and sorts by: one row per company.

    Derived data. services/company_stats.py recomputes a company's row from its source
    rows (statuses, tasks, reviews, updates, evidence, history) in every transaction that
    changes them, so a portfolio page reads 50 ready rows instead of aggregating every
    company's tasks. Days in milestone is not stored: it is computed from
    current_started_at when read. The stall threshold is stored: it changes only with
    the programme's medians or settings, which are written in transactions that bring
    the rows whose threshold they change up to date (services/company_stats.py).
    """

    __tablename__ = "company_stats"

    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    # NULL once all five are achieved; position is then 5.
    current_milestone: Mapped[MilestoneKey | None] = mapped_column(MILESTONE_ENUM)
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    current_started_at: Mapped[datetime | None]
    achieved_count: Mapped[int]
    total_tasks: Mapped[int]
    completed_tasks: Mapped[int]
    active_tasks: Mapped[int]
    pending_approvals: Mapped[int]
    last_activity: Mapped[datetime]
    # The oldest submitted task or pending update: since when a review has been waiting.
    oldest_pending_at: Mapped[datetime | None]
    # The current milestone when accepted metric evidence says it looks reached
    # (reporting/suggestions.py), else NULL.
    suggested_milestone: Mapped[MilestoneKey | None] = mapped_column(
        str_enum(MilestoneKey, "suggested_milestone")
    )
    # lower(companies.name): the attention sort's tie-break, read without a join.
    sort_name: Mapped[str] = mapped_column(sa.String(200))
    # reporting/attention.threshold_of the current milestone (NULL once all are achieved).
    stall_threshold_days: Mapped[int | None]
    # reporting/attention.stall_at_of: current_started_at + the threshold in days, when the
    # company stalls (NULL without either), kept with the threshold.
    stall_at: Mapped[datetime | None]


class MilestoneMedian(Base):
    """Per milestone, the median whole days to achieve it over every company of the
    programme (SPEC Part 2, "Attention"), how many achieved it, and the rest of the
    programme-wide /analytics/milestones row.

    Derived data, like company_stats: recomputed by one aggregate
    (services/company_stats.py) in every transaction that writes milestone statuses, so
    the portfolio joins five ready rows instead of aggregating every status per request.
    """

    __tablename__ = "milestone_medians"

    milestone: Mapped[MilestoneKey] = mapped_column(MILESTONE_ENUM, primary_key=True)
    # NULL when fewer than reporting.attention.MIN_ACHIEVERS achieved it.
    median_days: Mapped[float | None] = mapped_column(sa.Double)
    achievers: Mapped[int]
    # The rest of the programme's /analytics/milestones row (reporting/analytics.py):
    # companies that started it and are in it, mean and median days of the achievers
    # (the median whatever their number).
    started: Mapped[int] = mapped_column(server_default="0")
    in_progress: Mapped[int] = mapped_column(server_default="0")
    avg_days: Mapped[float | None] = mapped_column(sa.Double)
    median_days_any: Mapped[float | None] = mapped_column(sa.Double)


class ProgrammeCounts(Base):
    """The programme's totals for the lists an admin reads whole (PostgreSQL): how many
    companies and history events there are and the sum of the companies'
    company_stats.pending_approvals: the totals of the portfolio, the activity log and
    the review queue when every company is seen and nothing filters them, read from one
    row instead of counting 10,000 companies or 60,000 events.

    Kept by the database itself (migration 0015): statement-level triggers on companies,
    company_stats and history_events add what each statement inserted, deleted or
    changed, in that statement's transaction, whoever writes (the app, a COPY, a
    cascade). At most one row, id 1, created by the first write that counts (a TRUNCATE
    of the tables leaves it absent, which reads as zeros). SQLite has no such triggers:
    there the totals are counted and this table stays empty."""

    __tablename__ = "programme_counts"

    id: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    companies: Mapped[int]
    pending_approvals: Mapped[int]
    history_events: Mapped[int]
