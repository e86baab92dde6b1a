"""Cohorts: CRUD rules (unique name, dates, 409 on delete with companies), who reads which,
and cohort_id on companies."""

from __future__ import annotations

import pytest

from tests.reporting.world import build


@pytest.fixture
def world(factory, frozen):
    return build(factory)


def test_admin_lists_every_cohort_with_its_company_count(world, client_for):
    r = client_for(world.admin).get("/cohorts")
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == [
        {
            "id": world.c2024.id,
            "name": "Cohort 2024",
            "starts_on": "2024-01-15",
            "ends_on": "2024-06-30",
            "company_count": 3,
        },
        {
            "id": world.c2025.id,
            "name": "Cohort 2025",
            "starts_on": "2025-01-15",
            "ends_on": None,
            "company_count": 2,
        },
        {
            "id": world.empty.id,
            "name": "Empty 2026",
            "starts_on": "2026-02-01",
            "ends_on": None,
            "company_count": 0,
        },
    ]


def test_others_read_only_the_cohorts_of_their_companies(world, client_for):
    coach_b = client_for(world.coach_b).get("/cohorts").get_json()
    assert [(c["name"], c["company_count"]) for c in coach_b] == [("Cohort 2025", 1)]
    coach_a = client_for(world.coach_a).get("/cohorts").get_json()
    assert [(c["name"], c["company_count"]) for c in coach_a] == [
        ("Cohort 2024", 3),
        ("Cohort 2025", 1),
    ]
    member = client_for(world.member).get("/cohorts").get_json()
    assert [(c["name"], c["company_count"]) for c in member] == [("Cohort 2024", 1)]


def test_create_patch_delete(world, client_for):
    admin = client_for(world.admin)
    r = admin.post("/cohorts", json={"name": "  Autumn 2026 ", "starts_on": "2026-09-01"})
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created == {
        "id": created["id"],
        "name": "Autumn 2026",
        "starts_on": "2026-09-01",
        "ends_on": None,
        "company_count": 0,
    }
    r = admin.patch(f"/cohorts/{created['id']}", json={"ends_on": "2026-12-15"})
    assert r.status_code == 200 and r.get_json()["ends_on"] == "2026-12-15"
    r = admin.patch(f"/cohorts/{world.c2024.id}", json={"name": "Spring 2024"})
    assert r.get_json()["name"] == "Spring 2024" and r.get_json()["company_count"] == 3
    assert admin.delete(f"/cohorts/{created['id']}").status_code == 204
    assert [c["name"] for c in admin.get("/cohorts").get_json()] == [
        "Spring 2024",
        "Cohort 2025",
        "Empty 2026",
    ]


def test_names_are_unique_whatever_the_case(world, client_for):
    admin = client_for(world.admin)
    r = admin.post("/cohorts", json={"name": "cohort 2024", "starts_on": "2026-01-01"})
    assert r.status_code == 409
    assert r.get_json()["code"] == "duplicate_name" and "cohort 2024" in r.get_json()["message"]
    r = admin.patch(f"/cohorts/{world.c2025.id}", json={"name": "COHORT 2024"})
    assert r.status_code == 409 and r.get_json()["code"] == "duplicate_name"
    # Renaming a cohort to its own name (another case) is not a clash.
    r = admin.patch(f"/cohorts/{world.c2025.id}", json={"name": "cohort 2025"})
    assert r.status_code == 200 and r.get_json()["name"] == "cohort 2025"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "X", "starts_on": "2026-05-01", "ends_on": "2026-04-30"}, "ends_on"),
        ({"name": "X", "starts_on": "2026-02-30"}, "starts_on"),
        ({"name": "X", "starts_on": "yesterday"}, "starts_on"),
        ({"name": "X"}, "starts_on"),
        ({"name": " ", "starts_on": "2026-05-01"}, "name"),
        ({"name": "X" * 201, "starts_on": "2026-05-01"}, "name"),
        ({"name": "X", "starts_on": "2026-05-01", "colour": "red"}, "colour"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(world, client_for, body, field):
    r = client_for(world.admin).post("/cohorts", json=body)
    assert r.status_code == 422, r.get_json()
    assert field in str(r.get_json()["errors"]), r.get_json()


def test_patch_checks_dates_against_what_is_stored(world, client_for):
    r = client_for(world.admin).patch(
        f"/cohorts/{world.c2024.id}", json={"starts_on": "2024-07-01"}
    )
    assert r.status_code == 422 and "ends_on" in str(r.get_json()["errors"])


def test_a_cohort_with_companies_cannot_be_deleted(world, client_for):
    admin = client_for(world.admin)
    r = admin.delete(f"/cohorts/{world.c2025.id}")
    assert r.status_code == 409
    body = r.get_json()
    assert body["code"] == "cohort_not_empty" and "2 companies" in body["message"]
    assert admin.delete("/cohorts/987654").status_code == 404


def test_only_admins_write(world, client_for):
    for person in (world.coach_a, world.member):
        client = client_for(person)
        assert (
            client.post("/cohorts", json={"name": "X", "starts_on": "2026-01-01"}).status_code
            == 403
        )
        assert client.patch(f"/cohorts/{world.c2024.id}", json={"name": "Y"}).status_code == 403
        assert client.delete(f"/cohorts/{world.empty.id}").status_code == 403


def test_companies_carry_their_cohort(world, client_for):
    admin = client_for(world.admin)
    r = admin.post("/companies", json={"name": "Newco", "cohort_id": world.c2025.id})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["cohort_id"] == world.c2025.id
    company_id = r.get_json()["id"]
    r = admin.patch(f"/companies/{company_id}", json={"cohort_id": world.empty.id})
    assert r.status_code == 200 and r.get_json()["cohort_id"] == world.empty.id
    assert admin.get(f"/companies/{world.n.id}").get_json()["cohort_id"] is None
    r = admin.patch(f"/companies/{company_id}", json={"cohort_id": None})
    assert r.status_code == 200 and r.get_json()["cohort_id"] is None
    for bad in (987654, 2**40, "two"):
        r = admin.patch(f"/companies/{company_id}", json={"cohort_id": bad})
        assert r.status_code == 422 and "cohort_id" in str(r.get_json()["errors"]), bad
    r = admin.post("/companies", json={"name": "Other", "cohort_id": 987654})
    assert r.status_code == 422 and r.get_json()["code"] == "unknown_cohort"
