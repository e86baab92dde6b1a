"""Figures computed by the database: per company, portfolio, across companies."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.policies import require_role, user
from milestones.models import Role
from milestones.reporting.analytics import milestone_analytics
from milestones.reporting.company_metrics import company_metrics_json
from milestones.reporting.portfolio import portfolio_json
from milestones.schemas.base import FastDump
from milestones.schemas.metrics import (
    AnalyticsQuerySchema,
    AnalyticsSchema,
    CompanyMetricsSchema,
    PortfolioQuerySchema,
    PortfolioRowSchema,
)

blp = Blueprint("metrics", __name__, url_prefix="/api/v1", description="Metrics and analytics")


COMPANY_METRICS = CompanyMetricsSchema()


@blp.route("/companies/<int:company_id>/metrics")
class CompanyMetrics(MethodView):
    @blp.response(200, CompanyMetricsSchema)  # the JSON is written in that shape
    def get(self, company_id: int) -> Response:
        """Per-milestone metrics and the 12-week trend"""
        text = company_metrics_json(user(), company_id, COMPANY_METRICS.dump)
        return current_app.response_class(text, mimetype="application/json")


PORTFOLIO_ROW = PortfolioRowSchema()
dump_portfolio = FastDump(PORTFOLIO_ROW)


@blp.route("/portfolio")
class Portfolio(MethodView):
    @blp.arguments(PortfolioQuerySchema, location="query")
    @blp.response(200, PortfolioRowSchema(many=True))  # dumped by FastDump, in that shape
    @blp.alt_response(403, description="Members have no portfolio")
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Response:
        """One row per company the caller may see (coaches and admins)"""
        require_role(Role.COACH, Role.ADMIN)
        text, total = portfolio_json(
            user(),
            dump_portfolio,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
            **query,
        )
        pagination_parameters.item_count = total
        return current_app.response_class(text, mimetype="application/json")


@blp.route("/analytics/milestones")
class MilestoneAnalytics(MethodView):
    @blp.arguments(AnalyticsQuerySchema, location="query")
    @blp.response(200, AnalyticsSchema)
    @blp.alt_response(403, description="Members see no cross-company figures")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Per milestone across the caller's companies: started, achieved, in progress,
        mean and median days to achieve"""
        require_role(Role.COACH, Role.ADMIN)
        return milestone_analytics(user(), **query)
