"""Progress updates of a company and their review by its coaches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.policies import user
from milestones.models import ProgressUpdate, UpdateStatus
from milestones.schemas.tasks import ReviewSchema
from milestones.schemas.updates import UpdateCreateSchema, UpdateQuerySchema, UpdateSchema
from milestones.services import updates as updates_service

blp = Blueprint("updates", __name__, url_prefix="/api/v1", description="Progress updates")


@blp.route("/companies/<int:company_id>/updates")
class CompanyUpdates(MethodView):
    @blp.arguments(UpdateQuerySchema, location="query")
    @blp.response(200, UpdateSchema(many=True))
    @blp.paginate()
    def get(
        self, query: dict[str, Any], pagination_parameters: Any, company_id: int
    ) -> Sequence[ProgressUpdate]:
        """The company's progress updates, newest first"""
        return paginate(updates_service.list_updates(company_id, **query), pagination_parameters)

    @blp.arguments(UpdateCreateSchema)
    @blp.response(201, UpdateSchema)
    @blp.alt_response(403, description="Not a coach or member of the company")
    @blp.alt_response(422, description="Invalid body, or a task of another company")
    def post(self, body: dict[str, Any], company_id: int) -> ProgressUpdate:
        """Post a progress update (milestone defaults to the current one)"""
        return updates_service.create_update(user(), company_id, **body)


@blp.route("/updates/<int:update_id>")
class UpdateById(MethodView):
    @blp.response(200, UpdateSchema)
    def get(self, update_id: int) -> ProgressUpdate:
        """One progress update"""
        return updates_service.get_update(user(), update_id)


@blp.route("/updates/<int:update_id>/approve")
class ApproveUpdate(MethodView):
    @blp.arguments(ReviewSchema)
    @blp.response(200, UpdateSchema)
    @blp.alt_response(403, description="Not a coach assigned to the company")
    @blp.alt_response(409, description="The update is not pending")
    def post(self, body: dict[str, Any], update_id: int) -> ProgressUpdate:
        """Approve a pending update"""
        return updates_service.review_update(
            user(), update_id, UpdateStatus.APPROVED, body.get("comment")
        )


@blp.route("/updates/<int:update_id>/reject")
class RejectUpdate(MethodView):
    @blp.arguments(ReviewSchema)
    @blp.response(200, UpdateSchema)
    @blp.alt_response(403, description="Not a coach assigned to the company")
    @blp.alt_response(409, description="The update is not pending")
    def post(self, body: dict[str, Any], update_id: int) -> ProgressUpdate:
        """Reject a pending update, with a comment"""
        return updates_service.review_update(
            user(), update_id, UpdateStatus.REJECTED, body.get("comment")
        )
