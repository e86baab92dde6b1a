"""Milestone-change mail: outbox rows written with the change, delivered to a real SMTP
server (aiosmtpd), one message per recipient; retries; parallel workers; unsubscribe."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from milestones import notifications
from milestones.extensions import db
from milestones.models import (
    Company,
    MilestoneStatus,
    OutboxMessage,
    OutboxPayload,
    OutboxStatus,
    Stakeholder,
    User,
)
from milestones.notifications import worker
from milestones.notifications.tokens import unsubscribe_token
from milestones.timeutil import utcnow
from tests.factories import Factory
from tests.fixtures.mail import SmtpServer, body_of, in_app_context

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def change(
    company: Company,
    coach: User,
    *,
    key: str = "value_baseline",
    achieved: bool = True,
    reason: str | None = "Signed the pilot contract",
) -> int:
    """What the toggle service does for the mail: flip the status and enqueue, in one
    transaction. Returns how many outbox rows the change wrote."""
    before = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) or 0
    status = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == company.id, MilestoneStatus.milestone == key
        )
    )
    assert status is not None
    now = utcnow()
    status.achieved = achieved
    status.achieved_at = now if achieved else None
    status.started_at = status.started_at or now
    status.last_updated = now
    notifications.enqueue_milestone_change(status, not achieved, coach, reason)
    db.session.commit()
    after = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) or 0
    return after - before


def add_stakeholders(company: Company, *emails: str) -> list[Stakeholder]:
    rows = [Stakeholder(company_id=company.id, email=e, name=f"Follower {e}") for e in emails]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def header(message: Any, name: str) -> str:
    """A header's value, unfolded (long ones arrive folded onto a second line)."""
    return " ".join(str(message[name]).split())


def outbox_rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def team(factory: Factory) -> dict[str, Any]:
    coach = factory.coach(name="Ada Coach", email="ada@coach.test")
    other_coach = factory.coach(email="bob@coach.test")
    member = factory.member(email="founder@acme.test")
    gone = factory.member(email="gone@acme.test")
    company = factory.company("Acme", coaches=[coach, other_coach], members=[member, gone])
    gone.active = False
    db.session.commit()
    return {"coach": coach, "other_coach": other_coach, "member": member, "company": company}


def test_one_message_per_recipient_with_bodies_and_headers(
    team: dict[str, Any], deliver: Callable[..., Any], smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    company = team["company"]
    add_stakeholders(company, "investor@fund.test", "Founder@ACME.test", "quiet@fund.test")
    db.session.execute(
        sa.update(Stakeholder)
        .where(Stakeholder.email == "quiet@fund.test")
        .values(subscribed=False)
    )
    db.session.commit()

    # members (active only), both coaches, subscribed stakeholders; founder deduplicated
    assert change(company, team["coach"], reason="Signed <b>pilot</b> & paid") == 4
    result = deliver()
    assert (result.sent, result.retrying, result.failed) == (4, 0, 0)

    envelopes = smtp.envelopes
    assert sorted(rcpt for rcpts, _ in envelopes for rcpt in rcpts) == [
        "ada@coach.test",
        "bob@coach.test",
        "founder@acme.test",
        "investor@fund.test",
    ]
    assert all(len(rcpts) == 1 for rcpts, _ in envelopes)
    by_to = {str(m["To"]): m for m in smtp.messages}
    assert set(by_to) == {
        "ada@coach.test",
        "bob@coach.test",
        "founder@acme.test",
        "investor@fund.test",
    }
    for message in by_to.values():
        assert message["Subject"] == "Acme: Value Baseline reached"
        assert message["Cc"] is None and message["Bcc"] is None
        text = body_of(message, "plain")
        assert "Coach: Ada Coach" in text
        assert "Reason: Signed <b>pilot</b> & paid" in text
        assert "When: 02 Mar 2026, 09:30 UTC" in text
        html = body_of(message, "html")
        assert "Signed &lt;b&gt;pilot&lt;/b&gt; &amp; paid" in html
        assert "<b>pilot</b>" not in html
        # the five-step track, in text and as a plain table
        assert "[x] Value Baseline" in text and "[>] First Customer (current)" in text
        assert "<table" in html and "[ ] $1M ARR" in html
        # people get the app's company page; stakeholders, who cannot sign in, do not
        # (no share link for stakeholders here)
        stakeholder = str(message["To"]) == "investor@fund.test"
        assert (f"http://app.test/companies/{company.id}" in text) is not stakeholder
        assert (f'href="http://app.test/companies/{company.id}"' in html) is not stakeholder

    people = [by_to[a] for a in ("ada@coach.test", "bob@coach.test", "founder@acme.test")]
    for message in people:
        assert message["List-Unsubscribe"] is None
        assert message["List-Unsubscribe-Post"] is None
        assert "nsubscribe" not in body_of(message, "plain")

    investor = by_to["investor@fund.test"]
    stakeholder = db.session.scalar(
        sa.select(Stakeholder).where(Stakeholder.email == "investor@fund.test")
    )
    assert stakeholder is not None
    token = unsubscribe_token(company.id, stakeholder.email)
    assert header(investor, "List-Unsubscribe") == f"<http://app.test/api/v1/unsubscribe/{token}>"
    assert header(investor, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: http://app.test/unsubscribe/{token}" in body_of(investor, "plain")
    assert f'href="http://app.test/unsubscribe/{token}"' in body_of(investor, "html")

    rows = outbox_rows()
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert all(r.attempts == 1 and r.sent_at == T0 for r in rows)

    # Delivered once: another pass finds nothing to do.
    assert deliver().claimed == 0
    assert len(smtp.envelopes) == 4


def test_each_stakeholder_gets_their_own_unsubscribe_token(
    team: dict[str, Any], deliver: Callable[..., Any], smtp: SmtpServer
) -> None:
    first, second = add_stakeholders(team["company"], "one@fund.test", "two@fund.test")
    change(team["company"], team["coach"])
    deliver()
    by_to = {str(m["To"]): m for m in smtp.messages}
    for stakeholder in (first, second):
        value = header(by_to[stakeholder.email], "List-Unsubscribe")
        token = unsubscribe_token(team["company"].id, stakeholder.email)
        assert value == f"<http://app.test/api/v1/unsubscribe/{token}>"
    assert by_to["one@fund.test"]["List-Unsubscribe"] != by_to["two@fund.test"]["List-Unsubscribe"]


def test_reverted_subject_and_markup_in_names_stays_text(
    factory: Factory, deliver: Callable[..., Any], smtp: SmtpServer
) -> None:
    coach = factory.coach(name="<img src=x onerror=alert(1)>")
    company = factory.company("<script>alert('x')</script>", coaches=[coach])
    change(company, coach)
    smtp.clear()
    change(company, coach, achieved=False, reason="Contract </td> cancelled")
    deliver()
    (message,) = [m for m in smtp.messages if "reverted" in str(m["Subject"])]
    assert message["Subject"] == "<script>alert('x')</script>: Value Baseline reverted"
    html = body_of(message, "html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Contract &lt;/td&gt; cancelled" in html
    text = body_of(message, "plain")
    assert "reverted the milestone \"Value Baseline\" for <script>alert('x')</script>" in text


def test_no_recipients_writes_nothing(factory: Factory) -> None:
    coach = factory.coach()
    company = factory.company("Lonely", coaches=[coach])
    db.session.execute(sa.update(User).where(User.id == coach.id).values(active=False))
    db.session.commit()
    assert change(company, coach) == 0


def test_smtp_down_keeps_messages_then_delivers_each_once(
    team: dict[str, Any], deliver: Callable[..., Any], smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    add_stakeholders(team["company"], "investor@fund.test")
    change(team["company"], team["coach"])
    smtp.stop()

    result = deliver()
    assert (result.sent, result.retrying) == (0, 4)
    rows = outbox_rows()
    assert {r.status for r in rows} == {OutboxStatus.PENDING}
    assert {r.attempts for r in rows} == {1}
    assert all(r.last_error and "Connection" in r.last_error for r in rows), rows[0].last_error
    assert {r.next_attempt_at for r in rows} == {T0 + timedelta(seconds=30)}

    # Not due yet: nothing is tried again.
    assert deliver().claimed == 0
    # Second failure doubles the delay.
    time_machine.move_to(T0 + timedelta(seconds=31), tick=False)
    assert deliver().retrying == 4
    rows = outbox_rows()
    assert {r.attempts for r in rows} == {2}
    assert {r.next_attempt_at for r in rows} == {T0 + timedelta(seconds=31 + 60)}

    smtp.start()
    time_machine.move_to(T0 + timedelta(seconds=92), tick=False)
    assert deliver().sent == 4
    assert len(smtp.envelopes) == 4
    assert sorted(str(m["To"]) for m in smtp.messages) == sorted(r.recipient for r in rows)
    rows = outbox_rows()
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert {r.attempts for r in rows} == {3}
    assert {r.last_error for r in rows} == {None}
    assert deliver().claimed == 0
    assert len(smtp.envelopes) == 4


def test_gives_up_after_max_attempts_and_admin_requeues(
    team: dict[str, Any],
    deliver: Callable[..., Any],
    smtp: SmtpServer,
    mail_app: Flask,
    client_for: Any,
    factory: Factory,
    time_machine: Any,
) -> None:
    time_machine.move_to(T0, tick=False)
    mail_app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    try:
        change(team["company"], team["coach"])
        smtp.stop()
        deliver()
        time_machine.move_to(T0 + timedelta(minutes=5), tick=False)
        result = deliver()
        assert result.failed == 3
        rows = outbox_rows()
        assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.FAILED, 2)}
        time_machine.move_to(T0 + timedelta(days=1), tick=False)
        assert deliver().claimed == 0  # failed for good: no more tries on its own

        admin = client_for(factory.admin())
        listed = admin.get("/admin/outbox?status=failed&page_size=2")
        assert listed.status_code == 200
        assert len(listed.get_json()) == 2
        assert '"total": 3' in listed.headers["X-Pagination"]
        item = listed.get_json()[0]
        assert item["status"] == "failed" and item["attempts"] == 2
        assert item["last_error"].startswith("ConnectionRefusedError")
        assert admin.get("/admin/outbox?status=sent").get_json() == []

        requeued = admin.post(f"/admin/outbox/{item['id']}/requeue")
        assert requeued.status_code == 200, requeued.get_json()
        assert requeued.get_json()["status"] == "pending"
        assert requeued.get_json()["attempts"] == 0

        smtp.start()
        assert deliver().sent == 1
        assert [str(m["To"]) for m in smtp.messages] == [item["recipient"]]
        sent = admin.get("/admin/outbox?status=sent").get_json()
        assert [m["id"] for m in sent] == [item["id"]]
        again = admin.post(f"/admin/outbox/{item['id']}/requeue")
        assert again.status_code == 409 and again.get_json()["code"] == "already_sent"
        assert admin.post("/admin/outbox/999999/requeue").status_code == 404
        assert admin.get("/admin/outbox?status=nope").status_code == 422
    finally:
        mail_app.config.pop("OUTBOX_MAX_ATTEMPTS", None)


def test_outbox_is_admin_only(team: dict[str, Any], client_for: Any, anon: Any) -> None:
    change(team["company"], team["coach"])
    message_id = outbox_rows()[0].id
    assert anon.get("/admin/outbox").status_code == 401
    for who in (team["coach"], team["member"]):
        client = client_for(who)
        response = client.get("/admin/outbox")
        assert response.status_code == 403 and response.get_json()["code"] == "forbidden"
        assert client.post(f"/admin/outbox/{message_id}/requeue").status_code == 403
    assert outbox_rows()[0].status == OutboxStatus.PENDING


def test_without_mail_server_messages_are_logged_and_marked_sent(
    team: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    change(team["company"], team["coach"])
    logger = logging.getLogger("milestones.notifications.worker")
    # Alembic's fileConfig (run by the session's migration) disables existing loggers.
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(caplog.handler)
    try:
        result = worker.deliver_until_idle()
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    assert result.sent == 3
    logged = {r.getMessage() for r in caplog.records if "logged instead of sent" in r.getMessage()}
    assert len(logged) == 3
    assert any("founder@acme.test: Acme: Value Baseline reached" in line for line in logged)
    assert {r.status for r in outbox_rows()} == {OutboxStatus.SENT}


def test_unsubscribe_stops_later_mails_and_is_idempotent(
    team: dict[str, Any], deliver: Callable[..., Any], smtp: SmtpServer, anon: Any
) -> None:
    (investor,) = add_stakeholders(team["company"], "investor@fund.test")
    change(team["company"], team["coach"])
    deliver()
    message = next(m for m in smtp.messages if str(m["To"]) == "investor@fund.test")
    url = header(message, "List-Unsubscribe").strip("<>")
    path = url.removeprefix("http://app.test")
    assert path.startswith("/api/v1/unsubscribe/")

    # RFC 8058: a POST with the form body, no session, no CSRF header.
    body = "List-Unsubscribe=One-Click"
    ctype = "application/x-www-form-urlencoded"
    first = anon.post(path, data=body, content_type=ctype)
    assert first.status_code == 204, first.get_json()
    db.session.expire_all()
    assert db.session.get(Stakeholder, investor.id).subscribed is False  # type: ignore[union-attr]
    second = anon.post(path, data=body, content_type=ctype)
    assert second.status_code == 204
    assert anon.post(path).status_code == 204

    smtp.clear()
    change(team["company"], team["coach"], key="value_baseline", achieved=False, reason="Oops")
    deliver()
    recipients = sorted(str(m["To"]) for m in smtp.messages)
    assert recipients == ["ada@coach.test", "bob@coach.test", "founder@acme.test"]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "1." + t.split(".", 1)[1],
        lambda t: "not-a-token",
    ],
)
def test_tampered_unsubscribe_token_is_refused(
    team: dict[str, Any], anon: Any, mangle: Callable[[str], str]
) -> None:
    (investor,) = add_stakeholders(team["company"], "investor@fund.test")
    token = mangle(unsubscribe_token(investor.company_id, investor.email))
    response = anon.post(f"/unsubscribe/{token}")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_token"
    db.session.expire_all()
    assert db.session.get(Stakeholder, investor.id).subscribed is True  # type: ignore[union-attr]


def test_token_for_removed_stakeholder_is_a_quiet_success(team: dict[str, Any], anon: Any) -> None:
    (investor,) = add_stakeholders(team["company"], "investor@fund.test")
    token = unsubscribe_token(investor.company_id, investor.email)
    db.session.delete(investor)
    db.session.commit()
    assert anon.post(f"/unsubscribe/{token}").status_code == 204


def test_each_kind_of_mail_is_one_payload_and_nobody_means_no_payload(factory: Factory) -> None:
    coach = factory.coach()
    company = factory.company("Narrow", coaches=[coach])

    def payloads() -> list[tuple[str, int]]:
        counts = sa.select(OutboxMessage.payload_id, sa.func.count()).group_by(
            OutboxMessage.payload_id
        )
        by_id: dict[int, int] = {p: n for p, n in db.session.execute(counts)}
        rows = db.session.scalars(sa.select(OutboxPayload).order_by(OutboxPayload.id))
        return [(p.kind, by_id.get(p.id, 0)) for p in rows]

    assert change(company, coach) == 1  # the coach; no stakeholders: no second payload
    assert payloads() == [("milestone_changed", 1)]
    add_stakeholders(company, "a@fund.test", "b@fund.test", coach.email.upper())
    assert change(company, coach, achieved=False, reason="again") == 3
    assert payloads() == [
        ("milestone_changed", 1),
        ("milestone_changed", 1),
        ("milestone_changed.stakeholder", 2),  # the coach's own address is mailed once
    ]
    orphans = sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.payload_id.not_in(sa.select(OutboxPayload.id))
    )
    assert db.session.scalar(orphans) == 0


@pytest.mark.postgres
def test_two_workers_in_parallel_deliver_each_message_once(
    factory: Factory, mail_app: Flask, smtp: SmtpServer
) -> None:
    coach = factory.coach()
    company = factory.company("Parallel", coaches=[coach])
    add_stakeholders(company, *(f"s{i:03}@fund.test" for i in range(80)))
    for _ in range(2):  # reached, reverted, twice: 4 x 81 messages
        change(company, coach, achieved=True)
        change(company, coach, achieved=False, reason="again")
    total = 4 * 81
    assert len(outbox_rows()) == total

    barrier = threading.Barrier(2)
    results: list[worker.PassResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(
                in_app_context(
                    mail_app, worker.deliver_until_idle, batch_size=10
                )  # small batches: many claims interleave
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sum(r.sent for r in results) == total
    assert all(r.sent > 0 for r in results), [r.sent for r in results]  # both took a share
    ids = [str(m["Message-ID"]) for m in smtp.messages]
    assert len(ids) == total and len(set(ids)) == total
    assert {r.status for r in outbox_rows()} == {OutboxStatus.SENT}
    assert {r.attempts for r in outbox_rows()} == {1}


def test_toggle_through_the_api_queues_and_delivers(
    team: dict[str, Any], client_for: Any, deliver: Callable[..., Any], smtp: SmtpServer
) -> None:
    company = team["company"]
    add_stakeholders(company, "investor@fund.test")
    coach = client_for(team["coach"])
    evidence = coach.post(
        f"/companies/{company.id}/milestones/value_baseline/evidence",
        json={"evidence_type": "link", "title": "Pitch deck", "url": "https://example.com/deck"},
    )
    assert evidence.status_code == 201, evidence.get_json()
    toggled = coach.put(
        f"/companies/{company.id}/milestones/value_baseline",
        json={"achieved": True, "reason": "Deck & pricing done"},
    )
    assert toggled.status_code == 200, toggled.get_json()
    # Setting the value it already has sends nothing.
    same = coach.put(f"/companies/{company.id}/milestones/value_baseline", json={"achieved": True})
    assert same.status_code == 200
    assert len(outbox_rows()) == 4

    deliver()
    assert sorted(str(m["To"]) for m in smtp.messages) == [
        "ada@coach.test",
        "bob@coach.test",
        "founder@acme.test",
        "investor@fund.test",
    ]
    message = smtp.messages[0]
    assert message["Subject"] == "Acme: Value Baseline reached"
    assert "Deck &amp; pricing done" in body_of(message, "html")
