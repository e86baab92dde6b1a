"""programme_counts (PostgreSQL): the company count, the pending approvals and the
history event count that the database's triggers keep, which an admin's whole
portfolio, review queue and activity log read as their totals instead of counting."""

from __future__ import annotations

import functools
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    HistoryEvent,
    HistoryEventType,
    ProgrammeCounts,
    TaskStatus,
    UpdateStatus,
)
from tests.api.test_attention import _together
from tests.fixtures.metrics import NOW, add_task, add_update

pytestmark = pytest.mark.postgres

DAY = timedelta(days=1)


def _kept() -> tuple[int, int, int] | None:
    row = db.session.get(ProgrammeCounts, 1, populate_existing=True)
    return None if row is None else (row.companies, row.pending_approvals, row.history_events)


def _counted() -> tuple[int, int, int]:
    companies = db.session.scalar(sa.select(sa.func.count()).select_from(Company))
    pending = db.session.scalar(sa.select(sa.func.sum(CompanyStats.pending_approvals)))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(HistoryEvent))
    return companies or 0, pending or 0, events or 0


def _totals(client) -> tuple[int, int, int]:
    """The totals of the portfolio, the review queue and the activity log."""
    responses = [
        client.get(path, query_string={"page_size": 1})
        for path in ("/portfolio", "/reviews/pending", "/activity")
    ]
    assert [r.status_code for r in responses] == [200, 200, 200]
    return tuple(  # type: ignore[return-value]
        json.loads(r.headers["X-Pagination"])["total"] for r in responses
    )


def test_the_counts_follow_every_write(factory, client_for, frozen):
    # The migration's row, or none after a TRUNCATE (which fires no trigger): zeros.
    assert _kept() in (None, (0, 0, 0))
    admin, coach = client_for(factory.admin()), factory.coach()
    assert _totals(admin) == (0, 0, 0)
    acme = factory.company("Acme", coaches=[coach])
    bolt = factory.company("Bolt", coaches=[coach])
    factory.company("Cord", coaches=[coach])
    add_task(acme, "value_baseline", TaskStatus.SUBMITTED, NOW - 2 * DAY, author=coach)
    add_task(acme, "value_baseline", TaskStatus.OPEN, NOW - 2 * DAY, author=coach)
    update = add_update(bolt, "value_baseline", UpdateStatus.PENDING, NOW - DAY, author=coach)
    factory.history(acme, "value_baseline", HistoryEventType.TOGGLED, coach, NOW, achieved=True)
    db.session.commit()
    assert _kept() == _counted() == (3, 2, 1)
    assert _totals(admin) == (3, 2, 1)

    # A decision takes the item off the queue, through the app's own transaction.
    reviewed = client_for(coach).post(
        "/reviews",
        json={"decision": "approve", "items": [{"kind": "update", "id": update.id}]},
    )
    assert reviewed.get_json()["results"][0]["outcome"] == "approved"
    assert _kept() == _counted()
    assert _kept()[:2] == (3, 1)

    # A company deleted takes its company_stats row (and its pending item) and its
    # history with it.
    db.session.delete(db.session.get(Company, acme.id))
    db.session.commit()
    kept = _kept()
    assert kept == _counted() and kept[:2] == (2, 0)
    assert _totals(admin) == kept

    # A transaction rolled back leaves the counts as they were.
    db.session.add(Company(name="Dust", description=""))
    db.session.flush()
    assert _kept() == (3, 0, kept[2])
    db.session.rollback()
    assert _kept() == _counted() == kept

    # A coach's totals are still counted over their own companies.
    other = factory.coach()
    factory.company("Elsewhere", coaches=[other])
    db.session.commit()
    assert _totals(client_for(other)) == (1, 0, 0)
    assert _totals(admin) == _kept() == (3, 0, kept[2])


def test_filtered_portfolios_are_counted(factory, client_for, frozen):
    coach = factory.coach()
    for name in ("Alpha", "Beta", "Gamma"):
        factory.company(name, coaches=[coach])
    db.session.commit()
    admin = client_for(factory.admin())
    r = admin.get("/portfolio", query_string={"q": "a", "page_size": 1})
    assert json.loads(r.headers["X-Pagination"])["total"] == 3
    r = admin.get("/portfolio", query_string={"q": "gam", "page_size": 1})
    assert json.loads(r.headers["X-Pagination"])["total"] == 1


def test_concurrent_writes_both_count(app, factory, frozen):
    """Two transactions adding pending items to two companies at once: both commit (the
    second waits for the first's row lock) and the counts hold both."""
    coach = factory.coach()
    ids = [factory.company(name, coaches=[coach]).id for name in ("One", "Two")]
    coach_id = coach.id
    db.session.commit()

    def submit(company_id: int) -> None:
        company = db.session.get(Company, company_id)
        author = db.session.get(type(coach), coach_id)
        add_task(company, "value_baseline", TaskStatus.SUBMITTED, NOW - DAY, author=author)
        db.session.commit()

    _together(app, *(functools.partial(submit, i) for i in ids))
    kept = _kept()
    assert kept == _counted() and kept[:2] == (2, 2)
