"""Progress updates: who posts them, defaults, task checks, review rules."""

from __future__ import annotations

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import ProgressUpdate
from tests.fixtures.metrics import at, set_statuses


def _setup(factory):
    coach = factory.coach()
    member = factory.member()
    company = factory.company("Acme", coaches=[coach], members=[member])
    return coach, member, company


def test_member_posts_and_coach_approves(factory, client_for, time_machine):
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    coach, member, company = _setup(factory)
    set_statuses(company, [(at(2025, 1, 1), at(2025, 2, 1)), (at(2025, 2, 1), None)])
    r = client_for(member).post(f"/companies/{company.id}/updates", json={"body": " Signed! "})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["milestone"] == "first_customer"
    assert body["body"] == "Signed!"
    assert body["status"] == "pending"
    assert body["task_id"] is None
    assert body["created_by"] == member.id
    assert body["reviewed_by"] is None and body["reviewed_at"] is None

    time_machine.move_to("2026-03-03T11:00:00Z", tick=False)
    r = client_for(coach).post(f"/updates/{body['id']}/approve", json={"comment": "Great"})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["status"] == "approved"
    assert out["reviewed_by"] == coach.id
    assert out["reviewed_at"].startswith("2026-03-03T11:00:00")
    assert out["review_comment"] == "Great"
    for action in ("approve", "reject"):
        r = client_for(coach).post(f"/updates/{body['id']}/{action}", json={})
        assert r.status_code == 409
        assert r.get_json()["code"] == "update_not_pending"


def test_reject_with_comment(factory, client_for):
    coach, _member, company = _setup(factory)
    uid = (
        client_for(coach)
        .post(f"/companies/{company.id}/updates", json={"body": "b", "milestone": "x_customers"})
        .get_json()["id"]
    )
    r = client_for(coach).post(f"/updates/{uid}/reject", json={"comment": "Too vague"})
    assert r.status_code == 200
    assert r.get_json()["status"] == "rejected"
    assert r.get_json()["milestone"] == "x_customers"
    assert r.get_json()["review_comment"] == "Too vague"
    assert client_for(coach).post(f"/updates/{uid}/approve", json={}).status_code == 409


def test_task_must_belong_to_the_company(factory, client_for):
    coach, member, company = _setup(factory)
    other = factory.company("Other", coaches=[coach])
    client = client_for(coach)
    own = client.post(f"/companies/{company.id}/tasks", json={"title": "mine"}).get_json()["id"]
    foreign = client.post(f"/companies/{other.id}/tasks", json={"title": "x"}).get_json()["id"]
    url = f"/companies/{company.id}/updates"
    r = client_for(member).post(url, json={"body": "about it", "task_id": own})
    assert r.status_code == 201 and r.get_json()["task_id"] == own
    for bad in (foreign, 999999):
        r = client.post(url, json={"body": "b", "task_id": bad})
        assert r.status_code == 422
        assert r.get_json()["code"] == "task_mismatch"
        assert "task_id" in r.get_json()["errors"]["json"]
    assert client.post(url, json={"body": ""}).status_code == 422
    assert client.post(url, json={"body": "b", "status": "approved"}).status_code == 422
    assert client.post(url, json={"body": "b", "milestone": "nope"}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressUpdate)) == 1


def test_all_achieved_needs_a_milestone(factory, client_for, frozen):
    _coach, member, company = _setup(factory)
    set_statuses(company, [(at(2025, 1, i + 1), at(2025, 1, i + 2)) for i in range(5)])
    url = f"/companies/{company.id}/updates"
    r = client_for(member).post(url, json={"body": "b"})
    assert r.status_code == 422 and r.get_json()["code"] == "milestone_required"
    r = client_for(member).post(url, json={"body": "b", "milestone": "one_m_arr"})
    assert r.status_code == 201


def test_permissions(factory, client_for):
    _coach, member, company = _setup(factory)
    admin = factory.admin()
    stranger = factory.coach()
    uid = (
        client_for(member)
        .post(f"/companies/{company.id}/updates", json={"body": "b"})
        .get_json()["id"]
    )
    for who in (member, admin):
        for action in ("approve", "reject"):
            r = client_for(who).post(f"/updates/{uid}/{action}", json={})
            assert r.status_code == 403, (who.role, action)
    r = client_for(admin).post(f"/companies/{company.id}/updates", json={"body": "b"})
    assert r.status_code == 403
    assert client_for(admin).get(f"/companies/{company.id}/updates").status_code == 200
    s = client_for(stranger)
    assert s.get(f"/companies/{company.id}/updates").status_code == 404
    assert s.post(f"/companies/{company.id}/updates", json={"body": "b"}).status_code == 404
    assert s.post(f"/updates/{uid}/approve", json={}).status_code == 404
    assert s.get(f"/updates/{uid}").status_code == 404
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, uid).status.value == "pending"


def test_list_newest_first_with_filters(factory, client_for, time_machine):
    time_machine.move_to("2026-02-01T09:00:00Z", tick=False)
    coach, _member, company = _setup(factory)
    client = client_for(coach)
    url = f"/companies/{company.id}/updates"
    ids = []
    for day, key in ((1, "value_baseline"), (2, "first_customer"), (3, "value_baseline")):
        time_machine.move_to(f"2026-02-0{day}T10:00:00Z", tick=False)
        ids.append(client.post(url, json={"body": "b", "milestone": key}).get_json()["id"])
    client.post(f"/updates/{ids[0]}/approve", json={})
    assert [u["id"] for u in client.get(url).get_json()] == ids[::-1]
    r = client.get(url, query_string={"status": "pending"})
    assert [u["id"] for u in r.get_json()] == [ids[2], ids[1]]
    r = client.get(url, query_string={"milestone": "value_baseline"})
    assert [u["id"] for u in r.get_json()] == [ids[2], ids[0]]
    assert '"total": 2' in r.headers["X-Pagination"]
    assert client.get(url, query_string={"status": "meh"}).status_code == 422
