"""Companies, their coaches and members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import Action, company_or_404, user
from milestones.models import Company
from milestones.schemas.companies import (
    CompanyCreateSchema,
    CompanyPatchSchema,
    CompanyQuerySchema,
    CompanySchema,
)
from milestones.services import companies as companies_service

blp = Blueprint("companies", __name__, url_prefix="/api/v1/companies", description="Companies")


@blp.route("")
class Companies(MethodView):
    @blp.arguments(CompanyQuerySchema, location="query")
    @blp.response(200, CompanySchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Sequence[Company]:
        """The companies the caller may see"""
        return paginate(companies_service.list_companies(user(), **query), pagination_parameters)

    @blp.arguments(CompanyCreateSchema)
    @blp.response(201, CompanySchema)
    @blp.alt_response(409, description="Name already used")
    def post(self, body: dict[str, Any]) -> Company:
        """Create a company with its five milestone statuses"""
        require(Ability.CREATE_COMPANIES)
        return companies_service.create_company(**body)


@blp.route("/<int:company_id>")
class CompanyById(MethodView):
    @blp.response(200, CompanySchema)
    def get(self, company_id: int) -> Company:
        """One company"""
        return company_or_404(company_id, Action.VIEW)

    @blp.arguments(CompanyPatchSchema)
    @blp.response(200, CompanySchema)
    @blp.alt_response(409, description="Name already used")
    def patch(self, body: dict[str, Any], company_id: int) -> Company:
        """Edit a company"""
        return companies_service.update_company(
            company_or_404(company_id, Action.MANAGE_COMPANY), body
        )


@blp.route("/<int:company_id>/coaches/<int:user_id>")
class CompanyCoach(MethodView):
    @blp.response(204)
    @blp.alt_response(422, description="The user is not a coach")
    def put(self, company_id: int, user_id: int) -> None:
        """Assign a coach"""
        companies_service.assign_coach(company_or_404(company_id, Action.MANAGE_COMPANY), user_id)

    @blp.response(204)
    def delete(self, company_id: int, user_id: int) -> None:
        """Unassign a coach"""
        companies_service.unassign_coach(company_or_404(company_id, Action.MANAGE_COMPANY), user_id)


@blp.route("/<int:company_id>/members/<int:user_id>")
class CompanyMember(MethodView):
    @blp.response(204)
    @blp.alt_response(422, description="The user is not a member")
    @blp.alt_response(409, description="The member belongs to another company")
    def put(self, company_id: int, user_id: int) -> None:
        """Add a member"""
        companies_service.add_member(company_or_404(company_id, Action.MANAGE_COMPANY), user_id)

    @blp.response(204)
    def delete(self, company_id: int, user_id: int) -> None:
        """Remove a member"""
        companies_service.remove_member(company_or_404(company_id, Action.MANAGE_COMPANY), user_id)
