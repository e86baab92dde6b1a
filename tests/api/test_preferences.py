"""Notification preferences: GET/PATCH /auth/me/preferences, and what they stop."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import MilestoneStatus, OutboxMessage, Stakeholder
from milestones.notifications import outbox
from milestones.timeutil import utcnow


def test_defaults_and_changes_for_every_role(factory, client_for, anon):
    for person in (factory.member(), factory.coach(), factory.admin()):
        client = client_for(person)
        assert client.get("/auth/me/preferences").get_json() == {
            "milestone_mail": True,
            "weekly_digest": True,
        }
        r = client.patch("/auth/me/preferences", json={"weekly_digest": False})
        assert r.status_code == 200
        assert r.get_json() == {"milestone_mail": True, "weekly_digest": False}
        r = client.patch("/auth/me/preferences", json={"milestone_mail": False})
        assert r.get_json() == {"milestone_mail": False, "weekly_digest": False}
        assert client.get("/auth/me/preferences").get_json()["milestone_mail"] is False
    assert anon.get("/auth/me/preferences").status_code == 401


def test_each_person_changes_only_their_own(factory, client_for):
    a, b = factory.coach(), factory.coach()
    client_for(a).patch("/auth/me/preferences", json={"milestone_mail": False})
    assert client_for(b).get("/auth/me/preferences").get_json()["milestone_mail"] is True


@pytest.mark.parametrize(
    "body",
    [{"milestone_mail": "perhaps"}, {"weekly_digest": None}, {"email_me": True}, {"role": "admin"}],
)
def test_bad_bodies_are_422_naming_the_field(factory, client_for, body):
    r = client_for(factory.member()).patch("/auth/me/preferences", json=body)
    assert r.status_code == 422, r.get_json()
    assert set(body) <= set(r.get_json()["errors"]["json"])


def test_milestone_mail_off_stops_milestone_mails_to_that_person(factory, client_for):
    coach = factory.coach(email="ada@coach.test")
    member = factory.member(email="mo@acme.test")
    other = factory.member(email="zoe@acme.test")
    company = factory.company("Acme", coaches=[coach], members=[member, other])
    db.session.add(Stakeholder(company_id=company.id, email="mo@acme.test", name="Mo again"))
    db.session.add(Stakeholder(company_id=company.id, email="vc@fund.test", name="VC"))
    db.session.commit()
    assert client_for(member).patch("/auth/me/preferences", json={"milestone_mail": False})
    status = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == company.id, MilestoneStatus.position == 0
        )
    )
    status.achieved = True
    status.achieved_at = status.last_updated = utcnow()
    outbox.enqueue_milestone_change(status, False, coach, "Pilot signed")
    db.session.commit()
    recipients = sorted(db.session.scalars(sa.select(OutboxMessage.recipient)))
    # Mo turned them off (and is not mailed as a stakeholder either); the rest still are.
    assert recipients == ["ada@coach.test", "vc@fund.test", "zoe@acme.test"]
