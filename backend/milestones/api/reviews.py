"""The coach's review queue and bulk decisions on it."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.api.render import Payload
from milestones.api.response_cache import cached_response, queue_ages
from milestones.auth.policies import user
from milestones.schemas.base import FastDump
from milestones.schemas.reviews import (
    BulkReviewResultSchema,
    BulkReviewSchema,
    PendingItemSchema,
)
from milestones.services import reviews as reviews_service

PENDING_ITEMS = PendingItemSchema(many=True)
PENDING_SPEC = FastDump(PENDING_ITEMS).spec

blp = Blueprint("reviews", __name__, url_prefix="/api/v1/reviews", description="Review queue")


@blp.route("/pending")
@cached_response(queue_ages)
class PendingReviews(MethodView):
    @blp.response(200, PENDING_ITEMS)
    @blp.alt_response(403, description="Members have no review queue")
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> Payload:
        """Submitted tasks and pending updates of the caller's companies, oldest first
        (coaches; admins read everyone's)"""
        page = (user(), pagination_parameters.page, pagination_parameters.page_size)
        payload, total = reviews_service.pending_payload(*page, PENDING_SPEC)
        pagination_parameters.item_count = total
        return Payload(payload, check=lambda: reviews_service.pending(*page)[0])


@blp.route("")
class BulkReview(MethodView):
    @blp.arguments(BulkReviewSchema)
    @blp.response(200, BulkReviewResultSchema)
    @blp.alt_response(403, description="Only assigned coaches review")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Approve or reject up to 100 items, each on its own; results in the order given"""
        return reviews_service.review_many(user(), **body)
