"""Metric series: the accepted metric evidence of a company that carries a metric_key,
per key, oldest first (GET /companies/{id}/metric-series). One statement."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Company, Evidence, EvidenceType, MetricKey, ReviewStatus
from milestones.sql.dialect import const, is_

# The unit follows from the key.
UNITS: dict[MetricKey, str] = {
    MetricKey.PAYING_CUSTOMERS: "customers",
    MetricKey.MRR_USD: "USD",
    MetricKey.ARR_USD: "USD",
    MetricKey.RETENTION_RATE_PCT: "%",
    MetricKey.AVG_DEAL_SIZE_USD: "USD",
    MetricKey.CAC_USD: "USD",
}
LABELS: dict[MetricKey, str] = {
    MetricKey.PAYING_CUSTOMERS: "Paying customers",
    MetricKey.MRR_USD: "MRR (USD)",
    MetricKey.ARR_USD: "ARR (USD)",
    MetricKey.RETENTION_RATE_PCT: "Customer retention (%)",
    MetricKey.AVG_DEAL_SIZE_USD: "Average deal size (USD)",
    MetricKey.CAC_USD: "Customer acquisition cost (USD)",
}
ORDER: tuple[MetricKey, ...] = tuple(MetricKey)


def check_value(key: MetricKey, value: float) -> str | None:
    """What is wrong with `value` for `key`, or None."""
    if value < 0:
        return "Must not be negative."
    if key == MetricKey.PAYING_CUSTOMERS and value != int(value):
        return "A number of customers is a whole number."
    if key == MetricKey.RETENTION_RATE_PCT and value > 100:
        return "A percentage is at most 100."
    return None


@cache
def _points_stmt() -> Any:
    e = Evidence
    position = sa.case(
        *((e.metric_key == const(k.value, e.metric_key.type), i) for i, k in enumerate(ORDER))
    )
    return (
        sa.select(e.metric_key, e.created_at, e.metric_value, e.id)
        .where(
            e.company_id == sa.bindparam("company_id", type_=sa.Integer()),
            e.metric_key.is_not(None),
            is_(e.evidence_type, EvidenceType.METRIC),
            is_(e.review_status, ReviewStatus.ACCEPTED),
            e.removed_at.is_(None),
        )
        .order_by(position, e.created_at, e.id)
    )


def metric_series(company: Company) -> dict[str, Any]:
    """{series: [{metric_key, unit, label, points: [{at, value, evidence_id}]}]}: the keys
    with at least one point, in the fixed order of MetricKey."""
    rows = db.session.execute(_points_stmt(), {"company_id": company.id}).all()
    series: list[dict[str, Any]] = []
    for key, at, value, evidence_id in rows:
        if not series or series[-1]["metric_key"] != key.value:
            series.append(
                {"metric_key": key.value, "unit": UNITS[key], "label": LABELS[key], "points": []}
            )
        series[-1]["points"].append({"at": at, "value": value, "evidence_id": evidence_id})
    return {"series": series}
