"""The five market milestones, in their fixed order, with their criteria."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class MilestoneKey(enum.StrEnum):
    VALUE_BASELINE = "value_baseline"
    FIRST_CUSTOMER = "first_customer"
    X_CUSTOMERS = "x_customers"
    TEN_X_CUSTOMERS = "ten_x_customers"
    ONE_M_ARR = "one_m_arr"


# What a company whose five milestones are achieved has instead of a current milestone
# (the value of the portfolio's `milestone` filter for them).
ALL_ACHIEVED = "all_achieved"


@dataclass(frozen=True)
class Criterion:
    key: str
    text: str


@dataclass(frozen=True)
class Milestone:
    key: MilestoneKey
    title: str
    criteria: tuple[Criterion, ...]

    @property
    def position(self) -> int:
        return ORDER.index(self.key)

    def has_criterion(self, key: str) -> bool:
        return any(c.key == key for c in self.criteria)


def _m(key: MilestoneKey, title: str, *criteria: tuple[str, str]) -> Milestone:
    return Milestone(key, title, tuple(Criterion(k, t) for k, t in criteria))


CATALOGUE: tuple[Milestone, ...] = (
    _m(
        MilestoneKey.VALUE_BASELINE,
        "Value Baseline",
        ("value_proposition", "Clear value proposition documented"),
        ("target_market", "Target market identified"),
        ("pricing_model", "Initial pricing model defined"),
        ("mvp_features", "MVP features outlined"),
    ),
    _m(
        MilestoneKey.FIRST_CUSTOMER,
        "First Customer",
        ("signed_contract", "Signed contract/agreement"),
        ("payment_received", "Payment received"),
        ("product_delivered", "Product/service delivered"),
        ("customer_feedback", "Customer feedback documented"),
    ),
    _m(
        MilestoneKey.X_CUSTOMERS,
        "X Customers",
        ("five_paying_customers", "Minimum 5 paying customers"),
        ("recurring_revenue", "Recurring revenue established"),
        ("retention_80", "Customer retention > 80%"),
        ("avg_deal_size", "Average deal size tracked"),
    ),
    _m(
        MilestoneKey.TEN_X_CUSTOMERS,
        "10X Customers",
        ("fifty_paying_customers", "Minimum 50 paying customers"),
        ("mrr_growth", "Monthly recurring revenue growth"),
        ("cac_defined", "Customer acquisition cost defined"),
        ("sales_process", "Sales process documented"),
    ),
    _m(
        MilestoneKey.ONE_M_ARR,
        "$1M ARR",
        ("arr_1m", "$1M annual recurring revenue"),
        ("sustainable_growth", "Sustainable growth metrics"),
        ("unit_economics", "Positive unit economics"),
        ("expansion_plan", "Market expansion plan"),
    ),
)

ORDER: tuple[MilestoneKey, ...] = tuple(m.key for m in CATALOGUE)
BY_KEY: dict[str, Milestone] = {m.key.value: m for m in CATALOGUE}
KEYS: tuple[str, ...] = tuple(k.value for k in ORDER)


def get(key: str) -> Milestone:
    return BY_KEY[key]


def position(key: str) -> int:
    return KEYS.index(key)


def previous_key(key: str) -> str | None:
    i = position(key)
    return KEYS[i - 1] if i > 0 else None


def next_key(key: str) -> str | None:
    i = position(key)
    return KEYS[i + 1] if i + 1 < len(KEYS) else None
