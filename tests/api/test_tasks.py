"""Tasks: creation, listing, the open -> submitted -> approved/rejected/cancelled rules,
reviews recorded, and who may do what."""

from __future__ import annotations

import sqlalchemy as sa

from milestones.catalogue import KEYS
from milestones.extensions import db
from milestones.models import ReviewDecision, Task, TaskReview
from tests.fixtures.metrics import NOW, at, set_statuses


def _setup(factory):
    coach = factory.coach()
    member = factory.member()
    company = factory.company("Acme", coaches=[coach], members=[member])
    return coach, member, company


def test_create_defaults_to_current_milestone(factory, client_for, frozen):
    coach, member, company = _setup(factory)
    set_statuses(company, [(at(2025, 1, 1), at(2025, 2, 1)), (at(2025, 2, 1), None)])
    r = client_for(member).post(
        f"/companies/{company.id}/tasks", json={"title": "  Sign ACME  ", "description": "x"}
    )
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["milestone"] == "first_customer"
    assert body["title"] == "Sign ACME"
    assert body["status"] == "open"
    assert body["company_id"] == company.id
    assert body["created_by"] == member.id
    assert body["created_at"].startswith("2026-01-07T12:00:00")
    assert body["submitted_at"] is None and body["completed_at"] is None

    r = client_for(coach).post(
        f"/companies/{company.id}/tasks", json={"title": "Later", "milestone": "one_m_arr"}
    )
    assert r.status_code == 201 and r.get_json()["milestone"] == "one_m_arr"


def test_create_when_all_achieved_needs_a_milestone(factory, client_for, frozen):
    coach, _, company = _setup(factory)
    set_statuses(company, [(at(2025, 1, i + 1), at(2025, 1, i + 2)) for i in range(5)])
    client = client_for(coach)
    r = client.post(f"/companies/{company.id}/tasks", json={"title": "Anything"})
    assert r.status_code == 422
    assert r.get_json()["code"] == "milestone_required"
    assert "milestone" in r.get_json()["message"]
    r = client.post(
        f"/companies/{company.id}/tasks", json={"title": "Scale", "milestone": "one_m_arr"}
    )
    assert r.status_code == 201


def test_create_validation(factory, client_for):
    coach, _, company = _setup(factory)
    client = client_for(coach)
    url = f"/companies/{company.id}/tasks"
    assert client.post(url, json={"title": "   "}).status_code == 422
    assert client.post(url, json={"title": "x" * 201}).status_code == 422
    assert client.post(url, json={"title": "ok", "milestone": "moon"}).status_code == 422
    r = client.post(url, json={"title": "ok", "priority": 1})
    assert r.status_code == 422 and "priority" in r.get_json()["message"]
    assert client.post(url, json=[1, 2]).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_full_lifecycle_with_reviews(factory, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    coach, member, company = _setup(factory)
    as_member, as_coach = client_for(member), client_for(coach)
    task = as_member.post(f"/companies/{company.id}/tasks", json={"title": "Pitch"}).get_json()
    tid = task["id"]

    # Nothing but submit from open.
    assert as_coach.post(f"/tasks/{tid}/approve", json={}).status_code == 409
    assert as_coach.post(f"/tasks/{tid}/reject", json={}).status_code == 409

    time_machine.move_to("2026-01-08T09:00:00Z", tick=False)
    r = as_member.post(f"/tasks/{tid}/submit", json={})
    assert r.status_code == 200 and r.get_json()["status"] == "submitted"
    assert r.get_json()["submitted_at"].startswith("2026-01-08T09:00:00")
    assert as_member.post(f"/tasks/{tid}/submit", json={}).status_code == 409

    r = as_coach.post(f"/tasks/{tid}/reject", json={"comment": "Attach the deck"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "open"
    assert body["review_comment"] == "Attach the deck"
    assert body["completed_at"] is None

    assert as_member.post(f"/tasks/{tid}/submit").status_code == 200  # no body at all
    time_machine.move_to("2026-01-10T15:30:00Z", tick=False)
    r = as_coach.post(f"/tasks/{tid}/approve", json={})
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "approved"
    assert body["completed_at"].startswith("2026-01-10T15:30:00")

    for action in ("submit", "approve", "reject", "cancel"):
        r = as_coach.post(f"/tasks/{tid}/{action}", json={})
        assert r.status_code == 409, action
        assert r.get_json()["code"] == "invalid_task_state"

    reviews = db.session.scalars(sa.select(TaskReview).order_by(TaskReview.id)).all()
    assert [(rv.decision, rv.comment, rv.reviewer_id) for rv in reviews] == [
        (ReviewDecision.REJECTED, "Attach the deck", coach.id),
        (ReviewDecision.APPROVED, None, coach.id),
    ]
    assert all(rv.task_id == tid and rv.company_id == company.id for rv in reviews)
    assert as_member.get(f"/tasks/{tid}").get_json()["status"] == "approved"


def test_cancel_from_open_and_submitted_only(factory, client_for):
    coach, _member, company = _setup(factory)
    as_coach = client_for(coach)
    url = f"/companies/{company.id}/tasks"
    t1 = as_coach.post(url, json={"title": "a"}).get_json()["id"]
    t2 = as_coach.post(url, json={"title": "b"}).get_json()["id"]
    assert as_coach.post(f"/tasks/{t2}/submit", json={}).status_code == 200
    r = as_coach.post(f"/tasks/{t1}/cancel", json={})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert r.get_json()["cancelled_at"] is not None
    assert as_coach.post(f"/tasks/{t2}/cancel", json={}).status_code == 200
    assert as_coach.post(f"/tasks/{t1}/cancel", json={}).status_code == 409
    assert as_coach.post(f"/tasks/{t1}/submit", json={}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskReview)) == 0


def test_permissions(factory, client_for):
    coach, member, company = _setup(factory)
    admin = factory.admin()
    stranger = factory.coach()
    outsider = factory.member()
    factory.company("Elsewhere", members=[outsider])
    task = client_for(member).post(f"/companies/{company.id}/tasks", json={"title": "t"})
    tid = task.get_json()["id"]
    client_for(member).post(f"/tasks/{tid}/submit", json={})

    # Members and admins may not review or cancel (403); they see the task.
    for who in (member, admin):
        client = client_for(who)
        for action in ("approve", "reject", "cancel"):
            r = client.post(f"/tasks/{tid}/{action}", json={})
            assert r.status_code == 403, (who.role, action)
            assert r.get_json()["code"] == "forbidden"
        assert client.get(f"/tasks/{tid}").status_code == 200
    # Admins do not create tasks either.
    r = client_for(admin).post(f"/companies/{company.id}/tasks", json={"title": "t"})
    assert r.status_code == 403
    # People who cannot see the company get 404 everywhere.
    for who in (stranger, outsider):
        client = client_for(who)
        assert client.get(f"/tasks/{tid}").status_code == 404
        assert client.get(f"/companies/{company.id}/tasks").status_code == 404
        assert client.post(f"/companies/{company.id}/tasks", json={"title": "t"}).status_code == 404
        for action in ("submit", "approve", "reject", "cancel"):
            assert client.post(f"/tasks/{tid}/{action}", json={}).status_code == 404
    assert client_for(coach).get("/tasks/424242").status_code == 404
    db.session.expire_all()
    assert db.session.get(Task, tid).status.value == "submitted"


def test_list_filters_and_pagination(factory, client_for, frozen):
    coach, member, company = _setup(factory)
    other = factory.company("Other", coaches=[coach])
    client = client_for(coach)
    url = f"/companies/{company.id}/tasks"
    ids = []
    for i, key in enumerate(["value_baseline", "value_baseline", "first_customer"]):
        ids.append(client.post(url, json={"title": f"t{i}", "milestone": key}).get_json()["id"])
    client.post(f"/companies/{other.id}/tasks", json={"title": "elsewhere"})
    client.post(f"/tasks/{ids[1]}/submit", json={})

    r = client.get(url)
    assert r.status_code == 200
    assert [t["id"] for t in r.get_json()] == ids[::-1]
    assert '"total": 3' in r.headers["X-Pagination"]
    r = client.get(url, query_string={"milestone": "value_baseline"})
    assert [t["id"] for t in r.get_json()] == [ids[1], ids[0]]
    r = client.get(url, query_string={"status": "submitted"})
    assert [t["id"] for t in r.get_json()] == [ids[1]]
    r = client.get(url, query_string={"milestone": "value_baseline", "status": "open"})
    assert [t["id"] for t in r.get_json()] == [ids[0]]
    r = client.get(url, query_string={"page_size": 2, "page": 2})
    assert [t["id"] for t in r.get_json()] == [ids[0]]
    assert client.get(url, query_string={"status": "done"}).status_code == 422
    assert client.get(url, query_string={"milestone": "x"}).status_code == 422
    assert client_for(member).get(url).status_code == 200
    assert set(KEYS) >= {t["milestone"] for t in r.get_json()}
