"""Two cohorts and their companies, with times worked out by hand (clock frozen at
tests.fixtures.metrics.NOW, 2026-01-07 12:00 UTC).

Cohort 2024 (coach_a follows all three):
  A1  Value Baseline 2024-01-15 -> 01-25 (10 d), First Customer -> 03-05 (40 d), in X since
  A2  Value Baseline 2024-01-15 -> 02-04 (20 d), in First Customer since
  A3  Value Baseline 2024-01-15 -> 03-15 (60 d), First Customer -> 04-04 (20 d),
      X Customers -> 05-04 (30 d), in 10X since
Cohort 2025:
  B1  (coach_a) Value Baseline 2025-01-15 -> 01-20 (5 d), in First Customer since
  B2  (coach_b) Value Baseline 2025-01-15 -> 02-14 (30 d), First Customer -> 03-16 (30 d),
      in X since
Empty 2026: no company.  N (coach_a): no cohort, Value Baseline since 2025-12-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from milestones.extensions import db
from milestones.models import Cohort, Company, User
from tests.fixtures.metrics import at, set_statuses


@dataclass
class CohortWorld:
    admin: User
    coach_a: User
    coach_b: User
    member: User
    c2024: Cohort
    c2025: Cohort
    empty: Cohort
    a1: Company
    a2: Company
    a3: Company
    b1: Company
    b2: Company
    n: Company


def _cohort(name: str, starts_on: date, ends_on: date | None = None) -> Cohort:
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on, created_at=at(2023, 1, 1))
    db.session.add(cohort)
    db.session.commit()
    return cohort


def build(factory: Any) -> CohortWorld:
    admin, coach_a, coach_b, member = (
        factory.admin(name="Ada Admin"),
        factory.coach(name="Carla Coach"),
        factory.coach(name="Bert Coach"),
        factory.member(),
    )
    c2024 = _cohort("Cohort 2024", date(2024, 1, 15), date(2024, 6, 30))
    c2025 = _cohort("Cohort 2025", date(2025, 1, 15))
    empty = _cohort("Empty 2026", date(2026, 2, 1))

    def company(name: str, coach: User, cohort: Cohort | None, joined: Any, **kw: Any) -> Any:
        made = factory.company(name, coaches=[coach], joined_at=joined, **kw)
        made.cohort_id = cohort.id if cohort else None
        db.session.commit()
        return made

    a1 = company("A1", coach_a, c2024, at(2024, 1, 15), members=[member])
    a2 = company("A2", coach_a, c2024, at(2024, 1, 15))
    a3 = company("A3", coach_a, c2024, at(2024, 1, 15))
    b1 = company("B1", coach_a, c2025, at(2025, 1, 15))
    b2 = company("B2", coach_b, c2025, at(2025, 1, 15))
    n = company("N", coach_a, None, at(2025, 12, 1))
    d = at
    set_statuses(
        a1,
        [(d(2024, 1, 15), d(2024, 1, 25)), (d(2024, 1, 25), d(2024, 3, 5)), (d(2024, 3, 5), None)],
    )
    set_statuses(a2, [(d(2024, 1, 15), d(2024, 2, 4)), (d(2024, 2, 4), None)])
    set_statuses(
        a3,
        [
            (d(2024, 1, 15), d(2024, 3, 15)),
            (d(2024, 3, 15), d(2024, 4, 4)),
            (d(2024, 4, 4), d(2024, 5, 4)),
            (d(2024, 5, 4), None),
        ],
    )
    set_statuses(b1, [(d(2025, 1, 15), d(2025, 1, 20)), (d(2025, 1, 20), None)])
    set_statuses(
        b2,
        [
            (d(2025, 1, 15), d(2025, 2, 14)),
            (d(2025, 2, 14), d(2025, 3, 16)),
            (d(2025, 3, 16), None),
        ],
    )
    set_statuses(n, [(d(2025, 12, 1), None)])
    return CohortWorld(admin, coach_a, coach_b, member, c2024, c2025, empty, a1, a2, a3, b1, b2, n)


@dataclass
class ActivityWorld:
    cohorts: CohortWorld
    events: dict[str, int]  # e1..e5 -> history event id
    evidence_id: int


def add_history(company: Company, milestone: str, event: str, actor: User, when: Any, **kw: Any):
    from milestones.catalogue import MilestoneKey
    from milestones.models import HistoryEvent, HistoryEventType

    row = HistoryEvent(
        company_id=company.id,
        milestone=MilestoneKey(milestone),
        event=HistoryEventType(event),
        actor_id=actor.id,
        created_at=when,
        **kw,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


EVIDENCE_TITLE = 'Signed contract, "Acme"\nsecond line ☕'


def build_activity(factory: Any) -> ActivityWorld:
    """The cohort world plus five history events (newest first: e3, e4, e5, e2, e1)."""
    from milestones.catalogue import MilestoneKey
    from milestones.models import Evidence, EvidenceType, MilestoneStatus

    w = build(factory)
    status = (
        db.session.query(MilestoneStatus)
        .filter_by(company_id=w.a1.id, milestone=MilestoneKey.FIRST_CUSTOMER)
        .one()
    )
    evidence = Evidence(
        status_id=status.id,
        company_id=w.a1.id,
        milestone=MilestoneKey.FIRST_CUSTOMER,
        evidence_type=EvidenceType.LINK,
        title=EVIDENCE_TITLE,
        url="https://example.test/contract",
        created_by_id=w.coach_a.id,
        created_at=at(2024, 2, 1, 9, 30),
    )
    db.session.add(evidence)
    db.session.commit()
    toggled = {"previous": False, "achieved": True}
    events = {
        "e1": add_history(
            w.a1,
            "value_baseline",
            "toggled",
            w.coach_a,
            at(2024, 1, 25),
            reason="Pricing page live",
            **toggled,
        ),
        "e2": add_history(
            w.a1,
            "first_customer",
            "evidence_added",
            w.coach_a,
            at(2024, 2, 1, 9, 30),
            evidence_id=evidence.id,
        ),
        "e3": add_history(
            w.b2,
            "value_baseline",
            "toggled",
            w.coach_b,
            at(2025, 2, 14),
            reason='=HYPERLINK("http://evil.test")',
            **toggled,
        ),
        "e4": add_history(
            w.b1, "value_baseline", "toggled", w.coach_a, at(2025, 1, 20), reason=None, **toggled
        ),
        "e5": add_history(
            w.a2,
            "value_baseline",
            "toggled",
            w.coach_a,
            at(2024, 2, 4),
            reason="-5% churn, fine",
            **toggled,
        ),
    }
    return ActivityWorld(w, events, evidence.id)
