"""Milestone suggestions: when accepted metric evidence says the current milestone looks
reached. A suggestion never changes a status; the coach still decides with the toggle.

The rules (SPEC "Metric series and suggestions"), one table for the SQL that fills
company_stats.suggested_milestone and for the sentence the statuses view shows:
- first_customer: latest paying_customers >= 1
- x_customers: latest paying_customers >= 5
- ten_x_customers: latest paying_customers >= 50
- one_m_arr: latest arr_usd >= 1,000,000, or 12 x latest mrr_usd >= 1,000,000
"Latest" is the accepted, not removed metric evidence of that key recorded last
(created_at, then id), on any milestone of the company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from milestones import catalogue
from milestones.models import Evidence, EvidenceType, MetricKey, ReviewStatus
from milestones.sql.dialect import const, int_const, is_
from milestones.timeutil import utcnow


@dataclass(frozen=True)
class Rule:
    milestone: catalogue.MilestoneKey
    metric: MetricKey
    threshold: int
    factor: int = 1  # the value is multiplied by this first (MRR x 12 = ARR)


RULES: tuple[Rule, ...] = (
    Rule(catalogue.MilestoneKey.FIRST_CUSTOMER, MetricKey.PAYING_CUSTOMERS, 1),
    Rule(catalogue.MilestoneKey.X_CUSTOMERS, MetricKey.PAYING_CUSTOMERS, 5),
    Rule(catalogue.MilestoneKey.TEN_X_CUSTOMERS, MetricKey.PAYING_CUSTOMERS, 50),
    Rule(catalogue.MilestoneKey.ONE_M_ARR, MetricKey.ARR_USD, 1_000_000),
    Rule(catalogue.MilestoneKey.ONE_M_ARR, MetricKey.MRR_USD, 1_000_000, factor=12),
)
# The metric keys any rule reads, in a fixed order (columns of latest_metrics()).
WATCHED: tuple[MetricKey, ...] = tuple(dict.fromkeys(r.metric for r in RULES))


def latest_of(key: MetricKey, company_id: Any) -> sa.Select[Any]:
    """The company's latest accepted evidence of this metric key (a one-row SELECT; pick
    the columns with with_only_columns). Read off ix_evidence_company_metric."""
    e = Evidence
    return (
        sa.select(e)
        .where(
            e.company_id == company_id,
            is_(e.metric_key, key),
            is_(e.evidence_type, EvidenceType.METRIC),
            is_(e.review_status, ReviewStatus.ACCEPTED),
            e.removed_at.is_(None),
        )
        .order_by(e.created_at.desc(), e.id.desc())
        .limit(int_const(1))
    )


def latest_metrics(company_id: Any = None, ids: Any = None) -> Any:
    """A subquery of the latest accepted value and time of every WATCHED metric, one row
    per company (column company_id) restricted to `ids` (an expanding parameter, None:
    all) or to the company whose id is `company_id` (a bound parameter). Columns `<key>`
    and `<key>_at`."""
    e = Evidence
    ranked = sa.select(
        e.company_id,
        e.metric_key,
        e.metric_value,
        e.created_at,
        sa.func.row_number()
        .over(
            partition_by=[e.company_id, e.metric_key],
            order_by=[e.created_at.desc(), e.id.desc()],
        )
        .label("rn"),
    ).where(
        is_(e.metric_key, *WATCHED),
        is_(e.evidence_type, EvidenceType.METRIC),
        is_(e.review_status, ReviewStatus.ACCEPTED),
        e.removed_at.is_(None),
    )
    if company_id is not None:
        ranked = ranked.where(e.company_id == company_id)
    elif ids is not None:
        ranked = ranked.where(e.company_id.in_(ids))
    r = ranked.subquery("ranked")
    columns: list[Any] = []
    for key in WATCHED:
        mine = r.c.metric_key == const(key.value, r.c.metric_key.type)
        columns.append(sa.func.max(sa.case((mine, r.c.metric_value))).label(key.value))
        columns.append(sa.func.max(sa.case((mine, r.c.created_at))).label(f"{key.value}_at"))
    latest = sa.select(*columns).where(r.c.rn == int_const(1))
    if company_id is None:
        latest = latest.add_columns(r.c.company_id).group_by(r.c.company_id)
    return latest.subquery("latest_metrics")


def suggested_milestone(current: Any, latest: Any) -> ColumnElement[Any]:
    """SQL: the current milestone when a rule says it looks reached, else NULL. `current`
    is a current-milestone column, `latest` a latest_metrics() subquery (outer-joined)."""
    whens = []
    for rule in RULES:
        value = latest.c[rule.metric.value]
        if rule.factor != 1:
            value = value * int_const(rule.factor)
        reached = sa.and_(
            current == const(rule.milestone.value, current.type),
            value >= int_const(rule.threshold),
        )
        whens.append((reached, current))
    return sa.case(*whens, else_=sa.null())


# --- the sentence ---------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    milestone: str
    sentence: str


def _money(value: float) -> str:
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"


def _count(value: float) -> str:
    n = int(value) if value == int(value) else value
    return f"{n} paying customer" + ("" if n == 1 else "s")


def _day(at: datetime) -> str:
    label = f"{at.day} {at:%b}"
    return label if at.year == utcnow().year else f"{label} {at.year}"


def _evidence_text(rule: Rule, value: float) -> str:
    if rule.metric == MetricKey.PAYING_CUSTOMERS:
        return _count(value)
    if rule.metric == MetricKey.MRR_USD:
        return f"{_money(value)} MRR ({_money(value * 12)} a year)"
    return f"{_money(value)} ARR"


def suggest(milestone: str, latest: dict[str, Any]) -> Suggestion | None:
    """The suggestion for `milestone` (the company's current one) from the latest values
    ({"<key>": value, "<key>_at": time} as latest_metrics() gives them), or None."""
    for rule in RULES:
        if rule.milestone.value != milestone:
            continue
        value = latest.get(rule.metric.value)
        if value is None or float(value) * rule.factor < rule.threshold:
            continue
        at = latest.get(f"{rule.metric.value}_at")
        title = catalogue.get(milestone).title
        recorded = f" (recorded {_day(at)})" if at is not None else ""
        text = _evidence_text(rule, float(value))
        return Suggestion(milestone, f"Evidence suggests {title} is reached: {text}{recorded}")
    return None
