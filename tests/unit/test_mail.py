"""Mail pieces: templates escape, tokens sign, backoff doubles, the worker isolates a
refused recipient, the CLI delivers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from milestones.extensions import db
from milestones.models import OutboxMessage, OutboxPayload, OutboxStatus
from milestones.notifications import outbox, rendering, tokens, worker
from milestones.timeutil import utcnow
from tests.fixtures.mail import SmtpServer, in_app_context

WHEN = datetime(2026, 1, 5, 14, 7, tzinfo=UTC)


def context(**overrides: Any) -> dict[str, Any]:
    base = {
        "company_name": "Acme",
        "milestone_title": "First Customer",
        "reached": True,
        "previous": False,
        "coach_name": "Ada",
        "reason": None,
        "changed_at": WHEN,
        "company_url": "http://app.test/companies/7",
        "unsubscribe_url": None,
    }
    return {**base, **overrides}


def test_html_escapes_every_value_and_text_keeps_it(app: Flask) -> None:
    evil = "<script>alert(1)</script>"
    body = rendering.render(
        "milestone_changed",
        **context(company_name=evil, coach_name='"><img src=x>', reason="a & b <i>c</i>"),
    )
    assert "<script>" not in body.html and "<img" not in body.html and "<i>" not in body.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.html
    assert "&#34;&gt;&lt;img src=x&gt;" in body.html
    assert "a &amp; b &lt;i&gt;c&lt;/i&gt;" in body.html
    assert evil in body.text and "Reason: a & b <i>c</i>" in body.text
    assert "When: 05 Jan 2026, 14:07 UTC" in body.text
    assert "(none given)" not in body.text


def test_reverted_and_missing_reason(app: Flask) -> None:
    body = rendering.render("milestone_changed", **context(reached=False, reason=None))
    assert "reverted the milestone" in body.text
    assert "Reason: (none given)" in body.text
    assert "Unsubscribe" not in body.text and "Unsubscribe" not in body.html


def test_unsubscribe_link_only_when_given(app: Flask) -> None:
    body = rendering.render(
        "milestone_changed", **context(unsubscribe_url="http://app.test/unsubscribe/T0K")
    )
    assert "Unsubscribe: http://app.test/unsubscribe/T0K" in body.text
    assert 'href="http://app.test/unsubscribe/T0K"' in body.html


def test_subject_is_one_bounded_line() -> None:
    assert rendering.subject("Acme\r\nBcc: x@y.test:  First\tCustomer") == (
        "Acme Bcc: x@y.test: First Customer"
    )
    long = rendering.subject("x" * 400)
    assert len(long) == rendering.SUBJECT_MAX and long.endswith("…")


def test_unsubscribe_tokens_round_trip_and_refuse_tampering(app: Flask) -> None:
    token = tokens.unsubscribe_token(12, " Ivy@Fund.test ")
    assert tokens.read_unsubscribe_token(token) == (12, "ivy@fund.test")
    payload, signature = token.split(".", 1)
    for bad in (payload + "." + signature[::-1], "x" + token, "", "a.b.c"):
        with pytest.raises(tokens.InvalidToken):
            tokens.read_unsubscribe_token(bad)
    # Signed with another key: refused.
    other = Flask("other")
    other.config["SECRET_KEY"] = "another-key"
    with other.app_context():
        foreign = tokens.unsubscribe_token(12, "ivy@fund.test")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(foreign)


def test_backoff_doubles_up_to_the_cap(app: Flask) -> None:
    assert [worker.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert worker.backoff(50) == timedelta(hours=1)


def test_personalise_fills_the_stakeholder_token(app: Flask) -> None:
    payload = OutboxPayload(
        kind=outbox.KIND_MILESTONE_STAKEHOLDER,
        subject="s",
        body_text=f"x {outbox.UNSUBSCRIBE_MARKER}",
        body_html=f"<a href='/u/{outbox.UNSUBSCRIBE_MARKER}'>",
        headers=outbox.unsubscribe_headers(outbox.UNSUBSCRIBE_MARKER),
        company_id=3,
    )
    row = OutboxMessage(recipient="ivy@fund.test", payload=payload)
    text, html, headers = outbox.personalise(row)
    token = tokens.unsubscribe_token(3, "ivy@fund.test")
    assert text == f"x {token}"
    assert html == f"<a href='/u/{token}'>"
    assert headers["List-Unsubscribe"] == f"<http://app.test/api/v1/unsubscribe/{token}>"
    payload.kind = outbox.KIND_MILESTONE
    assert outbox.personalise(row)[0] == payload.body_text


def _queue(*recipients: str) -> None:
    now = utcnow()
    payload = OutboxPayload(
        kind="test", subject="hello", body_text="hello", body_html="<p>hello</p>", created_at=now
    )
    db.session.add(payload)
    db.session.flush()
    db.session.add_all(
        OutboxMessage(payload_id=payload.id, recipient=r, next_attempt_at=now) for r in recipients
    )
    db.session.commit()


def test_a_refused_recipient_does_not_hold_the_others(
    app: Flask, mail_app: Flask, smtp: SmtpServer
) -> None:
    _queue("a@x.test", "bounce@x.test", "b@x.test")
    result = in_app_context(mail_app, worker.deliver_until_idle)
    assert (result.sent, result.retrying) == (2, 1)
    assert sorted(r[0] for r, _ in smtp.envelopes) == ["a@x.test", "b@x.test"]
    db.session.expire_all()
    bounced = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "bounce@x.test")
    )
    assert bounced is not None
    assert bounced.status == OutboxStatus.PENDING and bounced.attempts == 1
    assert "SMTPRecipientsRefused" in (bounced.last_error or "")
    assert "No such user" in (bounced.last_error or "")


def test_cli_deliver_once_logs_without_mail_server(app: Flask) -> None:
    _queue("a@x.test", "b@x.test")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 2, retrying 0, failed 0" in result.output
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses == [OutboxStatus.SENT, OutboxStatus.SENT]
