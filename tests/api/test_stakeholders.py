"""Stakeholder lists per company: admins and the company's coaches only."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Stakeholder
from tests.factories import Factory


@pytest.fixture
def setup(factory: Factory) -> dict[str, Any]:
    coach = factory.coach()
    stranger_coach = factory.coach()
    member = factory.member()
    admin = factory.admin()
    company = factory.company("Acme", coaches=[coach], members=[member])
    other = factory.company("Other", coaches=[stranger_coach])
    return {
        "coach": coach,
        "stranger_coach": stranger_coach,
        "member": member,
        "admin": admin,
        "company": company,
        "other": other,
    }


def test_coach_adds_lists_and_removes(setup: dict[str, Any], client_for: Any) -> None:
    company = setup["company"]
    coach = client_for(setup["coach"])
    created = coach.post(
        f"/companies/{company.id}/stakeholders",
        json={"email": "  Investor@Fund.TEST ", "name": " Ivy Investor "},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["email"] == "investor@fund.test"
    assert body["name"] == "Ivy Investor"
    assert body["subscribed"] is True
    assert isinstance(body["id"], int)
    second = coach.post(f"/companies/{company.id}/stakeholders", json={"email": "a@partner.test"})
    assert second.status_code == 201
    assert second.get_json()["name"] == ""

    listed = coach.get(f"/companies/{company.id}/stakeholders")
    assert listed.status_code == 200
    assert [s["email"] for s in listed.get_json()] == ["a@partner.test", "investor@fund.test"]
    assert set(listed.get_json()[0]) >= {"id", "email", "name", "subscribed"}

    removed = coach.delete(f"/stakeholders/{body['id']}")
    assert removed.status_code == 204
    assert [s["email"] for s in coach.get(f"/companies/{company.id}/stakeholders").get_json()] == [
        "a@partner.test"
    ]
    assert coach.delete(f"/stakeholders/{body['id']}").status_code == 404


def test_admin_manages_any_company(setup: dict[str, Any], client_for: Any) -> None:
    admin = client_for(setup["admin"])
    company = setup["other"]
    created = admin.post(f"/companies/{company.id}/stakeholders", json={"email": "x@fund.test"})
    assert created.status_code == 201
    assert [s["email"] for s in admin.get(f"/companies/{company.id}/stakeholders").get_json()] == [
        "x@fund.test"
    ]
    assert admin.delete(f"/stakeholders/{created.get_json()['id']}").status_code == 204


def test_one_address_once_per_company(setup: dict[str, Any], client_for: Any) -> None:
    company, other = setup["company"], setup["other"]
    admin = client_for(setup["admin"])
    assert (
        admin.post(f"/companies/{company.id}/stakeholders", json={"email": "a@f.test"}).status_code
        == 201
    )
    again = admin.post(f"/companies/{company.id}/stakeholders", json={"email": "A@F.test"})
    assert again.status_code == 409
    assert again.get_json()["code"] == "duplicate_stakeholder"
    # The same address may follow another company.
    assert (
        admin.post(f"/companies/{other.id}/stakeholders", json={"email": "a@f.test"}).status_code
        == 201
    )


def test_unsubscribed_address_is_not_resubscribed_by_staff(
    setup: dict[str, Any], client_for: Any
) -> None:
    company = setup["company"]
    admin = client_for(setup["admin"])
    created = admin.post(f"/companies/{company.id}/stakeholders", json={"email": "a@f.test"})
    db.session.execute(
        sa.update(Stakeholder)
        .where(Stakeholder.id == created.get_json()["id"])
        .values(subscribed=False)
    )
    db.session.commit()
    listed = admin.get(f"/companies/{company.id}/stakeholders").get_json()
    assert listed[0]["subscribed"] is False
    again = admin.post(f"/companies/{company.id}/stakeholders", json={"email": "a@f.test"})
    assert again.status_code == 409
    assert again.get_json()["code"] == "stakeholder_unsubscribed"
    # Removing and adding again is the deliberate way back.
    assert admin.delete(f"/stakeholders/{created.get_json()['id']}").status_code == 204
    readded = admin.post(f"/companies/{company.id}/stakeholders", json={"email": "a@f.test"})
    assert readded.status_code == 201 and readded.get_json()["subscribed"] is True


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-address"},
        {"email": ""},
        {"email": "a@f.test", "unknown": 1},
        {"email": "a@f.test", "name": "x" * 201},
        {"email": "a@f.test", "name": "bad\u0007name"},
        {"email": ["a@f.test"]},
    ],
)
def test_bad_bodies_are_422(setup: dict[str, Any], client_for: Any, body: dict[str, Any]) -> None:
    coach = client_for(setup["coach"])
    response = coach.post(f"/companies/{setup['company'].id}/stakeholders", json=body)
    assert response.status_code == 422
    assert response.get_json()["code"] and response.get_json()["errors"]
    assert db.session.scalar(sa.select(sa.func.count(Stakeholder.id))) == 0


def test_access_rules(setup: dict[str, Any], client_for: Any, anon: Any) -> None:
    company = setup["company"]
    stakeholder = Stakeholder(company_id=company.id, email="s@f.test")
    db.session.add(stakeholder)
    db.session.commit()
    path = f"/companies/{company.id}/stakeholders"

    assert anon.get(path).status_code == 401
    assert anon.post(path, json={"email": "n@f.test"}).status_code == 401
    assert anon.delete(f"/stakeholders/{stakeholder.id}").status_code == 401

    member = client_for(setup["member"])  # sees the company, may not manage: 403
    for response in (
        member.get(path),
        member.post(path, json={"email": "n@f.test"}),
        member.delete(f"/stakeholders/{stakeholder.id}"),
    ):
        assert response.status_code == 403
        assert response.get_json()["code"] == "forbidden"

    stranger = client_for(setup["stranger_coach"])  # does not see it: 404
    for response in (
        stranger.get(path),
        stranger.post(path, json={"email": "n@f.test"}),
        stranger.delete(f"/stakeholders/{stakeholder.id}"),
    ):
        assert response.status_code == 404
        assert response.get_json()["code"] == "not_found"
    assert client_for(setup["admin"]).get("/companies/99999/stakeholders").status_code == 404

    # Writes need the CSRF header.
    coach = client_for(setup["coach"])
    no_csrf = coach.post(path, json={"email": "n@f.test"}, headers={"X-CSRF-Token": "wrong"})
    assert no_csrf.status_code == 403 and no_csrf.get_json()["code"] == "csrf_failed"

    db.session.expire_all()
    emails = db.session.scalars(sa.select(Stakeholder.email)).all()
    assert emails == ["s@f.test"]
