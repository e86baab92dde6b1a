"""Every blueprint of the API, registered in one place."""

from __future__ import annotations

from milestones.api.base import Api

# Unbound like the instances in extensions.py; create_app() initialises it and registers the
# blueprints.
api = Api()


def register(api: Api) -> None:
    from milestones.api import (
        auth,
        cohorts,
        companies,
        evidence,
        evidence_review,
        exports,
        health,
        metrics,
        milestones,
        notifications,
        preferences,
        reporting,
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
        cohorts,
        milestones,
        evidence,
        evidence_review,
        tasks,
        updates,
        reviews,
        metrics,
        reporting,
        exports,
        stakeholders,
        notifications,
        settings,
        sharing,
        webhooks,
        health,
    ):
        api.register_blueprint(module.blp)
