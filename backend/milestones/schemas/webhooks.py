"""Webhooks (admins) and their deliveries."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.models import DeliveryStatus
from milestones.schemas.base import InputSchema, OutSchema, Text
from milestones.webhooks import EVENT_TYPES

_EVENTS = fields.List(
    fields.String(validate=validate.OneOf(EVENT_TYPES)),
    validate=validate.Length(min=1, max=len(EVENT_TYPES)),
    metadata={"description": "event types to send: " + ", ".join(EVENT_TYPES)},
)
_URL = fields.String(
    validate=validate.Length(min=1, max=2048),
    metadata={"description": "https (http and private addresses only when allowed)"},
)


class WebhookCreateSchema(InputSchema):
    url = fields.String(required=True, validate=_URL.validate, metadata=_URL.metadata)
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata=_EVENTS.metadata,
    )
    description = Text(load_default="", validate=validate.Length(max=500))


class WebhookUpdateSchema(InputSchema):
    url = fields.String(validate=_URL.validate, metadata=_URL.metadata)
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata=_EVENTS.metadata,
    )
    description = Text(validate=validate.Length(max=500))
    active = fields.Boolean()


class WebhookSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    url = fields.String(dump_only=True)
    events = fields.List(fields.String(), dump_only=True)
    active = fields.Boolean(dump_only=True)
    description = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    failure_count = fields.Integer(dump_only=True)
    last_delivery_at = fields.DateTime(dump_only=True, allow_none=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        dump_only=True,
        attribute="shown_secret",
        metadata={"description": "whsec_ + base64; shown in this response only"},
    )


class DeliverySchema(OutSchema):
    id = fields.Integer(dump_only=True)
    webhook_id = fields.Integer(dump_only=True)
    event_id = fields.String(dump_only=True)
    type = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": [s.value for s in DeliveryStatus]})
    attempts = fields.Integer(dump_only=True)
    response_status = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    next_attempt_at = fields.DateTime(dump_only=True)
    delivered_at = fields.DateTime(dump_only=True, allow_none=True)
