"""Tasks of a company and their transitions (submit, approve, reject, cancel)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.policies import user
from milestones.models import Task
from milestones.schemas.tasks import (
    EmptyBodySchema,
    ReviewSchema,
    TaskCreateSchema,
    TaskQuerySchema,
    TaskSchema,
)
from milestones.services import tasks as tasks_service

blp = Blueprint("tasks", __name__, url_prefix="/api/v1", description="Tasks and their reviews")


@blp.route("/companies/<int:company_id>/tasks")
class CompanyTasks(MethodView):
    @blp.arguments(TaskQuerySchema, location="query")
    @blp.response(200, TaskSchema(many=True))
    @blp.paginate()
    def get(
        self, query: dict[str, Any], pagination_parameters: Any, company_id: int
    ) -> Sequence[Task]:
        """The company's tasks, newest first (filter by milestone and status)"""
        return paginate(tasks_service.list_tasks(company_id, **query), pagination_parameters)

    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema)
    @blp.alt_response(403, description="Not a coach or member of the company")
    @blp.alt_response(422, description="Invalid body, or no milestone once all are achieved")
    def post(self, body: dict[str, Any], company_id: int) -> Task:
        """Create a task (milestone defaults to the current one)"""
        return tasks_service.create_task(user(), company_id, **body)


@blp.route("/tasks/<int:task_id>")
class TaskById(MethodView):
    @blp.response(200, TaskSchema)
    def get(self, task_id: int) -> Task:
        """One task"""
        return tasks_service.get_task(user(), task_id)


@blp.route("/tasks/<int:task_id>/submit")
class SubmitTask(MethodView):
    @blp.arguments(EmptyBodySchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, description="Not a coach or member of the company")
    @blp.alt_response(409, description="The task is not open")
    def post(self, _body: dict[str, Any], task_id: int) -> Task:
        """Say the task is done, for a coach to approve"""
        return tasks_service.submit_task(user(), task_id)


@blp.route("/tasks/<int:task_id>/approve")
class ApproveTask(MethodView):
    @blp.arguments(ReviewSchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, description="Not a coach assigned to the company")
    @blp.alt_response(409, description="The task is not submitted")
    def post(self, body: dict[str, Any], task_id: int) -> Task:
        """Approve a submitted task: it is completed"""
        return tasks_service.approve_task(user(), task_id, body.get("comment"))


@blp.route("/tasks/<int:task_id>/reject")
class RejectTask(MethodView):
    @blp.arguments(ReviewSchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, description="Not a coach assigned to the company")
    @blp.alt_response(409, description="The task is not submitted")
    def post(self, body: dict[str, Any], task_id: int) -> Task:
        """Reject a submitted task: back to open with the comment"""
        return tasks_service.reject_task(user(), task_id, body.get("comment"))


@blp.route("/tasks/<int:task_id>/cancel")
class CancelTask(MethodView):
    @blp.arguments(EmptyBodySchema)
    @blp.response(200, TaskSchema)
    @blp.alt_response(403, description="Not a coach assigned to the company")
    @blp.alt_response(409, description="The task is already approved or cancelled")
    def post(self, _body: dict[str, Any], task_id: int) -> Task:
        """Cancel an open or submitted task"""
        return tasks_service.cancel_task(user(), task_id)
