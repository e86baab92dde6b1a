"""Mail for milestone changes, invitations and password resets, through the outbox.

Services call the enqueue_* functions inside their own transaction; the worker
(notifications/worker.py) delivers. Only this package sends mail.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from milestones.models import MilestoneStatus, User

log = logging.getLogger(__name__)


def enqueue_invitation(user: User) -> None:
    """Queue the set-password invitation for a user created without a password."""
    log.info("invitation for %s not queued: outbox not built yet", user.email)


def enqueue_milestone_change(
    status: MilestoneStatus, previous: bool, actor: User, reason: str | None
) -> None:
    """Queue one mail per recipient for an effective toggle (same transaction)."""
    log.info("milestone change mail for company %s not queued yet", status.company_id)
