"""Mail for milestone changes, invitations and password resets, through the outbox.

Services call the enqueue_* functions inside their own transaction (the mail is written
with the change or not at all); the worker (notifications/worker.py) delivers. Only this
package sends mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from milestones.models import MilestoneStatus, User


def enqueue_invitation(user: User) -> None:
    """Queue the set-password invitation for a user created without a password."""
    from milestones.models import TokenPurpose
    from milestones.notifications import outbox

    outbox.enqueue_password_mail(user, TokenPurpose.INVITATION)


def enqueue_milestone_change(
    status: MilestoneStatus, previous: bool, actor: User, reason: str | None
) -> None:
    """Queue one mail per recipient for an effective toggle (same transaction)."""
    from milestones.notifications import outbox

    outbox.enqueue_milestone_change(status, previous, actor, reason)
