"""Share links: created by admins and assigned coaches, shown once, stored as a hash; the
public page shows only what SPEC lists; revoked, expired and unknown tokens alike."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine

from milestones.extensions import db, limiter
from milestones.models import ShareLink
from tests.factories import Factory

# Near the real clock: a session signed "in the future" of a travelled clock is refused.
T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)


def iso(value: datetime) -> str:
    return value.isoformat()


@pytest.fixture
def world(factory: Factory, client_for: Any) -> dict[str, Any]:
    with time_machine.travel(T0 - timedelta(days=20), tick=False):
        coach = factory.coach(name="Cornelius Coachman", email="cornelius@coach.test")
        member = factory.member(name="Mirabel Memberson", email="mirabel@member.test")
        other_coach = factory.coach()
        admin = factory.admin()
        company = factory.company(
            "Zephyr Robotics",
            description="Warehouse robots",
            coaches=[coach],
            members=[member],
        )
        factory.company("Elsewhere", coaches=[other_coach])
    with time_machine.travel(T0 - timedelta(days=10), tick=False):
        c = client_for(coach)
        assert (
            c.post(
                f"/companies/{company.id}/milestones/value_baseline/evidence",
                json={
                    "evidence_type": "link",
                    "title": "Pricing page",
                    "url": "https://zephyr.example/pricing",
                    "description": "internal notes by Cornelius",
                },
            ).status_code
            == 201
        )
        assert (
            c.post(
                f"/companies/{company.id}/milestones/value_baseline/evidence",
                json={
                    "evidence_type": "metric",
                    "title": "Pilot sites",
                    "metric_value": 3,
                    "metric_unit": "sites",
                },
            ).status_code
            == 201
        )
        assert (
            c.put(
                f"/companies/{company.id}/milestones/value_baseline",
                json={"achieved": True, "reason": "Confidential reason by Cornelius"},
            ).status_code
            == 200
        )
        assert (
            c.post(
                f"/companies/{company.id}/tasks", json={"title": "Secret task title"}
            ).status_code
            == 201
        )
    m = client_for(member)
    assert (
        m.post(f"/companies/{company.id}/updates", json={"body": "Secret update body"}).status_code
        == 201
    )
    return {
        "coach": coach,
        "member": member,
        "admin": admin,
        "other_coach": other_coach,
        "company": company,
        "client": c,
    }


def _create(client: Any, company_id: int, **body: Any) -> Any:
    return client.post(f"/companies/{company_id}/share-links", json={"label": "Board", **body})


def test_create_shows_the_token_once_and_stores_only_its_hash(world: dict[str, Any]) -> None:
    c, company = world["client"], world["company"]
    with time_machine.travel(T0, tick=False):
        created = _create(c, company.id, expires_at=(T0 + timedelta(days=30)).isoformat())
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    token = body["token"]
    assert len(token) == 43  # 32 random bytes, URL-safe base64 without padding
    assert body["url"] == f"http://app.test/shared/{token}"
    assert body["label"] == "Board"
    assert body["created_by"] == world["coach"].id
    assert body["created_at"] == iso(T0)
    assert body["expires_at"] == iso(T0 + timedelta(days=30))
    assert (body["revoked_at"], body["last_viewed_at"], body["view_count"]) == (None, None, 0)
    assert body["for_stakeholders"] is False

    listed = c.get(f"/companies/{company.id}/share-links").get_json()
    assert [link["id"] for link in listed] == [body["id"]]
    assert "token" not in listed[0] and listed[0]["url"] is None

    rows = db.session.execute(sa.select(ShareLink.__table__)).mappings().all()
    stored = json.dumps([dict(r) for r in rows], default=str)
    assert token not in stored
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert rows[0]["salt"] is None


def test_public_page_shows_the_track_and_nothing_of_people(
    world: dict[str, Any], anon: Any
) -> None:
    c, company = world["client"], world["company"]
    token = _create(c, company.id).get_json()["token"]
    with time_machine.travel(T0, tick=False):
        response = anon.get(f"/shared/{token}")
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    body = response.get_json()
    assert body["company"] == {
        "name": "Zephyr Robotics",
        "description": "Warehouse robots",
        "current_milestone": "first_customer",
    }
    track = [(m["milestone"], m["state"], m["days_in_milestone"]) for m in body["milestones"]]
    assert track == [
        ("value_baseline", "achieved", 10),  # joined 20 days before T0, achieved 10 before
        ("first_customer", "current", 10),
        ("x_customers", "upcoming", 0),
        ("ten_x_customers", "upcoming", 0),
        ("one_m_arr", "upcoming", 0),
    ]
    first = body["milestones"][0]
    assert first["achieved_at"] == iso(T0 - timedelta(days=10))
    assert first["evidence"] == [
        {
            "title": "Pricing page",
            "evidence_type": "link",
            "url": "https://zephyr.example/pricing",
            "metric_key": None,
            "metric_value": None,
            "metric_unit": None,
            "created_at": iso(T0 - timedelta(days=10)),
        },
        {
            "title": "Pilot sites",
            "evidence_type": "metric",
            "url": None,
            "metric_key": None,
            "metric_value": 3.0,
            "metric_unit": "sites",
            "created_at": iso(T0 - timedelta(days=10)),
        },
    ]
    assert body["achievements"] == [
        {
            "milestone": "value_baseline",
            "achieved": True,
            "created_at": iso(T0 - timedelta(days=10)),
        }
    ]
    raw = response.get_data(as_text=True)
    for secret in (
        "Cornelius",
        "Coachman",
        "cornelius@coach.test",
        "Mirabel",
        "mirabel@member.test",
        "Confidential reason",
        "Secret task",
        "Secret update",
        "internal notes",
    ):
        assert secret not in raw
    for field in ("created_by", "actor_id", "updated_by", "company_id", "id", "description_"):
        assert f'"{field}"' not in raw
    for value in (world["coach"].id, world["member"].id):
        assert f'"id": {value}' not in raw and f'"id":{value}' not in raw


def test_reasons_only_when_the_link_includes_them(world: dict[str, Any], anon: Any) -> None:
    token = _create(world["client"], world["company"].id, include_reasons=True).get_json()["token"]
    body = anon.get(f"/shared/{token}").get_json()
    assert body["achievements"][0]["reason"] == "Confidential reason by Cornelius"


def test_revoked_expired_and_unknown_tokens_answer_the_same_404(
    world: dict[str, Any], anon: Any
) -> None:
    c, company = world["client"], world["company"]
    with time_machine.travel(T0, tick=False):
        revoked = _create(c, company.id).get_json()
        expiring = _create(c, company.id, expires_at=(T0 + timedelta(hours=1)).isoformat())
        expiring = expiring.get_json()
    assert anon.get(f"/shared/{revoked['token']}").status_code == 200
    assert c.delete(f"/share-links/{revoked['id']}").status_code == 204
    assert c.delete(f"/share-links/{revoked['id']}").status_code == 204  # already revoked
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        answers = [
            anon.get(f"/shared/{token}")
            for token in (revoked["token"], expiring["token"], "x" * 43, "nope", "a" * 500)
        ]
    assert {r.status_code for r in answers} == {404}
    assert len({r.get_data() for r in answers}) == 1
    assert answers[0].get_json()["code"] == "not_shared"
    assert answers[0].headers["Cache-Control"] == "no-store"
    listed = c.get(f"/companies/{company.id}/share-links").get_json()
    assert [link["revoked_at"] is not None for link in listed] == [False, True]


def test_the_page_without_a_token_is_the_unknown_link_404(world: dict[str, Any], anon: Any) -> None:
    """/shared/ is a public route: no token is a link that does not exist (SPEC's 404 for
    unknown tokens, with the page's headers), for anyone, not a 401 asking to sign in."""
    unknown = anon.get("/shared/nope")
    for client in (anon, world["client"]):
        for path in ("/shared/", "/shared"):
            response = client.get(path)
            assert response.status_code == 404, (path, response.get_json())
            assert response.get_data() == unknown.get_data()
            assert response.get_json()["code"] == "not_shared"
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["X-Robots-Tag"] == "noindex"


def test_views_are_counted_with_at_most_one_write_a_minute(
    world: dict[str, Any], anon: Any
) -> None:
    c, company = world["client"], world["company"]
    created = _create(c, company.id).get_json()
    token = created["token"]

    def stored() -> tuple[int, Any]:
        db.session.expire_all()
        link = db.session.get(ShareLink, created["id"])
        assert link is not None
        result = (link.view_count, link.last_viewed_at)
        db.session.rollback()
        return result

    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            assert anon.get(f"/shared/{token}").status_code == 200
    assert stored() == (1, T0)  # the first view wrote; the next two wait in the process
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        assert anon.get(f"/shared/{token}").status_code == 200
    assert stored() == (1, T0)
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert anon.get(f"/shared/{token}").status_code == 200
    assert stored() == (5, T0 + timedelta(seconds=61))
    listed = c.get(f"/companies/{company.id}/share-links").get_json()
    assert listed[0]["view_count"] == 5


def test_the_page_is_throttled_per_address(world: dict[str, Any], anon: Any, app: Any) -> None:
    token = _create(world["client"], world["company"].id).get_json()["token"]
    limiter.reset()
    app.config["SHARE_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [anon.get(f"/shared/{token}").status_code for _ in range(3)]
        throttled = anon.get(f"/shared/{token}")
        other = anon.get(f"/shared/{token}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    finally:
        app.config["SHARE_RATE_LIMIT"] = "60 per minute"
        limiter.reset()
    assert codes == [200, 200, 200]
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.get_json()["code"] == "too_many_requests"
    assert throttled.headers["Cache-Control"] == "no-store"
    assert other.status_code == 200


def test_who_may_manage_links(world: dict[str, Any], client_for: Any, anon: Any) -> None:
    company = world["company"]
    member = client_for(world["member"])
    outsider = client_for(world["other_coach"])
    admin = client_for(world["admin"])
    assert _create(member, company.id).status_code == 403
    assert _create(outsider, company.id).status_code == 404
    assert _create(anon, company.id).status_code == 401
    made = _create(admin, company.id)
    assert made.status_code == 201
    assert member.get(f"/companies/{company.id}/share-links").status_code == 403
    assert outsider.delete(f"/share-links/{made.get_json()['id']}").status_code == 404
    assert member.delete(f"/share-links/{made.get_json()['id']}").status_code == 403


def test_bad_bodies_are_refused(world: dict[str, Any]) -> None:
    c, company = world["client"], world["company"]
    for body, field in (
        ({"label": "x" * 201}, "label"),
        ({"expires_at": "tomorrow"}, "expires_at"),
        ({"expires_at": "2026-03-02T09:00:00"}, "expires_at"),  # no zone
        ({"include_reasons": "perhaps"}, "include_reasons"),
        ({"token": "mine"}, "token"),
    ):
        response = c.post(f"/companies/{company.id}/share-links", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["errors"]["json"]
    with time_machine.travel(T0, tick=False):
        past = _create(c, company.id, expires_at=(T0 - timedelta(minutes=1)).isoformat())
    assert past.status_code == 422
    assert past.get_json()["errors"]["json"]["expires_at"] == ["Must be in the future."]


def test_one_active_stakeholder_link_per_company(world: dict[str, Any], anon: Any) -> None:
    c, company = world["client"], world["company"]
    first = _create(c, company.id, for_stakeholders=True)
    assert first.status_code == 201
    second = _create(c, company.id, for_stakeholders=True)
    assert second.status_code == 409
    assert second.get_json()["code"] == "stakeholder_link_exists"
    token = first.get_json()["token"]
    assert anon.get(f"/shared/{token}").status_code == 200
    row = db.session.scalar(sa.select(ShareLink).where(ShareLink.for_stakeholders))
    assert row is not None and row.salt and token not in (row.salt, row.token_hash)
    db.session.rollback()
    assert c.delete(f"/share-links/{first.get_json()['id']}").status_code == 204
    assert _create(c, company.id, for_stakeholders=True).status_code == 201
