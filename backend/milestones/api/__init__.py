"""Every blueprint of the API, registered in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from milestones.api.base import Api


def register(api: Api) -> None:
    from milestones.api import auth, companies, health, users

    for module in (auth, users, companies, health):
        api.register_blueprint(module.blp)
