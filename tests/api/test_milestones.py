"""Catalogue, status per company, the toggle (order, evidence, reasons, timestamps, ETags,
access) and the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from milestones import notifications
from milestones.catalogue import KEYS
from milestones.extensions import db
from milestones.models import HistoryEvent, MilestoneStatus

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def iso(value: datetime) -> str:
    return value.isoformat()


def by_key(body: dict) -> dict[str, dict]:
    return {s["milestone"]: s for s in body["milestones"]}


def history_rows(company_id: int) -> list[HistoryEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(HistoryEvent)
            .where(HistoryEvent.company_id == company_id)
            .order_by(HistoryEvent.id)
        )
    )


def test_catalogue_in_order_with_criteria(world, anon):
    r = world.client(world.member).get("/milestones")
    assert r.status_code == 200
    body = r.get_json()
    assert [m["key"] for m in body] == list(KEYS)
    assert body[0]["title"] == "Value Baseline"
    assert body[4]["title"] == "$1M ARR"
    assert body[1]["criteria"][0] == {"key": "signed_contract", "text": "Signed contract/agreement"}
    assert all(len(m["criteria"]) == 4 for m in body)
    assert anon.get("/milestones").status_code == 401


def test_company_statuses_initial_state(world):
    body = world.statuses(world.member)
    assert body["current_milestone"] == "value_baseline"
    assert [s["milestone"] for s in body["milestones"]] == list(KEYS)
    first, second = body["milestones"][0], body["milestones"][1]
    assert first["state"] == "current"
    assert first["achieved"] is False
    assert first["started_at"] == iso(world.company.joined_at)
    assert first["achieved_at"] is None
    assert first["title"] == "Value Baseline"
    assert first["criteria"][0]["key"] == "value_proposition"
    assert first["etag"] == f'"{world.cid}-value_baseline-1"'
    assert set(first["metrics"]) >= {"days_in_milestone", "evidence_count"}
    assert second["state"] == "upcoming"
    assert second["started_at"] is None
    assert {s["state"] for s in body["milestones"][1:]} == {"upcoming"}


def test_fast_dump_of_statuses_is_the_schema_dump(world):
    """GET /companies/{id}/milestones is dumped by FastDump (api/render.py): it must give
    what CompanyMilestonesSchema's dump gives (nested statuses, criteria, metrics, ETags)."""
    from milestones.api.milestones import COMPANY_MILESTONES
    from milestones.api.render import fast_dump
    from milestones.services.milestones import company_milestones

    world.achieve("value_baseline")  # timestamps with microseconds, an updated_by
    result = company_milestones(world.coach, world.cid)
    fast = fast_dump(COMPANY_MILESTONES).one(result)
    assert fast == COMPANY_MILESTONES.dump(result)
    assert list(fast["milestones"][0]["metrics"]) == list(
        COMPANY_MILESTONES.dump(result)["milestones"][0]["metrics"]
    )
    assert fast["milestones"][0]["updated_by_name"] == world.coach.name
    assert world.statuses() == fast  # the response (RENDER_CHECK compared it too)


def test_statuses_visibility(world, factory):
    assert world.client(world.admin).get(f"/companies/{world.cid}/milestones").status_code == 200
    r = world.client(world.other_coach).get(f"/companies/{world.cid}/milestones")
    assert r.status_code == 404
    assert r.get_json()["message"] == "Company not found."
    assert world.as_coach.get("/companies/99999/milestones").status_code == 404
    outsider = factory.member()
    factory.company("Other", members=[outsider])
    assert world.client(outsider).get(f"/companies/{world.cid}/history").status_code == 404


def test_achieve_and_revert_keep_timestamps_under_frozen_clock(
    factory, client_for, time_machine, monkeypatch
):
    time_machine.move_to(T0, tick=False)
    from tests.fixtures.storage import World

    w = World(factory, client_for, joined_at=T0 - timedelta(days=30))
    sent: list[tuple] = []
    monkeypatch.setattr(
        notifications,
        "enqueue_milestone_change",
        lambda status, previous, actor, reason: sent.append(
            (status.milestone.value, previous, status.achieved, actor.id, reason)
        ),
    )

    t1 = T0 + timedelta(hours=1)
    time_machine.move_to(t1, tick=False)
    w.link("value_baseline")
    r = w.toggle("value_baseline", True, reason="Clear proposition and pricing.")
    assert r.status_code == 200, r.get_json()
    status = r.get_json()
    assert status["achieved"] is True
    assert status["state"] == "achieved"
    assert status["started_at"] == iso(T0 - timedelta(days=30))
    assert status["achieved_at"] == iso(t1)
    assert status["last_updated"] == iso(t1)
    assert status["updated_by"] == w.coach.id
    assert status["updated_by_name"] == "Casey Coach"
    assert r.headers["ETag"] == status["etag"] == f'"{w.cid}-value_baseline-2"'
    body = w.statuses()
    assert body["current_milestone"] == "first_customer"
    nxt = by_key(body)["first_customer"]
    assert nxt["started_at"] == iso(t1)
    assert nxt["state"] == "current"
    assert nxt["achieved_at"] is None
    assert by_key(body)["x_customers"]["started_at"] is None

    t2 = t1 + timedelta(days=10)
    time_machine.move_to(t2, tick=False)
    w.link("first_customer")
    assert w.toggle("first_customer", True).status_code == 200
    body = by_key(w.statuses())
    assert body["first_customer"]["achieved_at"] == iso(t2)
    assert body["first_customer"]["started_at"] == iso(t1)
    assert body["x_customers"]["started_at"] == iso(t2)

    t3 = t2 + timedelta(days=3)
    time_machine.move_to(t3, tick=False)
    r = w.toggle("first_customer", False, reason="The contract was cancelled.")
    assert r.status_code == 200, r.get_json()
    reverted = r.get_json()
    assert reverted["achieved"] is False
    assert reverted["state"] == "current"
    assert reverted["achieved_at"] is None
    assert reverted["started_at"] == iso(t1)
    assert reverted["last_updated"] == iso(t3)
    assert reverted["updated_by"] == w.coach.id
    body = w.statuses()
    assert body["current_milestone"] == "first_customer"
    statuses = by_key(body)
    assert statuses["x_customers"]["started_at"] is None
    assert statuses["x_customers"]["state"] == "upcoming"
    assert statuses["value_baseline"]["achieved_at"] == iso(t1)
    assert statuses["value_baseline"]["last_updated"] == iso(t1)

    toggles = [h for h in history_rows(w.cid) if h.event.value == "toggled"]
    assert [(h.milestone.value, h.previous, h.achieved, h.reason) for h in toggles] == [
        ("value_baseline", False, True, "Clear proposition and pricing."),
        ("first_customer", False, True, None),
        ("first_customer", True, False, "The contract was cancelled."),
    ]
    assert [h.created_at for h in toggles] == [t1, t2, t3]
    assert sent == [
        ("value_baseline", False, True, w.coach.id, "Clear proposition and pricing."),
        ("first_customer", False, True, w.coach.id, None),
        ("first_customer", True, False, w.coach.id, "The contract was cancelled."),
    ]


def test_all_five_achieved_has_no_current_milestone(world):
    for key in KEYS:
        world.achieve(key)
    body = world.statuses()
    assert body["current_milestone"] is None
    assert {s["state"] for s in body["milestones"]} == {"achieved"}
    r = world.as_coach.get(f"/companies/{world.cid}")
    assert r.get_json()["current_milestone"] is None


def test_order_is_enforced_naming_the_blocking_milestone(world):
    world.link("x_customers")
    r = world.toggle("x_customers", True)
    assert r.status_code == 409
    body = r.get_json()
    assert body["code"] == "milestone_order"
    assert body["message"] == "X Customers cannot be achieved before First Customer is achieved."
    assert body["errors"] == {"blocking_milestone": "first_customer"}

    world.achieve("value_baseline")
    world.achieve("first_customer")
    r = world.toggle("value_baseline", False, reason="Oops")
    assert r.status_code == 409
    assert r.get_json()["message"] == (
        "Value Baseline cannot be reverted while First Customer is achieved; "
        "revert First Customer first."
    )
    db.session.expire_all()
    assert db.session.scalar(
        sa.select(MilestoneStatus.achieved).where(
            MilestoneStatus.company_id == world.cid,
            MilestoneStatus.milestone == "value_baseline",
        )
    )
    assert len([h for h in history_rows(world.cid) if h.event.value == "toggled"]) == 2


def test_achieving_needs_evidence(world):
    r = world.toggle("value_baseline", True)
    assert r.status_code == 422
    body = r.get_json()
    assert body["code"] == "evidence_required"
    assert (
        body["message"]
        == "Value Baseline needs at least one accepted evidence item before it can be achieved."
    )
    assert history_rows(world.cid) == []


def test_removed_evidence_does_not_count(world):
    item = world.link("value_baseline")
    assert world.as_coach.delete(f"/evidence/{item['id']}").status_code == 204
    r = world.toggle("value_baseline", True)
    assert r.status_code == 422
    assert r.get_json()["code"] == "evidence_required"


def test_reason_rules(world):
    world.achieve("value_baseline")
    r = world.toggle("value_baseline", False)
    assert r.status_code == 422
    assert r.get_json()["message"] == "A reason is required to revert an achieved milestone."
    assert r.get_json()["errors"] == {
        "json": {"reason": ["Required when reverting an achieved milestone."]}
    }
    r = world.toggle("value_baseline", False, reason="   ")
    assert r.status_code == 422
    assert r.get_json()["code"] == "reason_required"

    r = world.toggle("value_baseline", False, reason="x" * 2001)
    assert r.status_code == 422
    assert "json.reason" in r.get_json()["message"]
    assert r.get_json()["errors"]["json"]["reason"] == ["Longer than maximum length 2000."]
    assert world.statuses()["milestones"][0]["achieved"] is True

    r = world.toggle("value_baseline", False, reason="y" * 2000)
    assert r.status_code == 200
    assert history_rows(world.cid)[-1].reason == "y" * 2000


def test_body_validation(world):
    url = f"/companies/{world.cid}/milestones/value_baseline"
    r = world.as_coach.put(url, json={"achieved": True, "comment": "hi"})
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"json": {"comment": ["Unknown field."]}}
    r = world.as_coach.put(url, json={})
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"]["achieved"] == ["Missing data for required field."]
    r = world.as_coach.put(url, json={"achieved": "maybe"})
    assert r.status_code == 422
    assert r.get_json()["errors"]["json"]["achieved"] == ["Not a valid boolean."]
    r = world.as_coach.put(f"/companies/{world.cid}/milestones/unicorn", json={"achieved": True})
    assert r.status_code == 404
    assert "unicorn" in r.get_json()["message"]


def test_setting_the_same_value_changes_nothing(world, monkeypatch):
    sent: list[object] = []
    monkeypatch.setattr(notifications, "enqueue_milestone_change", lambda *a: sent.append(a))
    before = world.statuses()["milestones"][1]
    r = world.toggle("first_customer", False)
    assert r.status_code == 200
    assert r.get_json()["achieved"] is False
    assert r.get_json()["last_updated"] == before["last_updated"]
    assert r.headers["ETag"] == before["etag"]
    assert history_rows(world.cid) == []
    assert sent == []

    world.achieve("value_baseline")
    assert len(sent) == 1
    etag = world.statuses()["milestones"][0]["etag"]
    r = world.toggle("value_baseline", True)
    assert r.status_code == 200
    assert r.headers["ETag"] == etag
    assert len([h for h in history_rows(world.cid) if h.event.value == "toggled"]) == 1
    assert len(sent) == 1


@pytest.mark.parametrize("role", ["admin", "member"])
def test_only_an_assigned_coach_toggles(world, role):
    who = world.admin if role == "admin" else world.member
    world.link("value_baseline")
    r = world.client(who).put(
        f"/companies/{world.cid}/milestones/value_baseline", json={"achieved": True}
    )
    assert r.status_code == 403
    assert r.get_json()["message"] == (
        "Only a coach assigned to this company can change its milestones."
    )
    assert world.statuses()["milestones"][0]["achieved"] is False


def test_unassigned_coach_gets_404(world):
    world.link("value_baseline")
    r = world.client(world.other_coach).put(
        f"/companies/{world.cid}/milestones/value_baseline", json={"achieved": True}
    )
    assert r.status_code == 404
    assert r.get_json()["message"] == "Company not found."
    assert world.statuses()["milestones"][0]["achieved"] is False


def test_if_match(world):
    world.link("value_baseline")
    stale = world.statuses()["milestones"][0]["etag"]
    r = world.toggle("value_baseline", True, headers={"If-Match": stale})
    assert r.status_code == 200
    fresh = r.headers["ETag"]
    assert fresh != stale

    r = world.toggle("value_baseline", False, reason="Undo", headers={"If-Match": stale})
    assert r.status_code == 412
    assert r.get_json()["code"] == "stale_etag"
    assert r.headers["ETag"] == fresh
    assert world.statuses()["milestones"][0]["achieved"] is True
    assert len([h for h in history_rows(world.cid) if h.event.value == "toggled"]) == 1

    r = world.toggle("value_baseline", False, reason="Undo", headers={"If-Match": f"W/{fresh}"})
    assert r.status_code == 200
    assert r.get_json()["achieved"] is False
    r = world.toggle("value_baseline", True, headers={"If-Match": "*"})
    assert r.status_code == 200


def test_next_status_etag_changes_when_it_starts(world):
    before = world.statuses()["milestones"][1]["etag"]
    world.achieve("value_baseline")
    after = world.statuses()["milestones"][1]["etag"]
    assert before != after
    r = world.toggle("first_customer", True, headers={"If-Match": before})
    assert r.status_code == 412


def test_history_newest_first_filter_and_pages(world, time_machine):
    time_machine.move_to(T0, tick=False)
    item = world.link("value_baseline", title="Pitch deck")
    time_machine.move_to(T0 + timedelta(minutes=1), tick=False)
    world.toggle("value_baseline", True, reason="Done")
    time_machine.move_to(T0 + timedelta(minutes=2), tick=False)
    world.link("first_customer", title="Contract")
    time_machine.move_to(T0 + timedelta(minutes=3), tick=False)
    world.toggle("value_baseline", False, reason="Too early")
    time_machine.move_to(T0 + timedelta(minutes=4), tick=False)
    assert world.as_coach.delete(f"/evidence/{item['id']}").status_code == 204

    r = world.client(world.member).get(f"/companies/{world.cid}/history")
    assert r.status_code == 200
    items = r.get_json()
    assert [(i["event"], i["milestone"]) for i in items] == [
        ("evidence_removed", "value_baseline"),
        ("toggled", "value_baseline"),
        ("evidence_added", "first_customer"),
        ("toggled", "value_baseline"),
        ("evidence_added", "value_baseline"),
    ]
    removed = items[0]
    assert removed["evidence_id"] == item["id"]
    assert removed["evidence_title"] == "Pitch deck"
    assert removed["actor_id"] == world.coach.id
    assert removed["actor_name"] == "Casey Coach"
    assert removed["created_at"] == iso(T0 + timedelta(minutes=4))
    revert = items[1]
    assert {k: revert[k] for k in ("previous", "achieved", "reason")} == {
        "previous": True,
        "achieved": False,
        "reason": "Too early",
    }
    assert set(revert) >= {
        "id", "milestone", "event", "previous", "achieved", "reason", "actor_id",
        "actor_name", "created_at",
    }  # fmt: skip

    r = world.as_coach.get(f"/companies/{world.cid}/history?milestone=first_customer")
    assert [i["event"] for i in r.get_json()] == ["evidence_added"]

    r = world.as_coach.get(f"/companies/{world.cid}/history?page_size=2&page=2")
    assert [i["event"] for i in r.get_json()] == ["evidence_added", "toggled"]
    assert '"total": 5' in r.headers["X-Pagination"]

    r = world.as_coach.get(f"/companies/{world.cid}/history?milestone=unicorn")
    assert r.status_code == 422
    assert "milestone" in r.get_json()["errors"]["query"]


def test_history_is_read_only(world):
    r = world.as_coach.delete(f"/companies/{world.cid}/history")
    assert r.status_code == 405
    assert r.headers["Allow"].split(", ") == ["GET", "HEAD", "OPTIONS"]
    r = world.as_coach.patch(f"/companies/{world.cid}/milestones/value_baseline", json={})
    assert r.status_code == 405
    assert "PUT" in r.headers["Allow"]


@pytest.mark.postgres
def test_concurrent_toggles_leave_status_and_history_agreeing(world, app, client_for):
    """Two coaches toggle at the same moment: the row lock serialises them."""
    import threading

    from milestones.services import companies as companies_service

    coach2 = world.other_coach
    companies_service.assign_coach(world.company, coach2.id)
    world.link("value_baseline")
    clients = [client_for(world.coach), client_for(coach2)]
    url = f"/companies/{world.cid}/milestones/value_baseline"
    etag = world.statuses()["milestones"][0]["etag"]

    # Hold the company's status rows locked so both requests queue on the same lock.
    blocker = db.engine.connect()
    tx = blocker.begin()
    blocker.execute(
        sa.select(MilestoneStatus.id)
        .where(MilestoneStatus.company_id == world.cid)
        .with_for_update()
    )
    results: list[tuple[int, dict]] = []
    barrier = threading.Barrier(3)

    def run(client, headers):
        barrier.wait()
        r = client.put(url, json={"achieved": True}, headers=headers)
        results.append((r.status_code, r.get_json()))

    threads = [
        threading.Thread(target=run, args=(clients[0], {"If-Match": etag})),
        threading.Thread(target=run, args=(clients[1], {"If-Match": etag})),
    ]
    for t in threads:
        t.start()
    barrier.wait()
    waiting = 0
    for _ in range(100):  # both requests must be waiting on the lock
        waiting = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
        )
        db.session.commit()
        if waiting >= 2:
            break
        threading.Event().wait(0.05)
    assert waiting >= 2
    tx.commit()
    blocker.close()
    for t in threads:
        t.join(timeout=30)

    codes = sorted(code for code, _ in results)
    assert codes == [200, 412]
    toggles = [h for h in history_rows(world.cid) if h.event.value == "toggled"]
    assert len(toggles) == 1
    db.session.expire_all()
    status = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == world.cid, MilestoneStatus.position == 0
        )
    )
    assert status.achieved is True
    assert status.version == 2
    assert status.updated_by_id == toggles[0].actor_id

    # Without If-Match, the second of two simultaneous identical toggles is a no-op.
    world.link("first_customer")
    url = f"/companies/{world.cid}/milestones/first_customer"
    results.clear()
    barrier = threading.Barrier(2)

    def run_plain(client):
        barrier.wait()
        r = client.put(url, json={"achieved": True})
        results.append((r.status_code, r.get_json()))

    threads = [threading.Thread(target=run_plain, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [code for code, _ in results] == [200, 200]
    toggles = [h for h in history_rows(world.cid) if h.event.value == "toggled"]
    assert [(h.milestone.value, h.achieved) for h in toggles] == [
        ("value_baseline", True),
        ("first_customer", True),
    ]
