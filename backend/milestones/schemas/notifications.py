"""Stakeholders, the outbox (admin view), unsubscribe and set-password bodies."""

from __future__ import annotations

from marshmallow import fields, validate

from milestones.models import OutboxStatus, StakeholderFrequency
from milestones.schemas.base import Email, InputSchema, OutSchema, PageQuery, Text

OUTBOX_STATUSES = [s.value for s in OutboxStatus]
FREQUENCIES = [f.value for f in StakeholderFrequency]


class StakeholderSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    subscribed = fields.Boolean(dump_only=True)
    frequency = fields.String(dump_only=True, metadata={"enum": FREQUENCIES})
    created_at = fields.DateTime(dump_only=True)
    unsubscribed_at = fields.DateTime(dump_only=True, allow_none=True)


class StakeholderCreateSchema(InputSchema):
    email = Email(required=True, validate=validate.Length(max=254))
    name = Text(load_default="", validate=validate.Length(max=200))
    frequency = fields.String(
        load_default=StakeholderFrequency.IMMEDIATE.value,
        validate=validate.OneOf(FREQUENCIES),
        metadata={"description": "immediate: a mail per change; weekly: the weekly digest"},
    )


class StakeholderUpdateSchema(InputSchema):
    name = Text(validate=validate.Length(max=200))
    frequency = fields.String(validate=validate.OneOf(FREQUENCIES))


class OutboxMessageSchema(OutSchema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    recipient = fields.String(dump_only=True)
    subject = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": OUTBOX_STATUSES})
    attempts = fields.Integer(dump_only=True)
    last_error = fields.String(dump_only=True, allow_none=True)
    company_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    next_attempt_at = fields.DateTime(dump_only=True, allow_none=True)
    sent_at = fields.DateTime(dump_only=True, allow_none=True)


class OutboxQuerySchema(PageQuery):
    status = fields.String(validate=validate.OneOf(OUTBOX_STATUSES))


class AcceptedSchema(OutSchema):
    message = fields.String(dump_only=True)


class PasswordResetSchema(InputSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))


class SetPasswordSchema(InputSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=10, max=256)
    )
