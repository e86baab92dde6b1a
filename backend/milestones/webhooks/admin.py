"""Webhooks as admins manage them: create (the secret shown once), edit, delete, their
deliveries, redeliver, ping."""

from __future__ import annotations

import base64
import secrets
from typing import Any

import sqlalchemy as sa

from milestones.auth.abilities import Ability, require
from milestones.errors import NotFound, Unprocessable
from milestones.extensions import db
from milestones.models import DeliveryStatus, User, Webhook, WebhookDelivery
from milestones.timeutil import utcnow
from milestones.webhooks import PING, addresses, events

SECRET_BYTES = 24


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _checked_url(url: str) -> str:
    try:
        addresses.check_url(url)
    except addresses.AddressRefused as exc:
        raise Unprocessable(
            f"This webhook URL is refused: {exc}",
            code="webhook_url_refused",
            errors={"json": {"url": [str(exc)]}},
        ) from exc
    return url


def _event_types(events_list: list[str]) -> str:
    return " " + " ".join(sorted(set(events_list))) + " "


def list_webhooks(actor: User) -> sa.Select[Any]:
    require(Ability.MANAGE_WEBHOOKS, u=actor)
    return sa.select(Webhook).order_by(Webhook.id)


def get_webhook(webhook_id: int, actor: User, *, lock: bool = False) -> Webhook:
    require(Ability.MANAGE_WEBHOOKS, u=actor)
    webhook = db.session.get(Webhook, webhook_id, with_for_update=lock)
    if webhook is None:
        raise NotFound("Webhook not found.")
    return webhook


def create_webhook(actor: User, data: dict[str, Any]) -> Webhook:
    require(Ability.MANAGE_WEBHOOKS, u=actor)
    webhook = Webhook(
        url=_checked_url(data["url"]),
        event_types=_event_types(data["events"]),
        description=data.get("description") or "",
        secret=new_secret(),
        active=True,
        failure_count=0,
        created_at=utcnow(),
    )
    db.session.add(webhook)
    db.session.commit()
    webhook.shown_secret = webhook.secret  # type: ignore[attr-defined]
    return webhook


def update_webhook(webhook_id: int, actor: User, data: dict[str, Any]) -> Webhook:
    webhook = get_webhook(webhook_id, actor, lock=True)
    if "url" in data:
        webhook.url = _checked_url(data["url"])
    if "events" in data:
        webhook.event_types = _event_types(data["events"])
    if "description" in data:
        webhook.description = data["description"] or ""
    if "active" in data:
        if data["active"] and not webhook.active:
            webhook.failure_count = 0  # a fresh start: 20 more tries before it stops again
        webhook.active = data["active"]
    db.session.commit()
    return webhook


def delete_webhook(webhook_id: int, actor: User) -> None:
    webhook = get_webhook(webhook_id, actor)
    db.session.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id))
    db.session.delete(webhook)
    db.session.commit()


def list_deliveries(webhook_id: int, actor: User) -> sa.Select[Any]:
    get_webhook(webhook_id, actor)
    return (
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.id.desc())
    )


def redeliver(webhook_id: int, delivery_id: int, actor: User) -> WebhookDelivery:
    """The same event (same id and body) due again now, with a fresh count of tries."""
    get_webhook(webhook_id, actor)
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.webhook_id != webhook_id:
        raise NotFound("Delivery not found.")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.delivered_at = None
    db.session.commit()
    return delivery


def ping(webhook_id: int, actor: User) -> WebhookDelivery:
    webhook = get_webhook(webhook_id, actor)
    event_id = events.queue(PING, {"webhook_id": webhook.id}, only=webhook.id)
    delivery = db.session.scalar(
        sa.select(WebhookDelivery).where(
            WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.event_id == event_id
        )
    )
    db.session.commit()
    assert delivery is not None
    return delivery
