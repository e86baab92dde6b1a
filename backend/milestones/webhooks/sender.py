"""The worker's part: POST due deliveries, signed, and record how it went.

A pass claims due deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two workers
never take the same one), leases them (next_attempt_at moved past the time a send can
take) and commits, so no transaction stays open while endpoints answer; each result is
then written in its own short transaction. A worker killed mid-pass leaves its deliveries
to be taken again once the lease ends (at least once; receivers deduplicate on
`webhook-id`).

A send: the host resolved and every address checked (addresses.py), the connection made
to the checked address (TLS still verified against the host name), 10 s timeout, no
redirect followed, at most 1 KB of the answer kept. Non-2xx and errors are retried with
exponential backoff and jitter, 8 tries in all; 20 failed tries in a row set the webhook
inactive and tell the admins by mail.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import urllib3
from flask import current_app
from standardwebhooks import Webhook as Signer

from milestones.extensions import db
from milestones.models import DeliveryStatus, Webhook, WebhookDelivery
from milestones.timeutil import utcnow
from milestones.webhooks import addresses

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
DEACTIVATE_AFTER = 20
RESPONSE_KEEP = 1024
ERROR_KEEP = 1000
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
LEASE = timedelta(minutes=2)


@dataclass
class Outcome:
    ok: bool
    status: int | None = None
    body: str | None = None
    error: str | None = None


@dataclass
class PassResult:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """After `attempts` failed tries: 30 s doubling, capped, times a jitter in [0.5, 1]."""
    delay = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.5, 1.0)


def timeout() -> float:
    return float(current_app.config.get("WEBHOOK_TIMEOUT_SECONDS") or 10)


def signed_headers(secret: str, event_id: str, body: str) -> dict[str, str]:
    now = utcnow()
    return {
        "content-type": "application/json",
        "user-agent": "MilestoneTracker-Webhooks/1",
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Signer(secret).sign(event_id, now, body),
    }


def post(url: str, body: str, headers: dict[str, str]) -> Outcome:
    """One POST to a checked address; never raises."""
    try:
        target = addresses.parse(url)
        address = addresses.resolve(target)
    except addresses.AddressRefused as exc:
        return Outcome(False, error=f"refused: {exc}")
    limit = urllib3.Timeout(total=timeout())
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            timeout=limit,
            retries=False,
            maxsize=1,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            address, target.port, timeout=limit, retries=False, maxsize=1
        )
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body.encode("utf-8"),
            headers={**headers, "host": host},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            kept = response.read(RESPONSE_KEEP, decode_content=False) or b""
        finally:
            response.release_conn()
            response.close()
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:ERROR_KEEP])
    finally:
        pool.close()
    text = kept[:RESPONSE_KEEP].decode("utf-8", "replace")
    if 200 <= response.status < 300:
        return Outcome(True, response.status, text)
    return Outcome(False, response.status, text, f"HTTP {response.status}")


def claim(batch_size: int) -> list[tuple[int, int, str, str, str, str]]:
    """(delivery id, webhook id, url, secret, event id, body) of due deliveries, leased,
    committed."""
    now = utcnow()
    stmt = (
        sa.select(WebhookDelivery, Webhook.url, Webhook.secret)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
            Webhook.active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(batch_size)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=WebhookDelivery, skip_locked=True)
    rows = db.session.execute(stmt).all()
    claimed = []
    for delivery, url, secret in rows:
        delivery.next_attempt_at = now + LEASE
        claimed.append(
            (delivery.id, delivery.webhook_id, url, secret, delivery.event_id, delivery.body)
        )
    db.session.commit()
    return claimed


def record(delivery_id: int, outcome: Outcome) -> str:
    """Write one result (own transaction); returns delivered, retrying, failed or
    deactivated (retrying, and the webhook is now off)."""
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:  # the webhook was deleted meanwhile
        db.session.rollback()
        return "failed"
    webhook = db.session.get(Webhook, delivery.webhook_id, with_for_update=True)
    assert webhook is not None
    now = utcnow()
    delivery.attempts += 1
    delivery.response_status = outcome.status
    delivery.response_body = outcome.body[:RESPONSE_KEEP] if outcome.body is not None else None
    webhook.last_delivery_at = now
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = None
        webhook.failure_count = 0
        db.session.commit()
        return "delivered"
    delivery.last_error = (outcome.error or "failed")[:ERROR_KEEP]
    webhook.failure_count += 1
    if webhook.failure_count >= DEACTIVATE_AFTER and webhook.active:
        webhook.active = False
        _tell_admins(webhook)
        result = "deactivated"
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        result = "failed"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        result = "deactivated" if not webhook.active else "retrying"
    log.warning(
        "webhook %s delivery %s (%s) failed, attempt %s: %s",
        webhook.id,
        delivery.id,
        delivery.type,
        delivery.attempts,
        delivery.last_error,
    )
    db.session.commit()
    return result


def _tell_admins(webhook: Webhook) -> None:
    from milestones.notifications import webhook_mail

    log.error("webhook %s set inactive after %s failures", webhook.id, webhook.failure_count)
    webhook_mail.enqueue_webhook_disabled(webhook.id, webhook.url, webhook.failure_count)


def deliver_once(batch_size: int = 20) -> PassResult:
    result = PassResult()
    claimed: Sequence[Any] = claim(batch_size)
    result.claimed = len(claimed)
    stopped: set[int] = set()  # webhooks set inactive during this pass
    for delivery_id, webhook_id, url, secret, event_id, body in claimed:
        if webhook_id in stopped:
            _release(delivery_id)
            continue
        outcome = post(url, body, signed_headers(secret, event_id, body))
        done = record(delivery_id, outcome)
        if done == "deactivated":
            stopped.add(webhook_id)
            done = "retrying"
        setattr(result, done, getattr(result, done) + 1)
    return result


def _release(delivery_id: int) -> None:
    """Give back a leased delivery unsent (its webhook went inactive meanwhile)."""
    db.session.execute(
        sa.update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(next_attempt_at=utcnow())
    )
    db.session.commit()


def deliver_until_idle(batch_size: int = 20, max_passes: int = 1000) -> PassResult:
    total = PassResult()
    for _ in range(max_passes):
        result = deliver_once(batch_size)
        for name in ("claimed", "delivered", "retrying", "failed"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        if result.claimed == 0:
            break
    return total
