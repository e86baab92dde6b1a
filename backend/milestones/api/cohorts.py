"""Cohorts (admins write; everyone signed in reads those of their companies)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.api.response_cache import cached_response, timeless
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import user
from milestones.schemas.cohorts import CohortCreateSchema, CohortPatchSchema, CohortSchema
from milestones.services import cohorts as cohorts_service

blp = Blueprint("cohorts", __name__, url_prefix="/api/v1/cohorts", description="Cohorts")


@blp.route("")
@cached_response(timeless)
class Cohorts(MethodView):
    @blp.response(200, CohortSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Cohorts: all of them for admins, else those holding a company the caller sees"""
        return cohorts_service.list_cohorts(user())

    @blp.arguments(CohortCreateSchema)
    @blp.response(201, CohortSchema)
    @blp.alt_response(409, description="Name already used")
    def post(self, body: dict[str, Any]) -> Any:
        """Create a cohort"""
        require(Ability.MANAGE_COHORTS)
        return cohorts_service.create_cohort(user(), **body)


@blp.route("/<int:cohort_id>")
class CohortById(MethodView):
    @blp.arguments(CohortPatchSchema)
    @blp.response(200, CohortSchema)
    @blp.alt_response(409, description="Name already used")
    def patch(self, body: dict[str, Any], cohort_id: int) -> Any:
        """Edit a cohort"""
        require(Ability.MANAGE_COHORTS)
        return cohorts_service.update_cohort(user(), cohorts_service.get_cohort(cohort_id), body)

    @blp.response(204)
    @blp.alt_response(409, description="The cohort still has companies")
    def delete(self, cohort_id: int) -> None:
        """Delete a cohort without companies"""
        require(Ability.MANAGE_COHORTS)
        cohorts_service.delete_cohort(cohorts_service.get_cohort(cohort_id))
