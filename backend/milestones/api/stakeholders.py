"""Stakeholders of a company (admins and the company's coaches)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import user
from milestones.models import Stakeholder
from milestones.notifications import stakeholders as stakeholders_service
from milestones.schemas.notifications import (
    StakeholderCreateSchema,
    StakeholderSchema,
    StakeholderUpdateSchema,
)

blp = Blueprint(
    "stakeholders",
    __name__,
    url_prefix="/api/v1",
    description="People who follow a company's milestones by e-mail",
)


@blp.route("/companies/<int:company_id>/stakeholders")
class CompanyStakeholders(MethodView):
    @blp.response(200, StakeholderSchema(many=True))
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Company not found")
    def get(self, company_id: int) -> Sequence[Stakeholder]:
        """The company's stakeholders, by e-mail"""
        return stakeholders_service.list_stakeholders(company_id, user())

    @blp.arguments(StakeholderCreateSchema)
    @blp.response(201, StakeholderSchema)
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Company not found")
    @blp.alt_response(409, description="Address already listed (or unsubscribed) here")
    def post(self, body: dict[str, Any], company_id: int) -> Stakeholder:
        """Add a stakeholder; they get this company's milestone e-mails"""
        return stakeholders_service.add_stakeholder(company_id, user(), **body)


@blp.route("/stakeholders/<int:stakeholder_id>")
class StakeholderById(MethodView):
    @blp.arguments(StakeholderUpdateSchema)
    @blp.response(200, StakeholderSchema)
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Stakeholder not found")
    def patch(self, body: dict[str, Any], stakeholder_id: int) -> Stakeholder:
        """Change a stakeholder's name or frequency (immediate or weekly)"""
        return stakeholders_service.update_stakeholder(stakeholder_id, user(), body)

    @blp.response(204)
    @blp.alt_response(403, description="Not an admin or a coach of this company")
    @blp.alt_response(404, description="Stakeholder not found")
    def delete(self, stakeholder_id: int) -> None:
        """Remove a stakeholder"""
        stakeholders_service.remove_stakeholder(stakeholder_id, user())
