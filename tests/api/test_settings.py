"""Programme settings: defaults, admin-only changes, validation naming the field."""

from __future__ import annotations

import pytest

from milestones.services import settings as settings_service

DEFAULTS = {
    "stall_factor": 1.5,
    "stall_min_days": 30,
    "stale_review_days": 7,
    "inactive_days": 30,
    "digest_weekday": 1,
    "digest_hour_utc": 8,
    "require_all_criteria": False,
}


def test_everyone_signed_in_reads_the_defaults(factory, client_for, anon):
    for person in (factory.member(), factory.coach(), factory.admin()):
        r = client_for(person).get("/settings")
        assert r.status_code == 200
        assert r.get_json() == DEFAULTS
    assert anon.get("/settings").status_code == 401


def test_admin_changes_some_and_keeps_the_rest(factory, client_for):
    admin = client_for(factory.admin())
    r = admin.patch("/settings", json={"stall_factor": 2, "require_all_criteria": True})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {**DEFAULTS, "stall_factor": 2.0, "require_all_criteria": True}
    r = admin.patch("/settings", json={"digest_weekday": 7, "digest_hour_utc": 0})
    want = {
        **DEFAULTS,
        "stall_factor": 2.0,
        "require_all_criteria": True,
        "digest_weekday": 7,
        "digest_hour_utc": 0,
    }
    assert r.get_json() == want
    assert client_for(factory.coach()).get("/settings").get_json() == want
    assert settings_service.load().digest_weekday == 7


def test_coaches_and_members_may_not_change_them(factory, client_for):
    for person in (factory.coach(), factory.member()):
        r = client_for(person).patch("/settings", json={"stall_min_days": 10})
        assert r.status_code == 403
        assert r.get_json()["code"] == "forbidden"
    assert settings_service.load().stall_min_days == 30


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stall_factor", 0.99),
        ("stall_factor", 10.01),
        ("stall_factor", "NaN"),
        ("stall_min_days", 0),
        ("stall_min_days", 3651),
        ("stall_min_days", 1.5),
        ("stale_review_days", 0),
        ("inactive_days", 3651),
        ("digest_weekday", 0),
        ("digest_weekday", 8),
        ("digest_hour_utc", -1),
        ("digest_hour_utc", 24),
        ("require_all_criteria", "maybe"),
        ("median_days", 3),
    ],
)
def test_out_of_range_is_a_422_naming_the_field(factory, client_for, field, value):
    admin = client_for(factory.admin())
    r = admin.patch("/settings", json={field: value})
    assert r.status_code == 422, r.get_json()
    body = r.get_json()
    assert field in body["errors"]["json"]
    assert field in body["message"]
    assert admin.get("/settings").get_json() == DEFAULTS


def test_bounds_are_inclusive(factory, client_for):
    admin = client_for(factory.admin())
    low = {
        "stall_factor": 1,
        "stall_min_days": 1,
        "stale_review_days": 1,
        "inactive_days": 1,
        "digest_weekday": 1,
        "digest_hour_utc": 0,
    }
    high = {
        "stall_factor": 10,
        "stall_min_days": 3650,
        "stale_review_days": 3650,
        "inactive_days": 3650,
        "digest_weekday": 7,
        "digest_hour_utc": 23,
    }
    for values in (low, high):
        r = admin.patch("/settings", json=values)
        assert r.status_code == 200, r.get_json()
        assert r.get_json() == {**DEFAULTS, **values}


def test_settings_are_read_once_per_request(app, factory):
    from flask import g

    from milestones.extensions import db

    with app.test_request_context():
        first = settings_service.current()
        assert g.get("_programme_settings") is first
        assert settings_service.current() is first
    db.session.rollback()
