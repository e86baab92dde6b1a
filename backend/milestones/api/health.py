"""Liveness of the API and its database."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView

from milestones.api.pagination import Blueprint
from milestones.auth.session import public
from milestones.extensions import db
from milestones.schemas.auth import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Health checks")


@blp.route("/healthz")
@public
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database does not answer")
    def get(self) -> dict[str, Any]:
        """200 when the database answers"""
        db.session.execute(sa.text("SELECT 1"))
        return {"status": "ok", "checks": {"database": "ok"}}
