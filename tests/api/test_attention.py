"""Attention on the portfolio, worked by hand under a frozen clock (NOW, fixtures/metrics).

The programme: coach B follows four companies that achieved Value Baseline in 40, 60, 62
and 70 days (median 61: the middle two averaged), coach A follows the companies under
test, all in Value Baseline but "Done" (which took 61 days to it: the median stays 61 over
five achievers), so their threshold is
max(30, ceil(1.5 x 61)) = max(30, ceil(91.5)) = 92 days.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import (
    Company,
    CompanyStats,
    MilestoneMedian,
    MilestoneStatus,
    TaskStatus,
    UpdateStatus,
    User,
)
from milestones.reporting import attention as attention_sql
from milestones.services.company_stats import stale_thresholds
from tests.fixtures.mail import in_app_context
from tests.fixtures.metrics import NOW, add_task, add_update, set_statuses

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


def _achievers(factory, coach, days=(40, 60, 62, 70), prefix="B"):
    start = NOW - timedelta(days=400)
    for i, d in enumerate(days):
        company = factory.company(f"{prefix}{i}", coaches=[coach], joined_at=start)
        achieved = start + timedelta(days=d)
        set_statuses(company, [(start, achieved), (achieved, None)])


def _company(factory, coach, name, started):
    company = factory.company(name, coaches=[coach], joined_at=started)
    set_statuses(company, [(started, None)])
    return company


@pytest.fixture
def programme(factory, frozen):
    coach_a, coach_b, member = factory.coach(), factory.coach(), factory.member()
    _achievers(factory, coach_b)
    # Stalled at exactly the threshold, and one second short of it (91 whole days).
    at_threshold = _company(factory, coach_a, "At threshold", NOW - 92 * DAY)
    add_update(at_threshold, "value_baseline", UpdateStatus.PENDING, NOW - DAY, author=member)
    short = _company(factory, coach_a, "Short of threshold", NOW - 92 * DAY + SECOND)
    add_update(short, "value_baseline", UpdateStatus.PENDING, NOW - DAY, author=member)
    # A review waiting exactly 7 days, and one second less.
    waiting = _company(factory, coach_a, "Waiting", NOW - 10 * DAY)
    add_update(waiting, "value_baseline", UpdateStatus.PENDING, NOW - 7 * DAY, author=member)
    add_task(waiting, "value_baseline", TaskStatus.SUBMITTED, NOW - 2 * DAY, author=member)
    fresh = _company(factory, coach_a, "Fresh review", NOW - 10 * DAY)
    add_task(fresh, "value_baseline", TaskStatus.SUBMITTED, NOW - 7 * DAY + SECOND, author=member)
    # Silent for exactly 30 days, and one second less.
    _company(factory, coach_a, "Silent", NOW - 30 * DAY)
    _company(factory, coach_a, "Nearly silent", NOW - 30 * DAY + SECOND)
    # Everything achieved, long ago: never stalled, but silent.
    done = factory.company("Done", coaches=[coach_a], joined_at=NOW - 500 * DAY)
    # Its Value Baseline took 61 days, which keeps the median at 61 (40, 60, 61, 62, 70).
    starts = [NOW - d * DAY for d in (500, 439, 429, 419, 409, 399)]
    set_statuses(done, list(itertools.pairwise(starts)))
    return coach_a, coach_b


def _rows(client, **query):
    r = client.get("/portfolio", query_string={"page_size": 100, **query})
    assert r.status_code == 200, r.get_json()
    return {row["name"]: row for row in r.get_json()}


def _attention(client, **query):
    return {name: row["attention"] for name, row in _rows(client, **query).items()}


def test_each_reason_at_its_boundary(programme, client_for):
    coach_a, _ = programme
    rows = _rows(client_for(coach_a))
    assert {n: r["attention"] for n, r in rows.items()} == {
        "At threshold": ["stalled"],
        "Short of threshold": [],
        "Waiting": ["reviews_waiting"],
        "Fresh review": [],
        "Silent": ["inactive"],
        "Nearly silent": [],
        "Done": ["inactive"],
    }
    at = rows["At threshold"]
    assert (at["days_in_milestone"], at["stall_threshold_days"], at["median_days"]) == (
        92,
        92,
        61.0,
    )
    assert rows["Short of threshold"]["days_in_milestone"] == 91
    assert rows["Waiting"]["oldest_pending_at"] == (NOW - 7 * DAY).isoformat()
    assert rows["Fresh review"]["oldest_pending_at"] == (NOW - 7 * DAY + SECOND).isoformat()
    assert rows["Silent"]["oldest_pending_at"] is None
    done = rows["Done"]
    assert (done["stall_threshold_days"], done["median_days"], done["current_milestone"]) == (
        None,
        None,
        None,
    )


def test_scope_and_programme_wide_medians(programme, client_for, factory):
    coach_a, coach_b = programme
    names_a = set(_rows(client_for(coach_a)))
    names_b = set(_rows(client_for(coach_b)))
    assert names_b == {"B0", "B1", "B2", "B3"} and not names_a & names_b
    # Coach A's thresholds come from B's companies, which coach A cannot see: a median is
    # an aggregate of the programme. B's own rows are in First Customer (no median: 30).
    rows_b = _rows(client_for(coach_b))
    assert {r["stall_threshold_days"] for r in rows_b.values()} == {30}
    assert [r["attention"] for r in rows_b.values()] == [["stalled", "inactive"]] * 4
    admin = _rows(client_for(factory.admin()))
    assert admin["At threshold"]["median_days"] == 61.0 and len(admin) == 11


def test_no_median_below_three_achievers(factory, client_for, frozen):
    coach = factory.coach()
    _achievers(factory, coach, days=(100, 200))
    lone = _company(factory, coach, "Lone", NOW - 30 * DAY)
    add_task(lone, "value_baseline", TaskStatus.OPEN, NOW - DAY, author=coach)
    almost = _company(factory, coach, "Almost", NOW - 30 * DAY + SECOND)
    add_task(almost, "value_baseline", TaskStatus.OPEN, NOW - DAY, author=coach)
    rows = _rows(client_for(coach))
    assert (rows["Lone"]["median_days"], rows["Lone"]["stall_threshold_days"]) == (None, 30)
    assert rows["Lone"]["attention"] == ["stalled"]  # 30 days >= stall_min_days 30
    assert rows["Almost"]["attention"] == []  # 29 whole days


def test_cut_offs_are_exact_to_the_microsecond_under_changed_settings(
    factory, client_for, time_machine
):
    """The review and silence cut-offs are computed in the statement from the stored
    settings: `now` less the days, to the microsecond, on either database."""
    now = NOW + timedelta(microseconds=654321)
    time_machine.move_to(now, tick=False)
    coach, admin = factory.coach(), client_for(factory.admin())
    patch = {"stale_review_days": 3, "inactive_days": 10}
    assert admin.patch("/settings", json=patch).status_code == 200
    micro = timedelta(microseconds=1)
    for name, submitted in (("Waiting", now - 3 * DAY), ("Not yet", now - 3 * DAY + micro)):
        company = _company(factory, coach, name, now - 5 * DAY)
        add_task(company, "value_baseline", TaskStatus.SUBMITTED, submitted, author=coach)
    _company(factory, coach, "Silent", now - 10 * DAY)
    _company(factory, coach, "Nearly silent", now - 10 * DAY + micro)
    # No median (no achiever): the threshold is stall_min_days, 30 days from the start.
    _company(factory, coach, "Stalled", now - 30 * DAY)
    _company(factory, coach, "Nearly stalled", now - 30 * DAY + micro)
    assert _attention(client_for(coach)) == {
        "Waiting": ["reviews_waiting"],
        "Not yet": [],
        "Silent": ["inactive"],
        "Nearly silent": [],
        "Stalled": ["stalled", "inactive"],
        "Nearly stalled": ["inactive"],
    }


def test_the_minimum_wins_over_a_short_median_and_settings_apply(factory, client_for, frozen):
    coach, admin = factory.coach(), client_for(factory.admin())
    _achievers(factory, coach, days=(10, 11, 12))  # median 11: 1.5 x 11 = 16.5 -> 17 < 30
    subject = _company(factory, coach, "Subject", NOW - 20 * DAY)
    add_task(subject, "value_baseline", TaskStatus.OPEN, NOW, author=coach)
    client = client_for(coach)
    row = _rows(client)["Subject"]
    assert (row["median_days"], row["stall_threshold_days"], row["attention"]) == (11.0, 30, [])
    assert admin.patch("/settings", json={"stall_min_days": 5}).status_code == 200
    row = _rows(client)["Subject"]
    assert (row["stall_threshold_days"], row["attention"]) == (17, ["stalled"])
    assert admin.patch("/settings", json={"stall_factor": 1.1}).status_code == 200
    row = _rows(client)["Subject"]
    assert row["stall_threshold_days"] == 13  # ceil(1.1 x 11 = 12.100000000000001)
    # Seven more achievers of 50 days: the median is 50, and 1.1 x 50 is
    # 55.00000000000001 in floating point: still a 55-day threshold, not 56.
    _achievers(factory, coach, days=(50,) * 7, prefix="C")
    row = _rows(client)["Subject"]
    assert (row["median_days"], row["stall_threshold_days"]) == (50.0, 55)


def test_filter_and_sort(programme, client_for):
    coach_a, _ = programme
    client = client_for(coach_a)
    assert set(_attention(client, attention="true")) == {
        "At threshold",
        "Waiting",
        "Silent",
        "Done",
    }
    assert len(_attention(client, attention="false")) == 7
    r = client.get("/portfolio", query_string={"sort": "attention"})
    names = [row["name"] for row in r.get_json()]
    # One reason each; then furthest over the threshold: At threshold 92 - 92 = 0, Silent
    # 30 - 92, Waiting 10 - 92; Done has no threshold (last). Then those without a reason,
    # also by days over: Short 91, Nearly silent 30 (by name after Silent's 30), Fresh 10.
    assert names == [
        "At threshold",
        "Silent",
        "Waiting",
        "Done",
        "Short of threshold",
        "Nearly silent",
        "Fresh review",
    ]
    r = client.get("/portfolio", query_string={"sort": "attention", "attention": "true"})
    assert [row["name"] for row in r.get_json()] == names[:4]
    r = client.get("/portfolio", query_string={"sort": "-attention", "page_size": 2})
    assert [row["name"] for row in r.get_json()] == ["Fresh review", "Nearly silent"]
    # The totals, past the last page too (PostgreSQL: in the page's own statement).
    for query, total in (({"sort": "attention"}, 7), ({"attention": "true"}, 4)):
        for page, size in ((1, 2), (2, 3), (9, 2)):
            r = client.get("/portfolio", query_string={**query, "page": page, "page_size": size})
            assert json.loads(r.headers["X-Pagination"])["total"] == total, (query, page)
    assert client.get("/portfolio", query_string={"attention": "maybe"}).status_code == 422


def test_more_reasons_sort_first(factory, client_for, frozen):
    coach, member = factory.coach(), factory.member()
    both = _company(factory, coach, "Both", NOW - 40 * DAY)  # stalled (30) and silent
    one = _company(factory, coach, "One", NOW - 300 * DAY)
    add_update(one, "value_baseline", UpdateStatus.APPROVED, NOW - DAY, author=member,
               reviewed=NOW - DAY)  # fmt: skip
    add_update(both, "value_baseline", UpdateStatus.PENDING, NOW - 31 * DAY, author=member)
    rows = _rows(client_for(coach))
    assert rows["Both"]["attention"] == ["stalled", "reviews_waiting", "inactive"]
    assert rows["One"]["attention"] == ["stalled"]
    r = client_for(coach).get("/portfolio", query_string={"sort": "attention"})
    assert [row["name"] for row in r.get_json()] == ["Both", "One"]


def _stored_and_computed_medians():
    """(milestone, median_days, achievers) of each stored row and of a fresh computation,
    after checking that every other column of the rows agrees too."""
    fresh = db.session.execute(attention_sql.medians_select()).mappings().all()
    table = MilestoneMedian.__table__
    kept = db.session.execute(sa.select(*(table.c[k] for k in fresh[0]))).mappings().all()
    assert sorted(map(dict, kept), key=str) == sorted(map(dict, fresh), key=str)
    key = ("milestone", "median_days", "achievers")
    return sorted(tuple(r[k] for k in key) for r in kept), sorted(
        tuple(r[k] for k in key) for r in fresh
    )


def _stored_threshold(name):
    company = db.session.scalar(sa.select(Company).where(Company.name == name))
    stats = db.session.get(CompanyStats, company.id)
    # The time it stalls moves with the threshold: its milestone's start plus that.
    if stats.stall_threshold_days is None:
        assert stats.stall_at is None
    else:
        assert stats.stall_at == stats.current_started_at + stats.stall_threshold_days * DAY
    return stats.stall_threshold_days


def test_stored_medians_follow_every_status_write(programme, factory):
    stored, computed = _stored_and_computed_medians()
    assert stored == computed
    assert ("value_baseline", 61.0, 5) in stored
    assert _stored_threshold("At threshold") == 92  # max(30, ceil(1.5 x 61))
    # A sixth achiever (100 days): median of 40, 60, 61, 62, 70, 100 = 61.5.
    coach = factory.coach()
    _achievers(factory, coach, days=(100,), prefix="C")
    stored, computed = _stored_and_computed_medians()
    assert stored == computed and ("value_baseline", 61.5, 6) in stored
    # The stored thresholds of the companies that were not written follow the median.
    assert _stored_threshold("At threshold") == 93  # ceil(1.5 x 61.5 = 92.25)
    assert _stored_threshold("Done") is None  # all achieved
    assert stale_thresholds(db.session) == []
    # Deleting a company recomputes them too (its statuses go with it).
    db.session.delete(db.session.scalar(sa.select(Company).where(Company.name == "C0")))
    db.session.commit()
    stored, computed = _stored_and_computed_medians()
    assert stored == computed and ("value_baseline", 61.0, 5) in stored
    assert _stored_threshold("At threshold") == 92
    assert stale_thresholds(db.session) == []


def test_stored_thresholds_follow_the_settings(programme, client_for, factory):
    admin = client_for(factory.admin())
    assert admin.patch("/settings", json={"stall_factor": 2}).status_code == 200
    db.session.expire_all()
    assert _stored_threshold("At threshold") == 122  # 2 x 61
    assert admin.patch("/settings", json={"stall_min_days": 200}).status_code == 200
    db.session.expire_all()
    assert _stored_threshold("At threshold") == 200
    assert stale_thresholds(db.session) == []


def _together(app, *works) -> None:
    """Run each callable in a thread of its own, in its own app context (so its own
    transaction), wait for all, fail on any error, then read afresh."""
    errors: list[BaseException] = []

    def run(work) -> None:
        try:
            in_app_context(app, work)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()


@pytest.mark.postgres
def test_two_concurrent_achievements_both_count_in_the_medians(app, factory, frozen):
    coach = factory.coach()
    _achievers(factory, coach, days=(10, 20, 30))
    ids = [_company(factory, coach, f"Racer {i}", NOW - 90 * DAY).id for i in range(2)]
    db.session.commit()
    barrier = threading.Barrier(2)

    def achieve(company_id: int, days: int) -> None:
        status = db.session.scalar(
            sa.select(MilestoneStatus).where(
                MilestoneStatus.company_id == company_id, MilestoneStatus.position == 0
            )
        )
        status.achieved, status.achieved_at = True, status.started_at + days * DAY
        db.session.flush()
        barrier.wait()  # both transactions have written before either commits
        db.session.commit()

    _together(app, *(functools.partial(achieve, i, d) for i, d in zip(ids, (40, 50), strict=True)))
    stored, computed = _stored_and_computed_medians()
    assert stored == computed and ("value_baseline", 30.0, 5) in stored  # 10 20 30 40 50
    assert stale_thresholds(db.session) == []


@pytest.mark.postgres
def test_a_median_change_racing_a_write_on_another_company(app, factory, frozen):
    """One transaction achieves a milestone, which changes the median and so the stored
    threshold of a company that another transaction writes at the same time: both
    commit (no deadlock) and every stored threshold is right afterwards."""
    coach = factory.coach()
    _achievers(factory, coach, days=(10, 20, 30))  # median 20: threshold max(30, 30) = 30
    racer_id = _company(factory, coach, "Racer", NOW - 90 * DAY).id
    bystander_id = _company(factory, coach, "Bystander", NOW - 10 * DAY).id
    coach_id = coach.id
    db.session.commit()
    assert _stored_threshold("Bystander") == 30
    barrier = threading.Barrier(2)

    def achieve() -> None:
        status = db.session.scalar(
            sa.select(MilestoneStatus).where(
                MilestoneStatus.company_id == racer_id, MilestoneStatus.position == 0
            )
        )
        status.achieved, status.achieved_at = True, status.started_at + 60 * DAY
        db.session.flush()
        barrier.wait()
        db.session.commit()

    def write_bystander() -> None:
        company, author = db.session.get(Company, bystander_id), db.session.get(User, coach_id)
        add_task(company, "value_baseline", TaskStatus.OPEN, NOW, author=author)
        db.session.flush()
        barrier.wait()
        db.session.commit()

    _together(app, achieve, write_bystander)
    # Achievers 10, 20, 30, 60: median 25, threshold max(30, ceil(37.5)) = 38.
    assert _stored_threshold("Bystander") == 38
    assert stale_thresholds(db.session) == []
