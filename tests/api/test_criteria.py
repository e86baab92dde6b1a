"""Criteria checked one by one by an assigned coach; require_all_criteria."""

from __future__ import annotations

import pytest


def crit_url(world, criterion, key="value_baseline"):
    return f"/companies/{world.cid}/milestones/{key}/criteria/{criterion}"


def criteria(world, key="value_baseline", who=None):
    status = next(s for s in world.statuses(who)["milestones"] if s["milestone"] == key)
    return {c["key"]: c for c in status["criteria"]}


def history(world):
    r = world.as_coach.get(f"/companies/{world.cid}/history")
    return [
        (h["event"], h["criterion"], h["previous"], h["achieved"], h["reason"])
        for h in reversed(r.get_json())
    ]


@pytest.fixture
def require_all(world):
    r = world.client(world.admin).patch("/settings", json={"require_all_criteria": True})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["require_all_criteria"] is True


def test_met_unmet_notes_and_history(world, time_machine):
    time_machine.move_to("2026-03-03T09:30:00Z", tick=False)
    r = world.as_coach.put(
        crit_url(world, "value_proposition"), json={"met": True, "note": " One-pager signed "}
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {
        "key": "value_proposition",
        "text": "Clear value proposition documented",
        "met": True,
        "met_at": "2026-03-03T09:30:00+00:00",
        "met_by": world.coach.id,
        "met_by_name": "Casey Coach",
        "note": "One-pager signed",
        "evidence_count": 0,
    }
    # The same again changes nothing and records nothing.
    r = world.as_coach.put(
        crit_url(world, "value_proposition"), json={"met": True, "note": "One-pager signed"}
    )
    assert r.status_code == 200
    world.link("value_baseline", criterion="value_proposition")
    time_machine.move_to("2026-03-04T09:30:00Z", tick=False)
    r = world.as_coach.put(crit_url(world, "value_proposition"), json={"met": False})
    assert r.get_json()["met"] is False
    assert r.get_json()["met_at"] is None and r.get_json()["met_by"] is None
    assert r.get_json()["evidence_count"] == 1
    seen = criteria(world, who=world.member)
    assert list(seen) == ["value_proposition", "target_market", "pricing_model", "mvp_features"]
    assert seen["value_proposition"]["met"] is False
    assert seen["value_proposition"]["evidence_count"] == 1
    assert seen["target_market"] == {
        "key": "target_market",
        "text": "Target market identified",
        "met": False,
        "met_at": None,
        "met_by": None,
        "met_by_name": None,
        "note": None,
        "evidence_count": 0,
    }
    assert [h for h in history(world) if h[0] == "criterion_checked"] == [
        ("criterion_checked", "value_proposition", False, True, "One-pager signed"),
        ("criterion_checked", "value_proposition", True, False, None),
    ]


def test_only_assigned_coaches_check_and_bad_input(world):
    body = {"met": True}
    for who in (world.member, world.admin):
        r = world.client(who).put(crit_url(world, "target_market"), json=body)
        assert r.status_code == 403
    assert (
        world.client(world.other_coach).put(crit_url(world, "target_market"), json=body).status_code
        == 404
    )
    r = world.as_coach.put(crit_url(world, "signed_contract"), json=body)
    assert r.status_code == 404
    assert "value_proposition, target_market" in r.get_json()["message"]
    assert world.as_coach.put(crit_url(world, "x", key="unicorn"), json=body).status_code == 404
    for bad in ({}, {"met": "perhaps"}, {"met": True, "note": "x" * 2001}, {"met": True, "y": 1}):
        r = world.as_coach.put(crit_url(world, "target_market"), json=bad)
        assert r.status_code == 422, bad
    assert not any(c["met"] for c in criteria(world).values())


def test_require_all_criteria_lists_the_unmet_keys(world, require_all):
    world.link("value_baseline")
    for key in ("value_proposition", "pricing_model"):
        assert world.as_coach.put(crit_url(world, key), json={"met": True}).status_code == 200
    r = world.toggle("value_baseline", True)
    assert r.status_code == 422
    body = r.get_json()
    assert body["code"] == "criteria_unmet"
    assert body["errors"]["unmet_criteria"] == ["target_market", "mvp_features"]
    assert "target_market, mvp_features" in body["message"]
    for key in ("target_market", "mvp_features"):
        world.as_coach.put(crit_url(world, key), json={"met": True})
    assert world.toggle("value_baseline", True).status_code == 200


def test_without_the_setting_criteria_do_not_block(world):
    world.link("value_baseline")
    assert world.toggle("value_baseline", True).status_code == 200
