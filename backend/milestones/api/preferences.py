"""The signed-in person's notification preferences."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import user
from milestones.models import User
from milestones.schemas.preferences import PreferencesPatchSchema, PreferencesSchema
from milestones.services import preferences as preferences_service

blp = Blueprint(
    "preferences",
    __name__,
    url_prefix="/api/v1/auth/me/preferences",
    description="Notification preferences",
)


@blp.route("")
class Preferences(MethodView):
    @blp.response(200, PreferencesSchema)
    def get(self) -> User:
        """Which mails the signed-in person receives"""
        return user()

    @blp.arguments(PreferencesPatchSchema)
    @blp.response(200, PreferencesSchema)
    def patch(self, body: dict[str, Any]) -> User:
        """Turn milestone mails or the weekly digest on or off"""
        return preferences_service.update(user(), body)
