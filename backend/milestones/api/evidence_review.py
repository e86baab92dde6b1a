"""Members' proposed evidence and its review, criteria checks, metric series."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.api.response_cache import cached_response, timeless
from milestones.auth.policies import Action, company_or_404, user
from milestones.models import Evidence
from milestones.reporting.metric_series import metric_series
from milestones.schemas.evidence import (
    AcceptSchema,
    EvidenceSchema,
    MetricSeriesSchema,
    ProposalsQuerySchema,
    RejectSchema,
)
from milestones.schemas.milestones import CriterionCheckSchema, StatusCriterionSchema
from milestones.services import criteria as criteria_service
from milestones.services import evidence as evidence_service
from milestones.services import evidence_review
from milestones.services.milestones import milestone_key

blp = Blueprint(
    "evidence_review",
    __name__,
    url_prefix="/api/v1",
    description="Proposed evidence, its review, criteria checks and metric series",
)


@blp.route("/evidence/<int:evidence_id>/accept")
class AcceptEvidence(MethodView):
    @blp.arguments(AcceptSchema)
    @blp.response(200, EvidenceSchema)
    @blp.alt_response(403, description="Only a coach assigned to the company reviews evidence")
    @blp.alt_response(404, description="No such evidence, or not visible to you")
    @blp.alt_response(409, description="Not proposed (already accepted or rejected)")
    def post(self, body: dict[str, Any], evidence_id: int) -> Evidence:
        """Accept a member's proposed evidence: from now on it counts"""
        item = evidence_service.get_evidence(evidence_id, Action.MANAGE_EVIDENCE)
        return evidence_review.review(item, user(), True, body.get("comment"))


@blp.route("/evidence/<int:evidence_id>/reject")
class RejectEvidence(MethodView):
    @blp.arguments(RejectSchema)
    @blp.response(200, EvidenceSchema)
    @blp.alt_response(403, description="Only a coach assigned to the company reviews evidence")
    @blp.alt_response(404, description="No such evidence, or not visible to you")
    @blp.alt_response(409, description="Not proposed (already accepted or rejected)")
    def post(self, body: dict[str, Any], evidence_id: int) -> Evidence:
        """Reject a member's proposed evidence with a comment: it leaves the lists"""
        item = evidence_service.get_evidence(evidence_id, Action.MANAGE_EVIDENCE)
        return evidence_review.review(item, user(), False, body["comment"])


@blp.route("/companies/<int:company_id>/evidence-proposals")
@cached_response(timeless)
class EvidenceProposals(MethodView):
    @blp.arguments(ProposalsQuerySchema, location="query")
    @blp.response(200, EvidenceSchema(many=True))
    @blp.alt_response(404, description="No such company, or not visible to you")
    @blp.paginate()
    def get(
        self, query: dict[str, Any], company_id: int, pagination_parameters: Any
    ) -> Sequence[Evidence]:
        """Evidence members proposed, newest first, with the coach's decision and comment
        (filter by `review_status`)"""
        return paginate(
            evidence_review.proposals(
                company_or_404(company_id, Action.VIEW), query.get("review_status")
            ),
            pagination_parameters,
        )


@blp.route("/companies/<int:company_id>/milestones/<string:key>/criteria/<string:criterion>")
class CriterionCheck(MethodView):
    @blp.arguments(CriterionCheckSchema)
    @blp.response(200, StatusCriterionSchema)
    @blp.alt_response(403, description="Only a coach assigned to the company checks criteria")
    @blp.alt_response(404, description="No such company, milestone or criterion")
    def put(self, body: dict[str, Any], company_id: int, key: str, criterion: str) -> Any:
        """Mark a criterion of a milestone met or not met, with a note"""
        company = company_or_404(company_id, Action.MANAGE_EVIDENCE)
        return criteria_service.check(
            company, milestone_key(key), criterion, body["met"], body.get("note"), user()
        )


@blp.route("/companies/<int:company_id>/metric-series")
@cached_response(timeless)
class MetricSeries(MethodView):
    @blp.response(200, MetricSeriesSchema)
    @blp.alt_response(404, description="No such company, or not visible to you")
    def get(self, company_id: int) -> Any:
        """Accepted metric evidence per metric_key, oldest first"""
        return metric_series(company_or_404(company_id, Action.VIEW))
