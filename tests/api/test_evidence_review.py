"""Members propose evidence; an assigned coach accepts or rejects it; only accepted
evidence counts (evidence required to achieve, evidence_count, criteria, portfolio)."""

from __future__ import annotations

import io

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import CompanyStats, Evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LINK = {"evidence_type": "link", "title": "Signed contract", "url": "https://example.com/c"}


def url(world, key="value_baseline"):
    return f"/companies/{world.cid}/milestones/{key}/evidence"


def propose(world, key="value_baseline", **body):
    r = world.client(world.member).post(url(world, key), json={**LINK, **body})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def evidence_count(world, key="value_baseline"):
    statuses = world.statuses()["milestones"]
    return next(s for s in statuses if s["milestone"] == key)["metrics"]["evidence_count"]


def history(world):
    r = world.as_coach.get(f"/companies/{world.cid}/history")
    return [(h["event"], h["evidence_id"], h["reason"]) for h in reversed(r.get_json())]


def test_a_members_proposal_does_not_count_until_accepted(world):
    item = propose(world, criterion="value_proposition")
    assert item["review_status"] == "proposed"
    assert item["created_by"] == world.member.id
    assert item["reviewed_by"] is None and item["reviewed_at"] is None
    # Listed (with its status) but not counted: the toggle still needs evidence.
    listed = world.as_coach.get(url(world)).get_json()
    assert [(e["id"], e["review_status"]) for e in listed] == [(item["id"], "proposed")]
    assert evidence_count(world) == 0
    criterion = world.statuses()["milestones"][0]["criteria"][0]
    assert (criterion["key"], criterion["evidence_count"]) == ("value_proposition", 0)
    r = world.toggle("value_baseline", True)
    assert r.status_code == 422
    assert r.get_json()["code"] == "evidence_required"

    r = world.as_coach.post(f"/evidence/{item['id']}/accept", json={"comment": "Looks right"})
    assert r.status_code == 200, r.get_json()
    accepted = r.get_json()
    assert accepted["review_status"] == "accepted"
    assert accepted["reviewed_by"] == world.coach.id
    assert accepted["reviewed_by_name"] == "Casey Coach"
    assert accepted["review_comment"] == "Looks right"
    assert evidence_count(world) == 1
    criterion = world.statuses()["milestones"][0]["criteria"][0]
    assert criterion["evidence_count"] == 1
    assert world.toggle("value_baseline", True).status_code == 200
    assert history(world) == [
        ("evidence_proposed", item["id"], None),
        ("evidence_accepted", item["id"], "Looks right"),
        ("toggled", None, None),
    ]


def test_rejection_records_the_comment_and_hides_the_item(world):
    item = propose(world)
    r = world.as_coach.post(f"/evidence/{item['id']}/reject", json={"comment": "Unsigned copy"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["review_status"] == "rejected"
    assert r.get_json()["review_comment"] == "Unsigned copy"
    assert world.as_coach.get(url(world)).get_json() == []
    assert evidence_count(world) == 0
    assert world.toggle("value_baseline", True).status_code == 422
    assert history(world) == [
        ("evidence_proposed", item["id"], None),
        ("evidence_rejected", item["id"], "Unsigned copy"),
    ]
    # The member still finds the decision and the comment among the proposals.
    r = world.client(world.member).get(f"/companies/{world.cid}/evidence-proposals")
    assert [(e["id"], e["review_status"], e["review_comment"]) for e in r.get_json()] == [
        (item["id"], "rejected", "Unsigned copy")
    ]
    # Reviewing again: 409 not_pending.
    again = world.as_coach.post(f"/evidence/{item['id']}/accept", json={})
    assert again.status_code == 409
    assert again.get_json()["code"] == "not_pending"


def test_reject_needs_a_comment(world):
    item = propose(world)
    for body in ({}, {"comment": "   "}):
        r = world.as_coach.post(f"/evidence/{item['id']}/reject", json=body)
        assert r.status_code == 422
        assert "comment" in r.get_json()["errors"]["json"]
    r = world.as_coach.post(f"/evidence/{item['id']}/accept", json={"extra": 1})
    assert r.status_code == 422


def test_proposals_list_and_filter(world, time_machine):
    time_machine.move_to("2026-03-01T10:00:00Z", tick=False)
    first = propose(world, title="First")
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    second = propose(world, title="Second")
    world.link("value_baseline", title="Coach's own")  # accepted at once: not a proposal
    world.as_coach.post(f"/evidence/{first['id']}/accept", json={})
    r = world.as_coach.get(f"/companies/{world.cid}/evidence-proposals")
    assert [(e["title"], e["review_status"]) for e in r.get_json()] == [
        ("Second", "proposed"),
        ("First", "accepted"),
    ]
    r = world.as_coach.get(f"/companies/{world.cid}/evidence-proposals?review_status=proposed")
    assert [e["id"] for e in r.get_json()] == [second["id"]]
    r = world.as_coach.get(f"/companies/{world.cid}/evidence-proposals?review_status=maybe")
    assert r.status_code == 422


def test_a_member_cannot_review_remove_others_items_or_toggle(world):
    coach_item = world.link("value_baseline")
    other_member = world.factory.member()
    from milestones.services import companies

    companies.add_member(world.company, other_member.id)
    theirs = world.client(other_member).post(url(world), json=LINK).get_json()
    member = world.client(world.member)
    mine = propose(world)
    for path, body in (
        (f"/evidence/{mine['id']}/accept", {}),
        (f"/evidence/{mine['id']}/reject", {"comment": "no"}),
    ):
        r = member.post(path, json=body)
        assert r.status_code == 403
        assert r.get_json()["message"] == (
            "Only a coach assigned to this company can review or remove evidence."
        )
    assert member.delete(f"/evidence/{coach_item['id']}").status_code == 403
    r = member.delete(f"/evidence/{theirs['id']}")
    assert r.status_code == 403
    assert r.get_json()["message"] == "You can remove only evidence you proposed yourself."
    r = member.put(f"/companies/{world.cid}/milestones/value_baseline", json={"achieved": True})
    assert r.status_code == 403
    # Their own proposed item: removed (soft), recorded.
    assert member.delete(f"/evidence/{mine['id']}").status_code == 204
    # Once accepted, not theirs to remove any more.
    again = propose(world)
    world.as_coach.post(f"/evidence/{again['id']}/accept", json={})
    r = member.delete(f"/evidence/{again['id']}")
    assert r.status_code == 403
    db.session.expire_all()
    removed = db.session.get(Evidence, mine["id"])
    assert removed.removed_at is not None and removed.removed_by_id == world.member.id


def test_member_of_b_gets_404_on_a(world):
    item = propose(world)
    outsider = world.factory.member()
    other = world.factory.company("Other Co", members=[outsider])
    assert other.id != world.cid
    client = world.client(outsider)
    for r in (
        client.post(url(world), json=LINK),
        client.get(f"/companies/{world.cid}/evidence-proposals"),
        client.delete(f"/evidence/{item['id']}"),
        client.post(f"/evidence/{item['id']}/accept", json={}),
        world.client(world.other_coach).post(f"/evidence/{item['id']}/accept", json={}),
    ):
        assert r.status_code == 404
        assert r.get_json()["code"] == "not_found"


def test_a_members_hostile_upload_is_refused_as_a_coachs(world, app):
    member = world.client(world.member)

    def send(client, content, name):
        data = {"file": (io.BytesIO(content), name)}
        return client.post(url(world), data=data, content_type="multipart/form-data")

    html = b"<!doctype html><html><script>alert(1)</script></html>"
    for client in (member, world.as_coach):
        r = send(client, html, "contract.pdf")
        assert r.status_code == 415
        assert r.get_json()["code"] == "file_type_not_allowed"
    app.config["MAX_UPLOAD_MB"] = 1
    try:
        for client in (member, world.as_coach):
            r = send(client, PDF + b"0" * (1024 * 1024 + 1), "big.pdf")
            assert r.status_code == 413
            assert r.get_json()["code"] == "file_too_large"
    finally:
        app.config["MAX_UPLOAD_MB"] = 25
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    r = send(member, PDF, "contract.pdf")
    assert r.status_code == 201
    assert r.get_json()["review_status"] == "proposed"
    assert r.get_json()["attachment"]["content_type"] == "application/pdf"


def test_proposed_evidence_waits_in_pending_approvals_not_in_the_count(world):
    item = propose(world)
    db.session.expire_all()
    stats = db.session.get(CompanyStats, world.cid)
    assert stats.pending_approvals == 1
    world.as_coach.post(f"/evidence/{item['id']}/accept", json={})
    db.session.expire_all()
    assert db.session.get(CompanyStats, world.cid).pending_approvals == 0


def test_removing_a_proposal_is_not_refused_as_the_last_evidence(world):
    world.achieve("value_baseline")
    item = propose(world)
    assert world.as_coach.delete(f"/evidence/{item['id']}").status_code == 204
    listed = world.as_coach.get(url(world)).get_json()
    assert len(listed) == 1 and listed[0]["review_status"] == "accepted"
    r = world.as_coach.delete(f"/evidence/{listed[0]['id']}")
    assert r.status_code == 409
    assert r.get_json()["code"] == "last_evidence"


def test_proposals_in_the_review_queue_and_bulk_review(world, time_machine):
    time_machine.move_to("2026-03-01T10:00:00Z", tick=False)
    first = propose(world, title="Invoice 001", description="Paid on 28 Feb")
    second = propose(world, title="Invoice 002")
    time_machine.move_to("2026-03-04T12:00:00Z", tick=False)
    r = world.as_coach.get("/reviews/pending")
    assert r.status_code == 200, r.get_json()
    items = [i for i in r.get_json() if i["kind"] == "evidence"]
    assert [(i["id"], i["title"], i["excerpt"], i["author_id"], i["age_days"]) for i in items] == [
        (first["id"], "Invoice 001", "Paid on 28 Feb", world.member.id, 3),
        (second["id"], "Invoice 002", "", world.member.id, 3),
    ]
    r = world.as_coach.post(
        "/reviews",
        json={
            "decision": "approve",
            "items": [{"kind": "evidence", "id": first["id"]}, {"kind": "evidence", "id": 999999}],
        },
    )
    assert r.status_code == 200, r.get_json()
    assert [(x["outcome"], x.get("code")) for x in r.get_json()["results"]] == [
        ("approved", None),
        ("error", "not_found"),
    ]
    r = world.as_coach.post(
        "/reviews",
        json={
            "decision": "reject",
            "comment": "Not ours",
            "items": [
                {"kind": "evidence", "id": second["id"]},
                {"kind": "evidence", "id": first["id"]},
            ],
        },
    )
    assert [(x["outcome"], x.get("code")) for x in r.get_json()["results"]] == [
        ("rejected", None),
        ("error", "not_pending"),
    ]
    assert evidence_count(world) == 1
    assert history(world)[-2:] == [
        ("evidence_accepted", first["id"], None),
        ("evidence_rejected", second["id"], "Not ours"),
    ]
    assert [i for i in world.as_coach.get("/reviews/pending").get_json()] == []
