"""CSV and XLSX downloads of the portfolio, the analytics and the activity log (coaches
and admins; the filters and scope of the route each one copies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from flask.views import MethodView
from marshmallow import Schema

from milestones.api.pagination import Blueprint
from milestones.auth.abilities import Ability, require
from milestones.auth.policies import user
from milestones.reporting import exports, sources
from milestones.schemas.metrics import (
    AnalyticsQuerySchema,
    AnalyticsRowSchema,
    PortfolioQuerySchema,
    PortfolioRowSchema,
)
from milestones.schemas.reporting import ActivityItemSchema, ActivityQuerySchema

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="Downloads")

FORMATS: dict[str, tuple[str, Callable[..., Response]]] = {
    "csv": ("text/csv", exports.csv_response),
    "xlsx": (exports.XLSX_TYPE, exports.xlsx_response),
}
FILE = {"type": "string", "format": "binary"}


def _export(report: str, query: type[Schema], row: Schema, rows: Callable[..., Any]) -> None:
    """Register GET /exports/<report>.csv and .xlsx."""
    columns = exports.columns_of(row)
    for extension, (content_type, respond) in FORMATS.items():

        def get(self: MethodView, query: dict[str, Any], respond: Any = respond) -> Response:
            require(Ability.EXPORT)
            return respond(report, columns, rows(user(), **query))

        get.__doc__ = f"The {report} as {extension.upper()} (an attachment with a dated name)"
        decorated = blp.arguments(query, location="query")(get)
        decorated = blp.response(
            200, FILE, content_type=content_type, description=f"{report}.{extension}"
        )(decorated)
        decorated = blp.alt_response(403, description="Members cannot export")(decorated)
        view = type(f"{report.title()}{extension.title()}Export", (MethodView,), {"get": decorated})
        blp.route(f"/{report}.{extension}", endpoint=f"{report}_{extension}")(view)


_export("portfolio", PortfolioQuerySchema, PortfolioRowSchema(), sources.portfolio_rows)
_export("analytics", AnalyticsQuerySchema, AnalyticsRowSchema(), sources.analytics_rows)
_export("activity", ActivityQuerySchema, ActivityItemSchema(), sources.activity_rows)
