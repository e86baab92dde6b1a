"""The admins' mail when a webhook is set inactive (through the outbox, like every mail)."""

from __future__ import annotations

import sqlalchemy as sa

from milestones.models import Role, User
from milestones.notifications import outbox, rendering
from milestones.timeutil import utcnow

KIND_WEBHOOK_DISABLED = "webhook_disabled"


def enqueue_webhook_disabled(webhook_id: int, url: str, failures: int) -> int:
    body = rendering.render(
        KIND_WEBHOOK_DISABLED,
        url=url,
        failures=failures,
        link=f"{outbox.base_url()}/admin/webhooks",
    )
    admins = sa.select(User.email).where(User.role == Role.ADMIN, User.active.is_(True))
    return outbox._enqueue(
        admins,
        KIND_WEBHOOK_DISABLED,
        rendering.subject(f"Webhook #{webhook_id} set inactive after {failures} failures"),
        body,
        utcnow(),
    )
