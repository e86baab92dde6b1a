"""The demo seed writes statuses, evidence and history directly: it must obey the rules."""

from __future__ import annotations

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Company, Evidence, HistoryEvent
from milestones.seeds.demo import seed_demo


def test_demo_data_follows_the_milestone_rules(app):
    seed_demo()
    db.session.expire_all()
    companies = db.session.scalars(sa.select(Company).order_by(Company.id)).all()
    assert len(companies) == 12
    for company in companies:
        statuses = company.statuses
        assert statuses[0].started_at == company.joined_at
        achieved = [s.achieved for s in statuses]
        assert achieved == sorted(achieved, reverse=True), company.name  # order enforced
        for i, status in enumerate(statuses):
            following = statuses[i + 1] if i + 1 < len(statuses) else None
            live = db.session.scalar(
                sa.select(sa.func.count(Evidence.id)).where(
                    Evidence.status_id == status.id, Evidence.removed_at.is_(None)
                )
            )
            toggles = db.session.scalars(
                sa.select(HistoryEvent).where(
                    HistoryEvent.company_id == company.id,
                    HistoryEvent.milestone == status.milestone,
                    HistoryEvent.event == "toggled",
                )
            ).all()
            if status.achieved:
                assert live >= 1, (company.name, status.milestone)
                assert status.achieved_at is not None
                assert status.started_at is not None
                assert status.started_at <= status.achieved_at
                assert [t.achieved for t in toggles] == [True]
                assert toggles[0].created_at == status.achieved_at
                if following is not None:
                    assert following.started_at == status.achieved_at, company.name
            else:
                assert status.achieved_at is None
                assert toggles == []
                if following is not None:
                    assert following.started_at is None
