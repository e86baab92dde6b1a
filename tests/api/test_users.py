"""People: admin-only management."""

import json

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import User


def test_admin_creates_a_user(factory, client_for):
    client = client_for(factory.admin())
    response = client.post(
        "/users",
        json={
            "email": "  New.Coach@Example.TEST ",
            "name": " New Coach ",
            "role": "coach",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "new.coach@example.test"
    assert body["name"] == "New Coach"
    assert body["role"] == "coach"
    assert body["active"] is True
    assert body["company_ids"] == []
    assert set(body) >= {"id", "email", "name", "role", "company_ids", "active"}
    assert "password" not in body
    stored = db.session.get(User, body["id"])
    assert stored.password_hash.startswith("$argon2")


def test_user_without_password_is_invited(factory, client_for):
    client = client_for(factory.admin())
    response = client.post(
        "/users", json={"email": "invitee@example.test", "name": "Invitee", "role": "member"}
    )
    assert response.status_code == 201
    stored = db.session.get(User, response.get_json()["id"])
    assert stored.password_hash is None


def test_validation_errors_name_the_field(factory, client_for):
    client = client_for(factory.admin())
    good = {"email": "x@example.test", "name": "X", "role": "coach"}
    cases = [
        ({**good, "nickname": "x"}, "nickname", "Unknown field."),
        ({**good, "email": "not-an-email"}, "email", "Not a valid email address."),
        ({**good, "role": "superuser"}, "role", "Must be one of: admin, coach, member."),
        ({**good, "name": "   "}, "name", "Must not be blank."),
        ({**good, "password": "short"}, "password", "Length must be between 10 and 256."),
        ({k: v for k, v in good.items() if k != "email"}, "email", "Missing data"),
        ({**good, "name": "bad\x07name"}, "name", "control characters"),
        ({**good, "name": "bad\x00name"}, "name", "NUL characters"),
    ]
    for payload, field, message in cases:
        response = client.post("/users", json=payload)
        assert response.status_code == 422, payload
        body = response.get_json()
        assert body["code"] == "validation_error"
        assert field in body["errors"]["json"], body
        assert message in json.dumps(body["errors"]["json"][field]), body
        assert field in body["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_duplicate_email_is_a_conflict(factory, client_for):
    admin = factory.admin()
    existing = factory.coach(email="taken@example.test")
    client = client_for(admin)
    response = client.post(
        "/users", json={"email": "TAKEN@example.test", "name": "Again", "role": "coach"}
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate_email"
    assert "taken@example.test" in response.get_json()["message"]
    other = factory.coach()
    patch = client.patch(f"/users/{other.id}", json={"email": existing.email})
    assert patch.status_code == 409


def test_list_is_paginated_and_filterable(factory, client_for):
    admin = factory.admin(name="Zed Admin")
    for i in range(3):
        factory.coach(name=f"Coach {i}")
    factory.member(name="Mia Member")
    client = client_for(admin)
    page = client.get("/users?page=1&page_size=2")
    assert page.status_code == 200
    assert [u["name"] for u in page.get_json()] == ["Coach 0", "Coach 1"]
    pagination = json.loads(page.headers["X-Pagination"])
    assert pagination["total"] == 5
    assert pagination["total_pages"] == 3
    coaches = client.get("/users?role=coach").get_json()
    assert [u["role"] for u in coaches] == ["coach"] * 3
    found = client.get("/users?q=mia").get_json()
    assert [u["name"] for u in found] == ["Mia Member"]
    assert client.get("/users?role=boss").status_code == 422
    assert client.get("/users?page_size=1000").status_code == 422


def test_search_takes_like_wildcards_literally(factory, client_for):
    """`q` on /users is a substring of the name or the e-mail, its % and _ matching
    themselves (sql/search.py, as /companies and the portfolio)."""
    admin = factory.admin(name="Ada Admin", email="ada@example.test")
    factory.coach(name="100% Coach", email="hundred@example.test")
    factory.member(name="Mia Member", email="mia_member@example.test")
    factory.member(name="Plain Person", email="plain@example.test")
    client = client_for(admin)

    def names(q):
        response = client.get("/users", query_string={"q": q})
        assert response.status_code == 200, response.get_json()
        return sorted(u["name"] for u in response.get_json())

    assert names("%") == ["100% Coach"]
    assert names("_") == ["Mia Member"]  # the underscore of mia_member@
    assert names("a_m") == ["Mia Member"]
    assert names("0% c") == ["100% Coach"]
    assert names("MIA") == ["Mia Member"]
    assert names("example") == ["100% Coach", "Ada Admin", "Mia Member", "Plain Person"]


def test_get_and_patch_a_user(factory, client_for):
    admin = factory.admin()
    coach = factory.coach(name="Old Name")
    client = client_for(admin)
    assert client.get(f"/users/{coach.id}").get_json()["name"] == "Old Name"
    response = client.patch(f"/users/{coach.id}", json={"name": "New Name"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "New Name"
    assert client.get("/users/99999").status_code == 404
    assert client.patch(f"/users/{coach.id}", json={"role": "owner"}).status_code == 422


def test_role_change_refused_while_assigned(factory, client_for):
    admin = factory.admin()
    coach = factory.coach()
    factory.company(coaches=[coach])
    response = client_for(admin).patch(f"/users/{coach.id}", json={"role": "member"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "role_in_use"


def test_admin_cannot_deactivate_themselves(factory, client_for):
    admin = factory.admin()
    response = client_for(admin).patch(f"/users/{admin.id}", json={"active": False})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, admin.id).active is True


def test_only_admins_manage_people(factory, client_for, anon):
    coach = factory.coach()
    member = factory.member()
    factory.company(coaches=[coach], members=[member])
    for user in (coach, member):
        client = client_for(user)
        assert client.get("/users").status_code == 403
        assert client.get(f"/users/{user.id}").status_code == 403
        denied = client.post("/users", json={"email": "e@x.test", "name": "E", "role": "admin"})
        assert denied.status_code == 403
        assert denied.get_json()["code"] == "forbidden"
        assert client.patch(f"/users/{user.id}", json={"role": "admin"}).status_code == 403
    assert anon.get("/users").status_code == 401
    assert db.session.scalar(sa.select(User.role).where(User.id == coach.id)).value == "coach"
