"""Companies: created with five statuses, scoped lists, assignments."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from milestones.catalogue import KEYS
from milestones.extensions import db
from milestones.models import CoachAssignment, Company, Membership, MilestoneStatus


def test_create_company_with_its_five_statuses(factory, client_for, time_machine):
    now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    client = client_for(factory.admin())
    response = client.post("/companies", json={"name": " Acme ", "description": "Robots"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "Acme"
    assert body["description"] == "Robots"
    assert body["joined_at"] == "2026-05-04T12:00:00+00:00"
    assert body["current_milestone"] == "value_baseline"
    statuses = db.session.scalars(
        sa.select(MilestoneStatus)
        .where(MilestoneStatus.company_id == body["id"])
        .order_by(MilestoneStatus.position)
    ).all()
    assert [s.milestone.value for s in statuses] == list(KEYS)
    assert [s.achieved for s in statuses] == [False] * 5
    assert statuses[0].started_at == now
    assert [s.started_at for s in statuses[1:]] == [None] * 4


def test_joined_at_is_the_start_of_value_baseline(factory, client_for):
    client = client_for(factory.admin())
    response = client.post(
        "/companies", json={"name": "Birch", "joined_at": "2025-01-15T08:30:00+01:00"}
    )
    assert response.status_code == 201
    assert response.get_json()["joined_at"] == "2025-01-15T07:30:00+00:00"
    status = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == response.get_json()["id"], MilestoneStatus.position == 0
        )
    )
    assert status.started_at == datetime(2025, 1, 15, 7, 30, tzinfo=UTC)
    naive = client.post("/companies", json={"name": "Naive", "joined_at": "2025-01-15T08:30:00"})
    assert naive.status_code == 422
    assert "joined_at" in naive.get_json()["errors"]["json"]
    # Refused by webargs (the schema) or by the service: one code for a 422 either way.
    assert naive.get_json()["code"] == "validation_error"
    future = client.post("/companies", json={"name": "Later", "joined_at": "2999-01-01T00:00:00Z"})
    assert future.status_code == 422
    assert future.get_json()["code"] == "validation_error"
    assert future.get_json()["errors"] == {"json": {"joined_at": ["In the future."]}}


def test_company_names_are_unique(factory, client_for):
    client = client_for(factory.admin())
    assert client.post("/companies", json={"name": "Acme"}).status_code == 201
    again = client.post("/companies", json={"name": "ACME"})
    assert again.status_code == 409
    assert again.get_json()["code"] == "duplicate_name"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 1
    other = client.post("/companies", json={"name": "Birch"}).get_json()
    assert client.patch(f"/companies/{other['id']}", json={"name": "acme"}).status_code == 409


def test_company_validation(factory, client_for):
    client = client_for(factory.admin())
    for payload, field in [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "founded": "2020"}, "founded"),
        ({"name": "A", "description": 5}, "description"),
    ]:
        response = client.post("/companies", json=payload)
        assert response.status_code == 422, payload
        assert field in response.get_json()["errors"]["json"]


def test_lists_are_scoped_by_role(factory, client_for):
    admin = factory.admin()
    coach = factory.coach()
    other_coach = factory.coach()
    member = factory.member()
    acme = factory.company("Acme", coaches=[coach], members=[member])
    birch = factory.company("Birch", coaches=[coach, other_coach])
    cobalt = factory.company("Cobalt")

    def names(user):
        return [c["name"] for c in client_for(user).get("/companies").get_json()]

    assert names(admin) == ["Acme", "Birch", "Cobalt"]
    assert names(coach) == ["Acme", "Birch"]
    assert names(other_coach) == ["Birch"]
    assert names(member) == ["Acme"]
    listed = client_for(admin).get("/companies?q=bir")
    assert [c["id"] for c in listed.get_json()] == [birch.id]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1
    acme_body = client_for(coach).get(f"/companies/{acme.id}").get_json()
    assert acme_body["coach_ids"] == [coach.id]
    assert acme_body["member_ids"] == [member.id]
    assert client_for(other_coach).get(f"/companies/{acme.id}").status_code == 404
    assert client_for(member).get(f"/companies/{cobalt.id}").status_code == 404
    assert client_for(admin).get("/companies/999999").status_code == 404


def test_current_milestone_follows_achievements(factory, client_for):
    admin = factory.admin()
    company = factory.company("Acme")
    now = datetime.now(UTC)
    for status in company.statuses[:2]:
        status.achieved = True
        status.started_at = status.started_at or now
        status.achieved_at = now
    db.session.commit()
    body = client_for(admin).get(f"/companies/{company.id}").get_json()
    assert body["current_milestone"] == "x_customers"
    for status in company.statuses:
        status.achieved = True
        status.started_at = status.started_at or now
        status.achieved_at = now
    db.session.commit()
    assert client_for(admin).get(f"/companies/{company.id}").get_json()["current_milestone"] is None


def test_patch_company(factory, client_for):
    company = factory.company("Acme", joined_at=datetime(2025, 1, 1, tzinfo=UTC))
    client = client_for(factory.admin())
    response = client.patch(
        f"/companies/{company.id}",
        json={"description": "New text", "joined_at": "2024-12-01T00:00:00Z"},
    )
    assert response.status_code == 200
    assert response.get_json()["description"] == "New text"
    assert response.get_json()["joined_at"] == "2024-12-01T00:00:00+00:00"
    db.session.expire_all()
    first = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == company.id, MilestoneStatus.position == 0
        )
    )
    assert first.started_at == datetime(2024, 12, 1, tzinfo=UTC)


def test_coach_and_member_assignment(factory, client_for):
    admin = factory.admin()
    coach = factory.coach()
    member = factory.member()
    company = factory.company("Acme")
    client = client_for(admin)
    assert client.put(f"/companies/{company.id}/coaches/{coach.id}").status_code == 204
    assert (
        client.put(f"/companies/{company.id}/coaches/{coach.id}").status_code == 204
    )  # idempotent
    assert client.put(f"/companies/{company.id}/members/{member.id}").status_code == 204
    assert db.session.get(CoachAssignment, (company.id, coach.id)) is not None
    assert db.session.get(Membership, (company.id, member.id)) is not None
    assert client_for(coach).get("/auth/me").get_json()["company_ids"] == [company.id]

    wrong = client.put(f"/companies/{company.id}/coaches/{member.id}")
    assert wrong.status_code == 422
    assert wrong.get_json()["code"] == "role_mismatch"
    assert client.put(f"/companies/{company.id}/members/{coach.id}").status_code == 422
    assert client.put(f"/companies/{company.id}/coaches/424242").status_code == 404

    other = factory.company("Birch")
    elsewhere = client.put(f"/companies/{other.id}/members/{member.id}")
    assert elsewhere.status_code == 409
    assert "Acme" in elsewhere.get_json()["message"]

    assert client.delete(f"/companies/{company.id}/coaches/{coach.id}").status_code == 204
    assert client.delete(f"/companies/{company.id}/members/{member.id}").status_code == 204
    db.session.expire_all()
    assert db.session.get(CoachAssignment, (company.id, coach.id)) is None
    assert client_for(coach).get(f"/companies/{company.id}").status_code == 404


def test_only_admins_change_companies(factory, client_for):
    coach = factory.coach()
    member = factory.member()
    company = factory.company("Acme", coaches=[coach], members=[member])
    hidden = factory.company("Hidden")
    for user in (coach, member):
        client = client_for(user)
        assert client.post("/companies", json={"name": "Mine"}).status_code == 403
        assert client.patch(f"/companies/{company.id}", json={"name": "X"}).status_code == 403
        assert client.put(f"/companies/{company.id}/coaches/{coach.id}").status_code == 403
        assert client.delete(f"/companies/{company.id}/members/{member.id}").status_code == 403
        # A company they cannot see stays hidden, whatever the action.
        assert client.patch(f"/companies/{hidden.id}", json={"name": "X"}).status_code == 404
        assert client.put(f"/companies/{hidden.id}/coaches/{coach.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Company, company.id).name == "Acme"


def test_search_takes_like_wildcards_literally(factory, client_for):
    """`q` is a substring: % and _ match themselves, on the company list as on the
    portfolio (the one helper, sql/search.py, escapes them for both)."""
    for name in ("100% Organic", "Snake_Case", "Plain", "Back\\slash"):
        factory.company(name)
    client = client_for(factory.admin())

    def names(path, q):
        response = client.get(path, query_string={"q": q})
        assert response.status_code == 200, response.get_json()
        return sorted(row["name"] for row in response.get_json())

    for path in ("/companies", "/portfolio"):
        assert names(path, "%") == ["100% Organic"], path
        assert names(path, "_") == ["Snake_Case"], path
        assert names(path, "e_c") == ["Snake_Case"], path
        assert names(path, "\\") == ["Back\\slash"], path
        assert names(path, "0% o") == ["100% Organic"], path
        assert names(path, "a") == ["100% Organic", "Back\\slash", "Plain", "Snake_Case"], path
