"""Figures computed by the database: per company, portfolio, across companies."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.api.render import Payload
from milestones.api.response_cache import cached_response, per_company, programme_wide, timeless
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import Action, company_or_404, user
from milestones.reporting.analytics import milestone_analytics
from milestones.reporting.company_metrics import company_metrics, company_metrics_payload
from milestones.reporting.portfolio import portfolio, portfolio_payload
from milestones.schemas.base import FastDump
from milestones.schemas.metrics import (
    AnalyticsQuerySchema,
    AnalyticsSchema,
    CompanyMetricsSchema,
    PortfolioQuerySchema,
    PortfolioRowSchema,
)

blp = Blueprint("metrics", __name__, url_prefix="/api/v1", description="Metrics and analytics")


# The database writes these two responses' JSON (json_agg) on PostgreSQL; api/render.py
# checks it against the schema's dump under RENDER_CHECK.
COMPANY_METRICS = CompanyMetricsSchema()
PORTFOLIO_ROWS = PortfolioRowSchema(many=True)
PORTFOLIO_SPEC = FastDump(PORTFOLIO_ROWS).spec


@blp.route("/companies/<int:company_id>/metrics")
@cached_response(per_company)
class CompanyMetrics(MethodView):
    @blp.response(200, COMPANY_METRICS)
    def get(self, company_id: int) -> Payload:
        """Per-milestone metrics and the 12-week trend"""
        return Payload(
            company_metrics_payload(user(), company_id),
            check=lambda: company_metrics(company_or_404(company_id, Action.VIEW)),
        )


@blp.route("/portfolio")
@cached_response(programme_wide)
class Portfolio(MethodView):
    @blp.arguments(PortfolioQuerySchema, location="query")
    @blp.response(200, PORTFOLIO_ROWS)
    @blp.alt_response(403, description="Members have no portfolio")
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Payload:
        """One row per company the caller may see (coaches and admins)"""
        require(Ability.VIEW_PORTFOLIO)
        page = {
            "page": pagination_parameters.page,
            "page_size": pagination_parameters.page_size,
            **query,
        }
        payload, total = portfolio_payload(user(), PORTFOLIO_SPEC, **page)
        pagination_parameters.item_count = total
        return Payload(payload, check=lambda: portfolio(user(), **page)[0])


@blp.route("/analytics/milestones")
@cached_response(timeless)
class MilestoneAnalytics(MethodView):
    @blp.arguments(AnalyticsQuerySchema, location="query")
    @blp.response(200, AnalyticsSchema)
    @blp.alt_response(403, description="Members see no cross-company figures")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Per milestone across the caller's companies: started, achieved, in progress,
        mean and median days to achieve"""
        require(Ability.VIEW_ANALYTICS)
        return milestone_analytics(user(), **query)
