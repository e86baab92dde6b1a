"""401/403/404 for every foundation route and role (SPEC.md, Access rules)."""

import pytest

ROLES = ["anonymous", "member_a", "member_b", "coach_a", "coach_b", "admin"]

# (method, path template, body, {role: expected status})
MATRIX = [
    ("GET", "/auth/me", None, {"anonymous": 401, "*": 200}),
    ("POST", "/auth/logout", None, {"anonymous": 401, "*": 204}),
    ("GET", "/healthz", None, {"*": 200}),
    ("GET", "/users", None, {"anonymous": 401, "admin": 200, "*": 403}),
    (
        "POST",
        "/users",
        {"email": "new@example.test", "name": "New", "role": "coach"},
        {"anonymous": 401, "admin": 201, "*": 403},
    ),
    ("GET", "/users/{member_a}", None, {"anonymous": 401, "admin": 200, "*": 403}),
    ("PATCH", "/users/{member_a}", {"name": "R"}, {"anonymous": 401, "admin": 200, "*": 403}),
    ("GET", "/companies", None, {"anonymous": 401, "*": 200}),
    ("POST", "/companies", {"name": "New Co"}, {"anonymous": 401, "admin": 201, "*": 403}),
    (
        "GET",
        "/companies/{a}",
        None,
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "*": 200},
    ),
    (
        "PATCH",
        "/companies/{a}",
        {"description": "x"},
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "admin": 200, "*": 403},
    ),
    (
        "PUT",
        "/companies/{a}/coaches/{coach_b}",
        None,
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "admin": 204, "*": 403},
    ),
    (
        "DELETE",
        "/companies/{a}/coaches/{coach_a}",
        None,
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "admin": 204, "*": 403},
    ),
    (
        "PUT",
        "/companies/{a}/members/{spare_member}",
        None,
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "admin": 204, "*": 403},
    ),
    (
        "DELETE",
        "/companies/{a}/members/{member_a}",
        None,
        {"anonymous": 401, "member_b": 404, "coach_b": 404, "admin": 204, "*": 403},
    ),
]


@pytest.fixture
def world(factory, client_for, anon):
    people = {
        "member_a": factory.member(),
        "member_b": factory.member(),
        "coach_a": factory.coach(),
        "coach_b": factory.coach(),
        "admin": factory.admin(),
        "spare_member": factory.member(),
    }
    a = factory.company("Company A", coaches=[people["coach_a"]], members=[people["member_a"]])
    b = factory.company("Company B", coaches=[people["coach_b"]], members=[people["member_b"]])
    ids = {name: user.id for name, user in people.items()} | {"a": a.id, "b": b.id}
    clients = {"anonymous": anon} | {
        role: client_for(people[role]) for role in ROLES if role != "anonymous"
    }
    return ids, clients


@pytest.mark.parametrize(("method", "template", "body", "expected"), MATRIX)
def test_access(world, method, template, body, expected):
    ids, clients = world
    # Refused callers first, the admin (whose writes succeed) last: one world serves all roles.
    for role in ROLES:
        response = clients[role].open(method, template.format(**ids), json=body)
        want = expected.get(role, expected.get("*"))
        assert response.status_code == want, (role, response.get_json())
        if want >= 400:
            error = response.get_json()
            assert error["status"] == want
            assert error["code"] and error["message"]
            assert "Company A" not in response.get_data(as_text=True)
