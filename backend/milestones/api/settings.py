"""Programme settings: everyone signed in reads them, admins change them."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.api.response_cache import cached_response, timeless
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import user
from milestones.schemas.settings import SettingsPatchSchema, SettingsSchema
from milestones.services import settings as settings_service

blp = Blueprint(
    "settings", __name__, url_prefix="/api/v1/settings", description="Programme settings"
)


@blp.route("")
@cached_response(timeless)
class SettingsResource(MethodView):
    @blp.response(200, SettingsSchema)
    def get(self) -> settings_service.Settings:
        """The programme's settings (attention thresholds, digest time, criteria rule)"""
        return settings_service.current()

    @blp.arguments(SettingsPatchSchema)
    @blp.response(200, SettingsSchema)
    @blp.alt_response(403, description="Not an admin")
    def patch(self, body: dict[str, Any]) -> settings_service.Settings:
        """Change some settings (admins)"""
        require(Ability.MANAGE_SETTINGS)
        return settings_service.update(user(), body)
