"""`milestones seed bench`: bulk data that respects the milestone rules."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    MilestoneStatus,
    ProgressUpdate,
    Task,
    TaskReview,
    TaskStatus,
)
from milestones.seeds.bench import seed_bench
from milestones.timeutil import utcnow


def test_bench_data_is_consistent(app):
    result = seed_bench(12, 10, seed=3)
    assert result.companies == 12 and result.tasks == 120
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 120
    now = utcnow()

    statuses = db.session.scalars(
        sa.select(MilestoneStatus).order_by(MilestoneStatus.company_id, MilestoneStatus.position)
    ).all()
    assert len(statuses) == 60
    for i in range(0, 60, 5):
        chain = statuses[i : i + 5]
        achieved = [s.achieved for s in chain]
        # Achieved in order: a prefix of True, then False.
        assert achieved == sorted(achieved, reverse=True)
        for prev, nxt in itertools.pairwise(chain):
            if prev.achieved:
                assert nxt.started_at == prev.achieved_at
            else:
                assert nxt.started_at is None
        for s in chain:
            if s.achieved:
                assert s.started_at < s.achieved_at <= now
                kept = db.session.scalar(
                    sa.select(sa.func.count()).where(
                        Evidence.status_id == s.id, Evidence.removed_at.is_(None)
                    )
                )
                assert kept >= 1
                toggles = db.session.scalar(
                    sa.select(sa.func.count()).where(
                        HistoryEvent.company_id == s.company_id,
                        HistoryEvent.milestone == s.milestone,
                        HistoryEvent.event == "toggled",
                    )
                )
                assert toggles == 1

    # Tasks and updates only on started milestones, times in the past.
    started = {(s.company_id, s.milestone) for s in statuses if s.started_at is not None}
    for task in db.session.scalars(sa.select(Task)):
        assert (task.company_id, task.milestone) in started
        assert task.created_at <= now
        assert (task.status == TaskStatus.APPROVED) == (task.completed_at is not None)
        if task.completed_at:
            assert task.created_at <= task.completed_at <= now
    for update in db.session.scalars(sa.select(ProgressUpdate)):
        assert (update.company_id, update.milestone) in started
    approvals = db.session.scalar(
        sa.select(sa.func.count()).where(TaskReview.decision == "approved")
    )
    approved = db.session.scalar(
        sa.select(sa.func.count()).where(Task.status == TaskStatus.APPROVED)
    )
    assert approvals == approved
    assert result.logins["admin"].startswith("admin@")
