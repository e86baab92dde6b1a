"""Programme reporting: cohorts side by side and the activity log (coaches and admins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.api.response_cache import cached_response, timeless
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import user
from milestones.reporting import activity, cohorts
from milestones.schemas.reporting import (
    ActivityItemSchema,
    ActivityQuerySchema,
    CohortComparisonSchema,
)

blp = Blueprint("reporting", __name__, url_prefix="/api/v1", description="Programme reporting")


@blp.route("/analytics/cohorts")
@cached_response(timeless)
class CohortAnalytics(MethodView):
    @blp.response(200, CohortComparisonSchema)
    @blp.alt_response(403, description="Members see no cross-company figures")
    def get(self) -> dict[str, Any]:
        """Per cohort and milestone: companies started, achieved, in progress, mean and
        median days to achieve (the caller's companies, as analytics)"""
        require(Ability.VIEW_ANALYTICS)
        return cohorts.cohort_analytics(user())


@blp.route("/activity")
@cached_response(timeless)
class Activity(MethodView):
    @blp.arguments(ActivityQuerySchema, location="query")
    @blp.response(200, ActivityItemSchema(many=True))
    @blp.alt_response(403, description="Members have no programme activity log")
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Sequence[Any]:
        """Every history event of the caller's companies, newest first"""
        require(Ability.VIEW_ACTIVITY)
        rows, total = activity.activity_page(
            user(), pagination_parameters.page, pagination_parameters.page_size, **query
        )
        pagination_parameters.item_count = total
        return rows
