"""The review queue (GET /reviews/pending) and bulk decisions (POST /reviews)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import ProgressUpdate, Task, TaskReview, TaskStatus, UpdateStatus
from tests.fixtures.metrics import NOW, add_task, add_update

DAY = timedelta(days=1)


@pytest.fixture
def queue(factory, frozen):
    """Coach A follows Acme and Bolt; coach B follows Cord. Pending items, oldest first:
    Acme update (10 days), Bolt task (3 days 1 hour), Acme task (2 days), Cord update."""
    coach_a, coach_b = factory.coach(name="Ada Coach"), factory.coach(name="Bea Coach")
    member = factory.member(name="Mo Member")
    acme = factory.company("Acme", coaches=[coach_a], members=[member])
    bolt = factory.company("Bolt", coaches=[coach_a])
    cord = factory.company("Cord", coaches=[coach_b])
    items = {
        "acme_update": add_update(
            acme, "value_baseline", UpdateStatus.PENDING, NOW - 10 * DAY, author=member
        ),
        "bolt_task": add_task(
            bolt,
            "value_baseline",
            TaskStatus.SUBMITTED,
            NOW - 3 * DAY - timedelta(hours=1),
            author=coach_a,
        ),
        "acme_task": add_task(
            acme, "value_baseline", TaskStatus.SUBMITTED, NOW - 2 * DAY, author=member
        ),
        "cord_update": add_update(
            cord, "value_baseline", UpdateStatus.PENDING, NOW - 20 * DAY, author=coach_b
        ),
        # Not pending: never listed.
        "acme_open": add_task(acme, "value_baseline", TaskStatus.OPEN, NOW, author=member),
        "acme_done": add_update(
            acme,
            "value_baseline",
            UpdateStatus.APPROVED,
            NOW - DAY,
            author=member,
            reviewed=NOW,
        ),
    }
    acme_update = items["acme_update"]
    acme_update.body = "We signed our first pilot.\nDetails follow " + "x" * 400
    db.session.commit()
    ids = {name: row.id for name, row in items.items()}
    return coach_a, coach_b, member, acme, bolt, cord, ids


def test_queue_oldest_first_with_author_and_age(queue, client_for):
    coach_a, _, member, acme, bolt, _, ids = queue
    r = client_for(coach_a).get("/reviews/pending")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert json.loads(r.headers["X-Pagination"])["total"] == 3
    first = body[0]
    assert first == {
        "kind": "update",
        "id": ids["acme_update"],
        "company_id": acme.id,
        "company_name": "Acme",
        "milestone": "value_baseline",
        "title": ("We signed our first pilot.\nDetails follow " + "x" * 400)[:120],
        "excerpt": ("We signed our first pilot.\nDetails follow " + "x" * 400)[:280],
        "author_id": member.id,
        "author_name": "Mo Member",
        "submitted_at": (NOW - 10 * DAY).isoformat(),
        "age_days": 10,
    }
    assert [
        (i["kind"], i["id"], i["company_name"], i["author_name"], i["age_days"]) for i in body
    ] == [
        ("update", ids["acme_update"], "Acme", "Mo Member", 10),
        ("task", ids["bolt_task"], "Bolt", "Ada Coach", 3),
        ("task", ids["acme_task"], "Acme", "Mo Member", 2),
    ]
    assert body[1]["title"] == "value_baseline submitted" and body[1]["company_id"] == bolt.id


def test_scope_admin_reads_all_members_refused(queue, client_for, factory, anon):
    _coach_a, coach_b, member, *_rest, ids = queue
    r = client_for(coach_b).get("/reviews/pending")
    assert [(i["kind"], i["id"]) for i in r.get_json()] == [("update", ids["cord_update"])]
    r = client_for(factory.admin()).get("/reviews/pending", query_string={"page_size": 2})
    assert [i["id"] for i in r.get_json()] == [ids["cord_update"], ids["acme_update"]]
    assert json.loads(r.headers["X-Pagination"])["total"] == 4
    r = client_for(member).get("/reviews/pending")
    assert r.status_code == 403 and r.get_json()["code"] == "forbidden"
    assert anon.get("/reviews/pending").status_code == 401


def test_empty_queue_and_pages(factory, client_for):
    coach = factory.coach()
    r = client_for(coach).get("/reviews/pending")
    assert r.status_code == 200 and r.get_json() == []
    assert json.loads(r.headers["X-Pagination"])["total"] == 0
    assert client_for(coach).get("/reviews/pending?page_size=500").status_code == 422


def _post(client, decision, items, comment=None):
    body = {"decision": decision, "items": items}
    if comment is not None:
        body["comment"] = comment
    return client.post("/reviews", json=body)


def test_mixed_batch_in_order(queue, client_for):
    coach_a, *_rest, ids = queue
    client = client_for(coach_a)
    # A task of coach B's company and a missing one answer alike: not_found, same message.
    items = [
        {"kind": "task", "id": ids["acme_task"]},
        {"kind": "update", "id": ids["acme_update"]},
        {"kind": "task", "id": ids["acme_open"]},
        {"kind": "update", "id": ids["cord_update"]},
        {"kind": "update", "id": 987654},
        {"kind": "task", "id": ids["acme_task"]},  # the same again: no longer pending
    ]
    r = _post(client, "approve", items)
    assert r.status_code == 200, r.get_json()
    results = r.get_json()["results"]
    assert [(x["kind"], x["id"], x["outcome"], x.get("code")) for x in results] == [
        ("task", ids["acme_task"], "approved", None),
        ("update", ids["acme_update"], "approved", None),
        ("task", ids["acme_open"], "error", "not_pending"),
        ("update", ids["cord_update"], "error", "not_found"),
        ("update", 987654, "error", "not_found"),
        ("task", ids["acme_task"], "error", "not_pending"),
    ]
    assert results[3]["message"] == results[4]["message"] == "Progress update not found."
    assert "open" in results[2]["message"]
    db.session.expire_all()
    assert db.session.get(Task, ids["acme_task"]).status == TaskStatus.APPROVED
    assert db.session.get(ProgressUpdate, ids["acme_update"]).status == UpdateStatus.APPROVED
    assert db.session.get(ProgressUpdate, ids["cord_update"]).status == UpdateStatus.PENDING
    reviews = db.session.scalars(sa.select(TaskReview)).all()
    assert [(rv.task_id, rv.decision.value, rv.reviewer_id) for rv in reviews] == [
        (ids["acme_task"], "approved", coach_a.id)
    ]
    remaining = client.get("/reviews/pending").get_json()
    assert [(i["kind"], i["id"]) for i in remaining] == [("task", ids["bolt_task"])]


def test_reject_needs_a_comment_and_records_it(queue, client_for):
    coach_a, *_rest, ids = queue
    client = client_for(coach_a)
    items = [{"kind": "task", "id": ids["bolt_task"]}, {"kind": "update", "id": ids["acme_update"]}]
    for comment in (None, "", "   "):
        r = _post(client, "reject", items, comment)
        assert r.status_code == 422, r.get_json()
        assert "comment" in r.get_json()["errors"]["json"]
    db.session.expire_all()
    assert db.session.get(Task, ids["bolt_task"]).status == TaskStatus.SUBMITTED
    r = _post(client, "reject", items, "Needs numbers")
    assert [x["outcome"] for x in r.get_json()["results"]] == ["rejected", "rejected"]
    db.session.expire_all()
    task = db.session.get(Task, ids["bolt_task"])
    assert (task.status, task.last_review_comment) == (TaskStatus.OPEN, "Needs numbers")
    update = db.session.get(ProgressUpdate, ids["acme_update"])
    assert (update.status, update.review_comment) == (UpdateStatus.REJECTED, "Needs numbers")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "approve", "items": []}, "items"),
        ({"decision": "approve", "items": [{"kind": "task", "id": 1}] * 101}, "items"),
        ({"decision": "maybe", "items": [{"kind": "task", "id": 1}]}, "decision"),
        ({"decision": "approve", "items": [{"kind": "memo", "id": 1}]}, "items"),
        ({"decision": "approve", "items": [{"kind": "task", "id": "1"}]}, "items"),
        ({"decision": "approve", "items": [{"kind": "task", "id": 2**31}]}, "items"),
        ({"decision": "approve", "items": [{"kind": "task", "id": 1, "x": 1}]}, "items"),
        ({"items": [{"kind": "task", "id": 1}]}, "decision"),
        ({"decision": "approve", "items": [{"kind": "task", "id": 1}], "extra": 1}, "extra"),
    ],
)
def test_bad_bodies_name_the_field(factory, client_for, body, field):
    r = client_for(factory.coach()).post("/reviews", json=body)
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["errors"]["json"]


def test_one_hundred_items_are_accepted(queue, client_for):
    coach_a, *_rest, ids = queue
    items = [{"kind": "task", "id": ids["bolt_task"]}] * 100
    r = _post(client_for(coach_a), "approve", items)
    outcomes = [x["outcome"] for x in r.get_json()["results"]]
    assert outcomes == ["approved"] + ["error"] * 99


def test_admins_and_members_get_403(queue, client_for, factory):
    *_rest, member, _acme, _bolt, _cord, ids = queue
    items = [{"kind": "task", "id": ids["acme_task"]}]
    for person in (factory.admin(), member):
        r = _post(client_for(person), "approve", items)
        assert r.status_code == 403 and r.get_json()["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Task, ids["acme_task"]).status == TaskStatus.SUBMITTED


def test_a_failure_in_item_three_leaves_one_and_two_reviewed(queue, client_for, monkeypatch):
    import dataclasses

    from sqlalchemy.exc import OperationalError

    from milestones.services import reviews

    coach_a, *_rest, ids = queue
    real = reviews.KINDS["task"]
    calls = []

    def flaky(actor, item_id, comment):
        calls.append(item_id)
        if len(calls) == 2:  # the third item of the batch, the second task
            raise OperationalError("UPDATE tasks", {}, Exception("connection reset"))
        return real.approve(actor, item_id, comment)

    monkeypatch.setitem(reviews.KINDS, "task", dataclasses.replace(real, approve=flaky))
    items = [
        {"kind": "task", "id": ids["acme_task"]},
        {"kind": "update", "id": ids["acme_update"]},
        {"kind": "task", "id": ids["bolt_task"]},
    ]
    r = _post(client_for(coach_a), "approve", items)
    assert r.status_code == 200
    results = r.get_json()["results"]
    assert [x["outcome"] for x in results] == ["approved", "approved", "error"]
    assert results[2]["code"] == "internal_error"
    db.session.expire_all()
    assert db.session.get(Task, ids["acme_task"]).status == TaskStatus.APPROVED
    assert db.session.get(ProgressUpdate, ids["acme_update"]).status == UpdateStatus.APPROVED
    assert db.session.get(Task, ids["bolt_task"]).status == TaskStatus.SUBMITTED
