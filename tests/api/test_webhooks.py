"""Webhooks against a real HTTP receiver on 127.0.0.1: queued in the transaction of the
change, signed (checked with the standardwebhooks package), retried, never redirected,
turned off after 20 failures in a row; addresses checked when saved and when sent."""

from __future__ import annotations

import json
import logging
import socket
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from standardwebhooks import Webhook as Verifier

from milestones.extensions import db
from milestones.models import (
    DeliveryStatus,
    OutboxMessage,
    Webhook,
    WebhookDelivery,
)
from milestones.timeutil import utcnow
from milestones.webhooks import sender
from tests.factories import Factory
from tests.fixtures.webhooks import Receiver

MILESTONE_EVENTS = ["milestone.achieved", "milestone.reverted"]


@pytest.fixture
def allow_private(app: Any) -> Any:
    app.config["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = True
    yield
    app.config["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] = False


@pytest.fixture
def world(factory: Factory, client_for: Any) -> dict[str, Any]:
    admin = factory.admin(name="Ada Admin", email="ada@admin.test")
    coach = factory.coach(name="Cleo Coach")
    member = factory.member()
    company = factory.company("Hooked Ltd", coaches=[coach], members=[member])
    return {
        "admin": client_for(admin),
        "coach": client_for(coach),
        "member": client_for(member),
        "company": company,
        "coach_user": coach,
    }


def _hook(admin: Any, url: str, events: list[str] | None = None) -> dict[str, Any]:
    response = admin.post("/webhooks", json={"url": url, "events": events or MILESTONE_EVENTS})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _achieve(coach: Any, company_id: int) -> None:
    assert (
        coach.post(
            f"/companies/{company_id}/milestones/value_baseline/evidence",
            json={"evidence_type": "link", "title": "Deck", "url": "https://example.com/deck"},
        ).status_code
        == 201
    )
    response = coach.put(
        f"/companies/{company_id}/milestones/value_baseline",
        json={"achieved": True, "reason": "Clear proposition"},
    )
    assert response.status_code == 200, response.get_json()


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    rows = list(db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)))
    return rows


def test_a_toggle_is_delivered_signed(
    world: dict[str, Any], receiver: Receiver, allow_private: Any, caplog: Any
) -> None:
    admin, company = world["admin"], world["company"]
    hook = _hook(admin, receiver.url("/ok"))
    secret = hook["secret"]
    assert secret.startswith("whsec_") and len(secret) > 30
    assert hook["events"] == MILESTONE_EVENTS and hook["active"] is True
    assert "secret" not in admin.get("/webhooks").get_json()[0]

    _achieve(world["coach"], company.id)
    queued = _deliveries()
    assert [(d.type, d.status) for d in queued] == [("milestone.achieved", "pending")]

    caplog.set_level(logging.DEBUG)
    result = sender.deliver_until_idle()
    assert (result.delivered, result.retrying, result.failed) == (1, 0, 0)
    [got] = receiver.on("/ok")
    assert got.headers["content-type"] == "application/json"
    event = Verifier(secret).verify(got.body, got.headers)  # raises when the signature is off
    assert got.headers["webhook-id"] == event["id"] == queued[0].event_id
    assert got.headers["webhook-signature"].startswith("v1,")
    assert abs(int(got.headers["webhook-timestamp"]) - utcnow().timestamp()) < 60
    assert event["type"] == "milestone.achieved"
    data = event["data"]
    assert data == {
        "company": {"id": company.id, "name": "Hooked Ltd"},
        "milestone": "value_baseline",
        "achieved": True,
        "previous": False,
        "reason": "Clear proposition",
        "actor": {"id": world["coach_user"].id, "name": "Cleo Coach"},
        "occurred_at": data["occurred_at"],
    }
    assert set(event) == {"id", "type", "created_at", "data"}
    with pytest.raises(Exception, match="signature"):
        Verifier(secret).verify(got.body.replace(b"Hooked", b"Hacked"), got.headers)

    listed = admin.get(f"/webhooks/{hook['id']}/deliveries").get_json()
    assert [(d["status"], d["attempts"], d["response_status"]) for d in listed] == [
        ("delivered", 1, 200)
    ]
    assert listed[0]["delivered_at"] is not None and listed[0]["last_error"] is None
    shown = json.dumps(admin.get("/webhooks").get_json()) + json.dumps(listed)
    assert secret not in shown and secret[6:] not in shown
    assert secret not in caplog.text and secret[6:] not in caplog.text


def test_only_subscribed_active_webhooks_get_an_event(
    world: dict[str, Any], receiver: Receiver, allow_private: Any
) -> None:
    admin, coach, company = world["admin"], world["coach"], world["company"]
    evidence_hook = _hook(admin, receiver.url("/ok"), ["evidence.added", "task.approved"])
    off = _hook(admin, receiver.url("/ok"), ["evidence.added"])
    assert admin.patch(f"/webhooks/{off['id']}", json={"active": False}).status_code == 200
    updates_hook = _hook(admin, receiver.url("/ok"), ["update.approved"])
    _achieve(coach, company.id)  # evidence.added, then milestone.achieved (nobody listens)
    task = coach.post(f"/companies/{company.id}/tasks", json={"title": "Ship"}).get_json()
    assert coach.post(f"/tasks/{task['id']}/submit", json={}).status_code == 200
    assert coach.post(f"/tasks/{task['id']}/approve", json={}).status_code == 200
    update = world["member"].post(f"/companies/{company.id}/updates", json={"body": "Done"})
    update_id = update.get_json()["id"]
    assert coach.post(f"/updates/{update_id}/reject", json={"comment": "No"}).status_code == 200
    update2 = world["member"].post(f"/companies/{company.id}/updates", json={"body": "Again"})
    update2_id = update2.get_json()["id"]
    assert coach.post(f"/updates/{update2_id}/approve", json={}).status_code == 200
    got = [(d.webhook_id, d.type) for d in _deliveries()]
    assert got == [
        (evidence_hook["id"], "evidence.added"),
        (evidence_hook["id"], "task.approved"),
        (updates_hook["id"], "update.approved"),
    ]
    sender.deliver_until_idle()
    bodies = [json.loads(r.body) for r in receiver.on("/ok")]
    assert [b["type"] for b in bodies] == ["evidence.added", "task.approved", "update.approved"]
    assert bodies[0]["data"]["evidence"]["title"] == "Deck"
    assert bodies[1]["data"]["task"] == {"id": task["id"], "title": "Ship"}
    assert bodies[2]["data"]["update"]["id"] == update2_id


def test_a_failed_change_queues_nothing(world: dict[str, Any], allow_private: Any) -> None:
    _hook(world["admin"], "http://127.0.0.1:9/x")
    response = world["coach"].put(
        f"/companies/{world['company'].id}/milestones/value_baseline", json={"achieved": True}
    )
    assert response.status_code == 422  # no evidence: nothing changed, nothing queued
    assert _deliveries() == []


def test_retry_after_a_500_then_success(
    world: dict[str, Any], receiver: Receiver, allow_private: Any
) -> None:
    hook = _hook(world["admin"], receiver.url("/flaky"))
    _achieve(world["coach"], world["company"].id)
    start = utcnow()
    first = sender.deliver_until_idle()
    assert (first.delivered, first.retrying) == (0, 1)
    [waiting] = _deliveries()
    assert (waiting.status, waiting.attempts, waiting.response_status) == ("pending", 1, 500)
    assert waiting.last_error == "HTTP 500"
    assert waiting.response_body == "receiver error"
    # 30 s base backoff with a jitter of 0.5 to 1
    assert (
        start + timedelta(seconds=14) <= waiting.next_attempt_at <= utcnow() + timedelta(seconds=31)
    )
    db.session.rollback()
    assert sender.deliver_until_idle().claimed == 0  # not due yet
    with time_machine.travel(utcnow() + timedelta(seconds=31), tick=False):
        second = sender.deliver_until_idle()
    assert second.delivered == 1
    [done] = _deliveries()
    assert (done.status, done.attempts, done.response_status) == ("delivered", 2, 200)
    sent = receiver.on("/flaky")
    assert len(sent) == 2 and sent[0].headers["webhook-id"] == sent[1].headers["webhook-id"]
    webhook = db.session.get(Webhook, hook["id"])
    assert webhook is not None and webhook.failure_count == 0


def test_backoff_doubles_with_jitter_and_stops_after_eight_tries() -> None:
    for attempts, base in ((1, 30), (2, 60), (3, 120), (8, 3840), (20, 6 * 3600)):
        for _ in range(20):
            delay = sender.backoff(attempts).total_seconds()
            assert base * 0.5 <= delay <= base
    assert sender.MAX_ATTEMPTS == 8


def test_eighth_failure_is_final(
    world: dict[str, Any], receiver: Receiver, allow_private: Any
) -> None:
    _hook(world["admin"], receiver.url("/fail"))
    _achieve(world["coach"], world["company"].id)
    now = utcnow()
    for i in range(8):
        with time_machine.travel(now + timedelta(hours=7 * i), tick=False):
            sender.deliver_until_idle()
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 8)
    with time_machine.travel(now + timedelta(days=3), tick=False):
        assert sender.deliver_until_idle().claimed == 0
    assert len(receiver.on("/fail")) == 8


def test_timeout(world: dict[str, Any], receiver: Receiver, allow_private: Any, app: Any) -> None:
    _hook(world["admin"], receiver.url("/slow"))
    _achieve(world["coach"], world["company"].id)
    app.config["WEBHOOK_TIMEOUT_SECONDS"] = 0.5
    try:
        result = sender.deliver_until_idle()
    finally:
        app.config["WEBHOOK_TIMEOUT_SECONDS"] = 10
    assert result.retrying == 1
    [delivery] = _deliveries()
    assert delivery.response_status is None
    assert "timed out" in (delivery.last_error or "").lower()


def test_redirect_is_not_followed_and_answers_are_cut_at_1kb(
    world: dict[str, Any], receiver: Receiver, allow_private: Any
) -> None:
    _hook(world["admin"], receiver.url("/redirect"))
    big = _hook(world["admin"], receiver.url("/big"))
    _achieve(world["coach"], world["company"].id)
    sender.deliver_until_idle()
    redirected, large = _deliveries()
    assert (redirected.status, redirected.response_status) == ("pending", 302)
    assert redirected.last_error == "HTTP 302"
    assert receiver.on("/ok") == []  # the Location was not followed
    assert large.webhook_id == big["id"] and large.status == "delivered"
    assert large.response_body == "x" * 1024


def test_twenty_failures_in_a_row_turn_the_webhook_off_and_tell_admins(
    world: dict[str, Any], receiver: Receiver, allow_private: Any
) -> None:
    admin = world["admin"]
    hook = _hook(admin, receiver.url("/fail"))
    for _ in range(21):
        assert admin.post(f"/webhooks/{hook['id']}/ping").status_code == 202
    sender.deliver_until_idle(batch_size=50)
    assert len(receiver.on("/fail")) == 20  # the 21st is not sent: the webhook is off
    assert [d.attempts for d in _deliveries()] == [1] * 20 + [0]
    db.session.rollback()
    shown = admin.get("/webhooks").get_json()[0]
    assert (shown["active"], shown["failure_count"]) == (False, 20)
    assert shown["last_delivery_at"] is not None
    mails = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.recipient, m.kind) for m in mails] == [("ada@admin.test", "webhook_disabled")]
    assert "20 failures" in mails[0].subject
    db.session.rollback()
    assert (
        admin.patch(f"/webhooks/{hook['id']}", json={"active": True}).get_json()["failure_count"]
        == 0
    )


def test_ping_and_redeliver(world: dict[str, Any], receiver: Receiver, allow_private: Any) -> None:
    admin = world["admin"]
    hook = _hook(admin, receiver.url("/ok"))
    other = _hook(admin, receiver.url("/ok"))
    ping = admin.post(f"/webhooks/{hook['id']}/ping")
    assert ping.status_code == 202
    body = ping.get_json()
    assert (body["type"], body["status"], body["attempts"]) == ("webhook.ping", "pending", 0)
    sender.deliver_until_idle()
    assert json.loads(receiver.on("/ok")[0].body)["data"] == {"webhook_id": hook["id"]}
    again = admin.post(f"/webhooks/{hook['id']}/deliveries/{body['id']}/redeliver")
    assert again.status_code == 202
    assert (again.get_json()["status"], again.get_json()["attempts"]) == ("pending", 0)
    sender.deliver_until_idle()
    first, second = receiver.on("/ok")
    assert first.body == second.body and first.headers["webhook-id"] == second.headers["webhook-id"]
    wrong = admin.post(f"/webhooks/{other['id']}/deliveries/{body['id']}/redeliver")
    assert wrong.status_code == 404
    assert admin.post("/webhooks/999/ping").status_code == 404
    assert admin.delete(f"/webhooks/{hook['id']}").status_code == 204
    assert admin.get(f"/webhooks/{hook['id']}/deliveries").status_code == 404
    assert _deliveries() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # http
        "https://127.0.0.1/x",
        "https://localhost:8443/x",
        "https://[::1]/x",
        "https://10.1.2.3/x",
        "https://192.168.0.10/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::ffff:127.0.0.1]/x",
        "https://0.0.0.0/x",
        "https://user:pass@hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "https:///nohost",
        "not a url",
    ],
)
def test_refused_addresses(world: dict[str, Any], url: str) -> None:
    response = world["admin"].post("/webhooks", json={"url": url, "events": MILESTONE_EVENTS})
    assert response.status_code == 422, response.get_json()
    assert "url" in response.get_json()["errors"]["json"]


def test_private_addresses_allowed_with_the_setting(world: dict[str, Any], allow_private: Any):
    for url in ("http://127.0.0.1:8080/x", "https://localhost/x", "https://10.0.0.1/x"):
        assert (
            world["admin"]
            .post("/webhooks", json={"url": url, "events": MILESTONE_EVENTS})
            .status_code
            == 201
        )


def test_checked_again_after_dns_at_send_time(
    world: dict[str, Any], receiver: Receiver, monkeypatch: Any
) -> None:
    """A public name that resolves to loopback when sent (DNS rebinding) is not called."""
    _hook(world["admin"], "https://hooks.example.com/in")
    real = socket.getaddrinfo

    def rebound(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.example.com":
            return real("127.0.0.1", receiver.port, *args[1:], **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    _achieve(world["coach"], world["company"].id)
    result = sender.deliver_until_idle()
    assert result.retrying == 1
    [delivery] = _deliveries()
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("refused: Leads to a loopback address (127.0.0.1)")
    assert receiver.requests == []


def test_only_admins(world: dict[str, Any], anon: Any) -> None:
    for client, status in ((world["coach"], 403), (world["member"], 403), (anon, 401)):
        assert client.get("/webhooks").status_code == status
        response = client.post(
            "/webhooks", json={"url": "https://hooks.example.com", "events": MILESTONE_EVENTS}
        )
        assert response.status_code == status


def test_bad_bodies(world: dict[str, Any]) -> None:
    admin = world["admin"]
    for body, field in (
        ({"url": "https://h.example.com", "events": []}, "events"),
        ({"url": "https://h.example.com", "events": ["milestone.exploded"]}, "events"),
        ({"url": "https://h.example.com"}, "events"),
        ({"events": MILESTONE_EVENTS}, "url"),
        ({"url": "https://h.example.com", "events": MILESTONE_EVENTS, "secret": "x"}, "secret"),
        ({"url": "https://h.example.com/" + "a" * 2100, "events": MILESTONE_EVENTS}, "url"),
    ):
        response = admin.post("/webhooks", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["errors"]["json"]
