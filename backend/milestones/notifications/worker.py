"""Delivering the outbox.

A pass claims due pending rows and sends each, one recipient per message, through one
SMTP connection. On PostgreSQL the claim is `SELECT ... FOR UPDATE SKIP LOCKED`: the rows
stay locked until the pass commits, so several workers at once never take the same row.
SQLite has no row locks: run a single worker there.

A failed send is retried with exponential backoff (attempts, next_attempt_at,
last_error) until OUTBOX_MAX_ATTEMPTS, then the message is `failed` until an admin
requeues it. Delivery is at least once: a worker killed between the SMTP send and its
commit sends those messages again (each carries a stable Message-ID for receivers that
deduplicate).

With no MAIL_SERVER (the embedded default) each message is written to the log and
marked sent, so nothing piles up silently.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_mail import Connection, Message

from milestones.extensions import db
from milestones.models import OutboxMessage, OutboxStatus
from milestones.notifications import outbox
from milestones.timeutil import utcnow

log = logging.getLogger(__name__)

DEFAULTS = {
    "OUTBOX_BATCH_SIZE": 50,
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_BACKOFF_SECONDS": 30,  # 30 s, 1 min, 2 min, ... capped below
    "OUTBOX_BACKOFF_MAX_SECONDS": 3600,
    "SMTP_TIMEOUT_SECONDS": 30,
}
ERROR_MAX = 2000


def setting(name: str) -> int:
    value = current_app.config.get(name)
    return int(value) if value not in (None, "") else int(DEFAULTS[name])


@dataclass
class PassResult:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones (1 -> base, doubling)."""
    base = setting("OUTBOX_BACKOFF_SECONDS")
    cap = setting("OUTBOX_BACKOFF_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


class _Connection(Connection):
    """Flask-Mail's connection with a socket timeout: a hung server must not hang us."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        state: Any = self.mail
        timeout = setting("SMTP_TIMEOUT_SECONDS")
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def claim(batch_size: int) -> Sequence[OutboxMessage]:
    stmt = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch_size)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalars(stmt).all()


def to_message(row: OutboxMessage) -> Message:
    text, html, headers = outbox.personalise(row)
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=text,
        html=html,
        extra_headers=headers,
    )
    message.msgId = f"<outbox-{row.id}@{_sender_domain()}>"
    return message


def _sender_domain() -> str:
    sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else ""
    return domain or "localhost"


def _log_message(row: OutboxMessage) -> None:
    text, _html, _headers = outbox.personalise(row)
    log.info(
        "mail (no MAIL_SERVER, logged instead of sent) #%s to %s: %s\n%s",
        row.id,
        row.recipient,
        row.subject,
        text,
    )


def _mark_sent(row: OutboxMessage) -> None:
    row.status = OutboxStatus.SENT
    row.sent_at = utcnow()
    row.attempts += 1
    row.last_error = None


def _mark_failed(row: OutboxMessage, error: BaseException) -> str:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    if row.attempts >= setting("OUTBOX_MAX_ATTEMPTS"):
        row.status = OutboxStatus.FAILED
        log.error("mail #%s to %s failed for good: %s", row.id, row.recipient, row.last_error)
        return "failed"
    row.next_attempt_at = utcnow() + backoff(row.attempts)
    log.warning(
        "mail #%s to %s failed (attempt %s), retry at %s: %s",
        row.id,
        row.recipient,
        row.attempts,
        row.next_attempt_at.isoformat(),
        row.last_error,
    )
    return "retrying"


def _count(result: PassResult, outcome: str) -> None:
    if outcome == "retrying":
        result.retrying += 1
    else:
        result.failed += 1


def deliver_once(batch_size: int | None = None) -> PassResult:
    """One batch: claim, send, record, commit. Returns what happened."""
    result = PassResult()
    try:
        rows = claim(batch_size or setting("OUTBOX_BATCH_SIZE"))
        result.claimed = len(rows)
        if not rows:
            db.session.rollback()
            return result
        if not current_app.config.get("MAIL_SERVER"):
            for row in rows:
                _log_message(row)
                _mark_sent(row)
                result.sent += 1
        else:
            _send_all(rows, result)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def _send_all(rows: Sequence[OutboxMessage], result: PassResult) -> None:
    state = current_app.extensions["mail"]
    connection: _Connection | None = None
    try:
        for i, row in enumerate(rows):
            if connection is None:
                try:
                    connection = _Connection(state)
                    connection.__enter__()
                except (OSError, smtplib.SMTPException) as exc:
                    # The server is unreachable: every message of this batch waits.
                    connection = None
                    for waiting in rows[i:]:
                        _count(result, _mark_failed(waiting, exc))
                    return
            try:
                connection.send(to_message(row))
            except (OSError, smtplib.SMTPException) as exc:
                _count(result, _mark_failed(row, exc))
                _close(connection)
                connection = None  # reconnect for the next message
                continue
            except Exception as exc:  # a message we cannot even build: never retry forever
                _count(result, _mark_failed(row, exc))
                continue
            _mark_sent(row)
            result.sent += 1
    finally:
        if connection is not None:
            _close(connection)


def _close(connection: _Connection) -> None:
    try:
        if connection.host is not None:
            connection.host.quit()
    except (OSError, smtplib.SMTPException):
        if connection.host is not None:
            connection.host.close()
    connection.host = None


def deliver_until_idle(batch_size: int | None = None, max_passes: int = 1_000_000) -> PassResult:
    """Passes until nothing is due (or only messages waiting for their backoff)."""
    total = PassResult()
    for _ in range(max_passes):
        result = deliver_once(batch_size)
        total.claimed += result.claimed
        total.sent += result.sent
        total.retrying += result.retrying
        total.failed += result.failed
        if result.claimed == 0 or result.sent == 0:
            break
    return total
