"""The milestone catalogue, status per company, the toggle and the history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request
from flask.views import MethodView

from milestones import catalogue
from milestones.api.pagination import Blueprint, paginate
from milestones.api.response_cache import cached_response, per_company
from milestones.auth.policies import Action, company_or_404, user
from milestones.models import HistoryEvent
from milestones.schemas.milestones import (
    CompanyMilestonesSchema,
    HistoryItemSchema,
    HistoryQuerySchema,
    MilestoneSchema,
    MilestoneStatusSchema,
    ToggleSchema,
)
from milestones.services import milestones as milestones_service

blp = Blueprint(
    "milestones", __name__, url_prefix="/api/v1", description="Milestones, status and history"
)


@blp.route("/milestones")
class Catalogue(MethodView):
    @blp.response(200, MilestoneSchema(many=True))
    def get(self) -> Sequence[catalogue.Milestone]:
        """The five milestones, in order, with their criteria"""
        return list(catalogue.CATALOGUE)


# A company's statuses are read far more often than anything else (api/render.py dumps
# them with the schema's FastDump; tests compare it with the schema's dump).
COMPANY_MILESTONES = CompanyMilestonesSchema()


@blp.route("/companies/<int:company_id>/milestones")
@cached_response(per_company)
class CompanyMilestones(MethodView):
    @blp.response(200, COMPANY_MILESTONES)
    @blp.alt_response(404, description="No such company, or not visible to you")
    def get(self, company_id: int) -> Any:
        """The company's five statuses in order, with state, metrics and ETag"""
        return milestones_service.company_milestones(user(), company_id)


@blp.route("/companies/<int:company_id>/milestones/<string:key>")
class CompanyMilestone(MethodView):
    @blp.arguments(ToggleSchema)
    @blp.response(200, MilestoneStatusSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(403, description="Only a coach assigned to the company may toggle")
    @blp.alt_response(404, description="No such company or milestone, or not visible to you")
    @blp.alt_response(409, description="Order: the message names the blocking milestone")
    @blp.alt_response(412, description="If-Match is stale: someone changed the status")
    @blp.alt_response(
        422, description="Invalid body, reason missing on revert, or no evidence to achieve"
    )
    @blp.doc(
        parameters=[
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "schema": {"type": "string"},
                "description": "the status's etag; a stale one gives 412",
            }
        ]
    )
    def put(self, body: dict[str, Any], company_id: int, key: str) -> Any:
        """Achieve or revert a milestone (the only way to change achievement)"""
        status, _ = milestones_service.toggle(
            company_or_404(company_id, Action.TOGGLE),
            milestones_service.milestone_key(key),
            body["achieved"],
            user(),
            reason=body.get("reason"),
            if_match=request.headers.get("If-Match"),
        )
        return status, 200, {"ETag": status.etag}


@blp.route("/companies/<int:company_id>/history")
class CompanyHistory(MethodView):
    @blp.arguments(HistoryQuerySchema, location="query")
    @blp.response(200, HistoryItemSchema(many=True))
    @blp.alt_response(404, description="No such company, or not visible to you")
    @blp.paginate()
    def get(
        self, query: dict[str, Any], company_id: int, pagination_parameters: Any
    ) -> Sequence[HistoryEvent]:
        """The company's history, newest first (filter by `milestone`)"""
        return paginate(
            milestones_service.history(
                company_or_404(company_id, Action.VIEW), query.get("milestone")
            ),
            pagination_parameters,
        )
