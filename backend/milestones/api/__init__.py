"""Every blueprint of the API, registered in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from milestones.api.base import Api


def register(api: Api) -> None:
    from milestones.api import (
        auth,
        companies,
        evidence,
        evidence_review,
        health,
        metrics,
        milestones,
        notifications,
        preferences,
        reviews,
        settings,
        sharing,
        stakeholders,
        tasks,
        updates,
        users,
        webhooks,
    )

    for module in (
        auth,
        preferences,
        users,
        companies,
        milestones,
        evidence,
        evidence_review,
        tasks,
        updates,
        reviews,
        metrics,
        stakeholders,
        notifications,
        settings,
        sharing,
        webhooks,
        health,
    ):
        api.register_blueprint(module.blp)
