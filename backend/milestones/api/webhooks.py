"""Webhooks (admins): endpoints told of milestone, evidence, task and update events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.api.response_cache import cached_response, timeless
from milestones.auth.policies import user
from milestones.extensions import db
from milestones.models import Webhook, WebhookDelivery
from milestones.schemas.webhooks import (
    DeliverySchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookSchema,
    WebhookUpdateSchema,
)
from milestones.webhooks import admin

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1",
    description="Signed HTTP callbacks for programme events (admins)",
)


@blp.route("/webhooks")
@cached_response(timeless)
class Webhooks(MethodView):
    @blp.response(200, WebhookSchema(many=True))
    @blp.alt_response(403, description="Admins only")
    def get(self) -> Sequence[Webhook]:
        """Every webhook (secrets are never shown again)"""
        return db.session.scalars(admin.list_webhooks(user())).all()

    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema)
    @blp.alt_response(403, description="Admins only")
    def post(self, body: dict[str, Any]) -> Webhook:
        """Add a webhook; its signing secret is in this response only"""
        return admin.create_webhook(user(), body)


@blp.route("/webhooks/<int:webhook_id>")
class WebhookById(MethodView):
    @blp.arguments(WebhookUpdateSchema)
    @blp.response(200, WebhookSchema)
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Webhook not found")
    def patch(self, body: dict[str, Any], webhook_id: int) -> Webhook:
        """Change the URL, events, description or active flag"""
        return admin.update_webhook(webhook_id, user(), body)

    @blp.response(204)
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Webhook not found")
    def delete(self, webhook_id: int) -> None:
        """Delete a webhook and its deliveries"""
        admin.delete_webhook(webhook_id, user())


@blp.route("/webhooks/<int:webhook_id>/deliveries")
class Deliveries(MethodView):
    @blp.response(200, DeliverySchema(many=True))
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Webhook not found")
    @blp.paginate()
    def get(self, webhook_id: int, pagination_parameters: Any) -> Sequence[WebhookDelivery]:
        """The webhook's deliveries, newest first"""
        return paginate(admin.list_deliveries(webhook_id, user()), pagination_parameters)


@blp.route("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
class Redeliver(MethodView):
    @blp.response(202, DeliverySchema)
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Webhook or delivery not found")
    def post(self, webhook_id: int, delivery_id: int) -> WebhookDelivery:
        """Send a delivery again (same event id and body), due now"""
        return admin.redeliver(webhook_id, delivery_id, user())


@blp.route("/webhooks/<int:webhook_id>/ping")
class WebhookPing(MethodView):
    @blp.response(202, DeliverySchema)
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Webhook not found")
    def post(self, webhook_id: int) -> WebhookDelivery:
        """Queue a `webhook.ping` event for this webhook only"""
        return admin.ping(webhook_id, user())
