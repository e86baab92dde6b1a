"""GET /activity: every event of the caller's companies, newest first, each filter,
pagination, scope (coach B sees nothing of coach A's companies)."""

from __future__ import annotations

import json

import pytest

from tests.reporting.world import EVIDENCE_TITLE, build_activity


@pytest.fixture
def aw(factory, frozen):
    return build_activity(factory)


def _ids(response, aw):
    assert response.status_code == 200, response.get_json()
    names = {v: k for k, v in aw.events.items()}
    return [names[item["id"]] for item in response.get_json()]


def test_admin_reads_the_whole_programme_newest_first(aw, client_for):
    r = client_for(aw.cohorts.admin).get("/activity")
    assert _ids(r, aw) == ["e3", "e4", "e5", "e2", "e1"]
    assert json.loads(r.headers["X-Pagination"])["total"] == 5
    item = r.get_json()[3]
    w = aw.cohorts
    assert item == {
        "id": aw.events["e2"],
        "milestone": "first_customer",
        "event": "evidence_added",
        "previous": None,
        "achieved": None,
        "reason": None,
        "actor_id": w.coach_a.id,
        "actor_name": "Carla Coach",
        "evidence_id": aw.evidence_id,
        "evidence_title": EVIDENCE_TITLE,
        "created_at": "2024-02-01T09:30:00+00:00",
        "company_id": w.a1.id,
        "company_name": "A1",
    }
    first = r.get_json()[0]
    assert (first["company_name"], first["actor_name"], first["previous"], first["achieved"]) == (
        "B2",
        "Bert Coach",
        False,
        True,
    )


def test_coaches_read_only_their_companies(aw, client_for):
    w = aw.cohorts
    r = client_for(w.coach_a).get("/activity")
    assert _ids(r, aw) == ["e4", "e5", "e2", "e1"]
    assert json.loads(r.headers["X-Pagination"])["total"] == 4
    coach_b = client_for(w.coach_b)
    assert _ids(coach_b.get("/activity"), aw) == ["e3"]
    # Filtering on another coach's company or person finds nothing (no 404: no existence).
    assert _ids(coach_b.get(f"/activity?company_id={w.a1.id}"), aw) == []
    assert _ids(coach_b.get(f"/activity?actor_id={w.coach_a.id}"), aw) == []


def test_members_have_no_activity_log(aw, client_for):
    r = client_for(aw.cohorts.member).get("/activity")
    assert r.status_code == 403 and r.get_json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("company_id={a1}", ["e2", "e1"]),
        ("actor_id={coach_b}", ["e3"]),
        ("event=evidence_added", ["e2"]),
        ("event=toggled&milestone=value_baseline", ["e3", "e4", "e5", "e1"]),
        ("milestone=first_customer", ["e2"]),
        ("since=2025-01-01", ["e3", "e4"]),
        ("since=2025-01-20T00:00:01Z", ["e3"]),
        ("until=2024-02-04", ["e5", "e2", "e1"]),  # a day: included whole
        ("until=2024-02-04T00:00:00%2B00:00", ["e2", "e1"]),  # a time: excluded
        ("since=2024-02-01&until=2024-02-01", ["e2"]),
        ("since=2024-02-01T10:30:00%2B01:00&until=2024-02-01T10:30:00", ["e2"]),
        ("company_id={a1}&event=toggled", ["e1"]),
    ],
)
def test_filters(aw, client_for, query, expected):
    w = aw.cohorts
    path = "/activity?" + query.format(a1=w.a1.id, coach_b=w.coach_b.id)
    r = client_for(w.admin).get(path)
    assert _ids(r, aw) == expected
    # The total is counted apart from the page: the same filters, the same events.
    assert json.loads(r.headers["X-Pagination"])["total"] == len(expected)


def test_pages(aw, client_for):
    admin = client_for(aw.cohorts.admin)
    r = admin.get("/activity?page=2&page_size=2")
    assert _ids(r, aw) == ["e5", "e2"]
    assert json.loads(r.headers["X-Pagination"]) == {
        "total": 5,
        "total_pages": 3,
        "first_page": 1,
        "last_page": 3,
        "page": 2,
        "previous_page": 1,
        "next_page": 3,
    }
    assert _ids(admin.get("/activity?page=4&page_size=2"), aw) == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("event=renamed", "event"),
        ("milestone=ipo", "milestone"),
        ("since=last-week", "since"),
        ("until=2026-02-30", "until"),
        ("company_id=abc", "company_id"),
        ("actor_id=99999999999", "actor_id"),
        ("page_size=1000", "page_size"),
        ("until=9999-12-31", "until"),
        ("since=0001-01-01T00:00:00%2B01:00", "since"),
    ],
)
def test_bad_filters_are_422(aw, client_for, query, field):
    r = client_for(aw.cohorts.admin).get(f"/activity?{query}")
    assert r.status_code == 422, r.get_json()
    assert field in str(r.get_json()["errors"])
