"""metric_key on metric evidence, GET /companies/{id}/metric-series, and suggestions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import CompanyStats, Evidence, HistoryEvent, MilestoneStatus


def metric(world, key, value, milestone="value_baseline", who=None, **extra):
    body = {
        "evidence_type": "metric",
        "title": f"{key} {value}",
        "metric_key": key,
        "metric_value": value,
        **extra,
    }
    client = world.client(who or world.coach)
    r = client.post(f"/companies/{world.cid}/milestones/{milestone}/evidence", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_unit_follows_from_the_key_and_bad_keys_are_refused(world):
    item = metric(world, "paying_customers", 3)
    assert (item["metric_key"], item["metric_unit"]) == ("paying_customers", "customers")
    assert metric(world, "mrr_usd", 1200.5)["metric_unit"] == "USD"
    path = f"/companies/{world.cid}/milestones/value_baseline/evidence"
    for body, field in (
        ({"metric_key": "churn", "metric_value": 1}, "metric_key"),
        (
            {"metric_key": "paying_customers", "metric_value": 1, "metric_unit": "EUR"},
            "metric_unit",
        ),
        ({"metric_key": "paying_customers", "metric_value": 2.5}, "metric_value"),
        ({"metric_key": "retention_rate_pct", "metric_value": 101}, "metric_value"),
        ({"metric_key": "arr_usd", "metric_value": -1}, "metric_value"),
    ):
        r = world.as_coach.post(path, json={"evidence_type": "metric", "title": "m", **body})
        assert r.status_code == 422, body
        assert field in r.get_json()["errors"]["json"], r.get_json()
    link = {"evidence_type": "link", "title": "l", "url": "https://x.test", "metric_key": "arr_usd"}
    assert world.as_coach.post(path, json=link).status_code == 422


def test_series_from_accepted_metrics_oldest_first(world, time_machine):
    time_machine.move_to("2026-02-01T00:00:00Z", tick=False)
    b = metric(world, "mrr_usd", 1000)
    time_machine.move_to("2026-02-10T00:00:00Z", tick=False)
    a = metric(world, "paying_customers", 1)
    time_machine.move_to("2026-02-20T00:00:00Z", tick=False)
    c = metric(world, "paying_customers", 4, milestone="first_customer")
    # Oldest first by the time recorded, not by id: `a` is moved after `c`.
    db.session.execute(
        sa.update(Evidence)
        .where(Evidence.id == a["id"])
        .values(created_at=datetime(2026, 2, 25, tzinfo=UTC))
    )
    db.session.commit()
    proposed = metric(world, "paying_customers", 40, who=world.member)
    metric(world, "paying_customers", 9, who=world.member)
    world.as_coach.post(f"/evidence/{proposed['id']}/reject", json={"comment": "no"})
    plain = world.as_coach.post(
        f"/companies/{world.cid}/milestones/value_baseline/evidence",
        json={"evidence_type": "metric", "title": "NPS", "metric_value": 50, "metric_unit": "pts"},
    )
    assert plain.status_code == 201
    removed = metric(world, "cac_usd", 100)
    assert world.as_coach.delete(f"/evidence/{removed['id']}").status_code == 204

    r = world.client(world.member).get(f"/companies/{world.cid}/metric-series")
    assert r.status_code == 200
    assert r.get_json() == {
        "series": [
            {
                "metric_key": "paying_customers",
                "unit": "customers",
                "label": "Paying customers",
                "points": [
                    {"at": "2026-02-20T00:00:00+00:00", "value": 4.0, "evidence_id": c["id"]},
                    {"at": "2026-02-25T00:00:00+00:00", "value": 1.0, "evidence_id": a["id"]},
                ],
            },
            {
                "metric_key": "mrr_usd",
                "unit": "USD",
                "label": "MRR (USD)",
                "points": [
                    {"at": "2026-02-01T00:00:00+00:00", "value": 1000.0, "evidence_id": b["id"]}
                ],
            },
        ]
    }
    outsider = world.client(world.other_coach)
    assert outsider.get(f"/companies/{world.cid}/metric-series").status_code == 404


def _status(world, key):
    return next(s for s in world.statuses()["milestones"] if s["milestone"] == key)


def _portfolio_suggestion(world):
    db.session.expire_all()
    return db.session.get(CompanyStats, world.cid).suggested_milestone


def _reach(world, key):
    """Achieve the milestones before `key` (a link each)."""
    from milestones import catalogue

    for before in catalogue.KEYS[: catalogue.position(key)]:
        world.achieve(before)


@pytest.mark.parametrize(
    ("milestone", "below", "at"),
    [("first_customer", 0, 1), ("x_customers", 4, 5), ("ten_x_customers", 49, 50)],
)
def test_customer_thresholds_at_their_boundary(world, time_machine, milestone, below, at):
    time_machine.move_to("2026-12-03T10:00:00Z", tick=False)
    _reach(world, milestone)
    metric(world, "paying_customers", below)
    status = _status(world, milestone)
    assert (status["suggested"], status["suggestion"]) == (False, None)
    assert _portfolio_suggestion(world) is None
    metric(world, "paying_customers", at)
    status = _status(world, milestone)
    assert status["suggested"] is True
    title = {"first_customer": "First Customer", "x_customers": "X Customers"}.get(
        milestone, "10X Customers"
    )
    plural = "" if at == 1 else "s"
    assert status["suggestion"] == (
        f"Evidence suggests {title} is reached: {at} paying customer{plural} (recorded 3 Dec)"
    )
    assert _portfolio_suggestion(world).value == milestone
    # The latest value counts: a lower figure recorded later takes the suggestion away.
    time_machine.move_to("2026-12-04T10:00:00Z", tick=False)
    metric(world, "paying_customers", below)
    assert _status(world, milestone)["suggested"] is False
    assert _portfolio_suggestion(world) is None


def test_arr_and_mrr_thresholds(world, time_machine):
    time_machine.move_to("2026-12-03T10:00:00Z", tick=False)
    _reach(world, "one_m_arr")
    metric(world, "arr_usd", 999_999)
    metric(world, "mrr_usd", 83_333)  # x 12 = 999,996
    assert _status(world, "one_m_arr")["suggested"] is False
    assert _portfolio_suggestion(world) is None
    metric(world, "mrr_usd", 83_334)  # x 12 = 1,000,008
    status = _status(world, "one_m_arr")
    assert status["suggestion"] == (
        "Evidence suggests $1M ARR is reached: $83,334 MRR ($1,000,008 a year) (recorded 3 Dec)"
    )
    assert _portfolio_suggestion(world).value == "one_m_arr"
    metric(world, "mrr_usd", 10)
    metric(world, "arr_usd", 1_000_000)
    assert _status(world, "one_m_arr")["suggestion"] == (
        "Evidence suggests $1M ARR is reached: $1,000,000 ARR (recorded 3 Dec)"
    )


def test_only_the_current_milestone_and_only_accepted_evidence(world, time_machine):
    time_machine.move_to("2026-12-03T10:00:00Z", tick=False)
    metric(world, "paying_customers", 60)
    statuses = world.statuses()["milestones"]
    # Current is value_baseline: no rule for it; the later ones are not current.
    assert [s["suggested"] for s in statuses] == [False] * 5
    assert _portfolio_suggestion(world) is None
    world.achieve("value_baseline")
    assert _status(world, "first_customer")["suggested"] is True
    # A member's proposal does not suggest anything until accepted.
    world.achieve("first_customer")
    world.achieve("x_customers")
    world.achieve("ten_x_customers")
    proposed = metric(world, "arr_usd", 2_000_000, who=world.member)
    assert _status(world, "one_m_arr")["suggested"] is False
    world.as_coach.post(f"/evidence/{proposed['id']}/accept", json={})
    assert _status(world, "one_m_arr")["suggested"] is True


def test_suggestions_never_write(world, time_machine):
    time_machine.move_to("2026-12-03T10:00:00Z", tick=False)
    world.achieve("value_baseline")
    metric(world, "paying_customers", 3)
    db.session.expire_all()
    before = db.session.execute(
        sa.select(MilestoneStatus.milestone, MilestoneStatus.achieved, MilestoneStatus.version)
    ).all()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(HistoryEvent))
    for _ in range(2):
        assert _status(world, "first_customer")["suggested"] is True
        world.client(world.admin).get("/portfolio")
    db.session.expire_all()
    after = db.session.execute(
        sa.select(MilestoneStatus.milestone, MilestoneStatus.achieved, MilestoneStatus.version)
    ).all()
    assert sorted(after) == sorted(before)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HistoryEvent)) == events
    rows = world.client(world.admin).get("/portfolio").get_json()
    assert [(r["current_milestone"], r["suggested_milestone"]) for r in rows] == [
        ("first_customer", "first_customer")
    ]
