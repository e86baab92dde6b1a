"""One-click unsubscribe, set-password links, and the outbox (admins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.abilities import Ability, require
from milestones.auth.session import csrf_exempt, public
from milestones.models import OutboxMessage
from milestones.notifications import outbox, passwords, stakeholders
from milestones.schemas.notifications import (
    AcceptedSchema,
    OutboxMessageSchema,
    OutboxQuerySchema,
    PasswordResetSchema,
    SetPasswordSchema,
)

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1",
    description="E-mail: unsubscribe, password links, the outbox",
)


@blp.route("/unsubscribe/<string:token>")
@public
@csrf_exempt
class Unsubscribe(MethodView):
    @blp.response(204, description="Unsubscribed (also when already unsubscribed)")
    @blp.alt_response(400, description="The token is not one we signed")
    def post(self, token: str) -> None:
        """One-click unsubscribe (RFC 8058); the token is the credential"""
        stakeholders.unsubscribe(token)


@blp.route("/auth/password-reset")
@public
@csrf_exempt
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetSchema)
    @blp.response(
        202, AcceptedSchema, description="The same whether or not the address has an account"
    )
    def post(self, body: dict[str, str]) -> dict[str, str]:
        """Ask for a password reset link by e-mail"""
        passwords.request_reset(body["email"])
        return {"message": passwords.RESET_ACCEPTED}


@blp.route("/auth/password")
@public
@csrf_exempt
class SetPassword(MethodView):
    @blp.arguments(SetPasswordSchema)
    @blp.response(204, description="Password set; sign in with it")
    @blp.alt_response(400, description="Link forged, already used or expired")
    def post(self, body: dict[str, str]) -> None:
        """Set a password from an invitation or reset link (single use, expiring)"""
        passwords.set_password(body["token"], body["password"])


@blp.route("/admin/outbox")
class Outbox(MethodView):
    @blp.arguments(OutboxQuerySchema, location="query")
    @blp.response(200, OutboxMessageSchema(many=True))
    @blp.alt_response(403, description="Admins only")
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Sequence[OutboxMessage]:
        """Queued, sent and failed mail, newest first"""
        require(Ability.VIEW_OUTBOX)
        return paginate(outbox.list_messages(**query), pagination_parameters)


@blp.route("/admin/outbox/<int:message_id>/requeue")
class Requeue(MethodView):
    @blp.response(200, OutboxMessageSchema)
    @blp.alt_response(403, description="Admins only")
    @blp.alt_response(404, description="Message not found")
    @blp.alt_response(409, description="Already sent")
    def post(self, message_id: int) -> OutboxMessage:
        """Queue a failed message again, due now"""
        require(Ability.VIEW_OUTBOX)
        return outbox.requeue(message_id)
