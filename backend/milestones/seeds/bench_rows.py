"""The bench seed's rows, generated in memory from one random generator (so a seed value
always gives the same data). They follow the milestone rules: milestones achieved in
order, each started when the previous one was achieved, at least one evidence item (not
removed) on every achieved milestone, a toggle in the history for each, tasks and
updates only on milestones already started, completion and review times in the past."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from milestones import catalogue
from milestones.models import (
    EvidenceType,
    HistoryEventType,
    ReviewDecision,
    Role,
    TaskStatus,
    UpdateStatus,
)
from milestones.seeds.factory import person_row

COMPANIES_PER_COACH = 25
# How many milestones the companies have achieved: most are early, a few are done.
ACHIEVED_WEIGHTS = (22, 26, 22, 15, 10, 5)
Timeline = list[tuple[datetime | None, datetime | None]]
Plan = tuple[int, Timeline]  # milestones achieved, (started, achieved) per milestone
Rows = list[dict[str, Any]]

_WORDS = ("Blue", "Swift", "Bright", "North", "Quiet", "Iron", "Green", "Silver", "Open", "Prime")
_NOUNS = ("Labs", "Health", "Robotics", "Energy", "Foods", "Analytics", "Logistics", "Pay")


def coach_of(i: int, coach_ids: list[int]) -> int:
    return coach_ids[i // COMPANIES_PER_COACH]


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def _moment(
    rng: random.Random,
    timeline: Timeline,
    current: int,
    now: datetime,
    on_current: float,
    spread: float,
) -> tuple[int, datetime, datetime | None, datetime]:
    """Where a task or update falls: its milestone (the current one with probability
    `on_current`, else any reached so far), a creation time within the first `spread` of
    that milestone's span, the milestone's achievement (or None) and the span's end."""
    position = current if rng.random() < on_current else rng.randint(0, current)
    start, done = timeline[position]
    assert start is not None
    end = done or now
    return position, start + (end - start) * rng.uniform(0.0, spread), done, end


def people(companies: int, tag: str, password_hash: str, now: datetime) -> tuple[Rows, int]:
    """One admin, a coach per COMPANIES_PER_COACH companies, a member per company (each
    row shaped by seeds/factory.py's person_row)."""
    n_coaches = max(1, -(-companies // COMPANIES_PER_COACH))
    named = [(f"admin@{tag}.test", "Bench Admin", Role.ADMIN)]
    named += [(f"coach{i}@{tag}.test", f"Bench Coach {i}", Role.COACH) for i in range(n_coaches)]
    named += [(f"member{i}@{tag}.test", f"Bench Member {i}", Role.MEMBER) for i in range(companies)]
    rows = [
        {**person_row(email, name, role, password_hash), "created_at": now}
        for email, name, role in named
    ]
    return rows, n_coaches


def companies_and_plans(
    rng: random.Random, companies: int, now: datetime, prefix: str, seed: int
) -> tuple[Rows, list[Plan]]:
    """The companies and their milestone timelines."""
    plans: list[Plan] = []
    rows: Rows = []
    for i in range(companies):
        achieved = rng.choices(range(6), weights=ACHIEVED_WEIGHTS)[0]
        spans = [_days(rng, 5, 120) for _ in range(achieved)]
        current_span = _days(rng, 1, 90) if achieved < 5 else _days(rng, 1, 60)
        joined = now - sum(spans, timedelta()) - current_span
        timeline: Timeline = []
        cursor = joined
        for position in range(5):
            if position < achieved:
                timeline.append((cursor, cursor + spans[position]))
                cursor = cursor + spans[position]
            elif position == achieved:
                timeline.append((cursor, None))
            else:
                timeline.append((None, None))
        plans.append((achieved, timeline))
        rows.append(
            {
                "name": f"{prefix} {seed}-{i:05d} {rng.choice(_WORDS)} {rng.choice(_NOUNS)}",
                "description": "Benchmark company",
                "joined_at": joined,
                "created_at": joined,
            }
        )
    return rows, plans


def statuses(
    company_ids: list[int], plans: list[Plan], coach_ids: list[int], company_rows: Rows
) -> Rows:
    rows: Rows = []
    for i, (cid, (_, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_of(i, coach_ids)
        for position, (start, done) in enumerate(timeline):
            rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "position": position,
                    "achieved": done is not None,
                    "started_at": start,
                    "achieved_at": done,
                    "last_updated": done or start or company_rows[i]["joined_at"],
                    "updated_by_id": coach_id if done else None,
                    "version": 2 if done else 1,
                }
            )
    return rows


def _event(cid: int, key: str, event: HistoryEventType, actor: int, at: datetime) -> dict[str, Any]:
    return {
        "company_id": cid,
        "milestone": key,
        "event": event.value,
        "actor_id": actor,
        "created_at": at,
    }


def evidence_and_history(
    rng: random.Random,
    company_ids: list[int],
    plans: list[Plan],
    coach_ids: list[int],
    status_ids: list[int],
    now: datetime,
) -> tuple[Rows, Rows]:
    """1-3 evidence items on each achieved milestone, sometimes on the current one, some
    extra removed items; the history of the toggles and the evidence."""
    evidence: Rows = []
    history: Rows = []
    for i, (cid, (_, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_of(i, coach_ids)
        for position, (start, done) in enumerate(timeline):
            if start is None:
                continue
            key = catalogue.KEYS[position]
            count = rng.randint(1, 3) if done else rng.choice((0, 0, 1))
            end = done or now
            for n in range(count + (1 if rng.random() < 0.15 else 0)):
                created = start + (end - start) * rng.uniform(0.1, 0.95)
                removed = created + (end - created) * 0.5 if n >= count else None
                kind = rng.choice((EvidenceType.LINK, EvidenceType.METRIC))
                criterion = rng.choice(catalogue.get(key).criteria).key
                metric = kind == EvidenceType.METRIC
                evidence.append(
                    {
                        "status_id": status_ids[i * 5 + position],
                        "company_id": cid,
                        "milestone": key,
                        "evidence_type": kind.value,
                        "title": f"{criterion.replace('_', ' ').capitalize()} proof",
                        "description": "",
                        "url": None if metric else "https://example.com/proof",
                        "criterion": criterion,
                        "metric_value": rng.uniform(1, 1000) if metric else None,
                        "metric_unit": "customers" if metric else None,
                        "created_by_id": coach_id,
                        "created_at": created,
                        "removed_at": removed,
                        "removed_by_id": coach_id if removed else None,
                    }
                )
                history.append(_event(cid, key, HistoryEventType.EVIDENCE_ADDED, coach_id, created))
                if removed:
                    history.append(
                        _event(cid, key, HistoryEventType.EVIDENCE_REMOVED, coach_id, removed)
                    )
            if done:
                toggled = _event(cid, key, HistoryEventType.TOGGLED, coach_id, done)
                history.append(
                    {**toggled, "previous": False, "achieved": True, "reason": "Criteria met"}
                )
    return evidence, history


def _task_status(rng: random.Random, done: datetime | None) -> TaskStatus:
    roll = rng.random()
    if done is not None:
        return TaskStatus.APPROVED if roll < 0.85 else TaskStatus.CANCELLED
    if roll < 0.35:
        return TaskStatus.OPEN
    if roll < 0.55:
        return TaskStatus.SUBMITTED
    return TaskStatus.APPROVED if roll < 0.92 else TaskStatus.CANCELLED


def tasks(
    rng: random.Random,
    company_ids: list[int],
    plans: list[Plan],
    coach_ids: list[int],
    member_ids: list[int],
    per_company: int,
    now: datetime,
) -> tuple[Rows, list[tuple[int, list[tuple[str, datetime, str | None]]]]]:
    """Tasks, mostly on the current milestone, the rest on achieved ones; with the plan
    of their reviews (reviewer, [(decision, when, comment)])."""
    rows: Rows = []
    review_plan: list[tuple[int, list[tuple[str, datetime, str | None]]]] = []
    for i, (cid, (achieved, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id, member_id = coach_of(i, coach_ids), member_ids[i]
        current = min(achieved, 4)
        for _ in range(per_company):
            position, created, done, end = _moment(rng, timeline, current, now, 0.5, 0.8)
            status = _task_status(rng, done)
            finished = created + (end - created) * rng.uniform(0.1, 1.0)
            reviews: list[tuple[str, datetime, str | None]] = []
            if rng.random() < 0.2 and status != TaskStatus.CANCELLED:
                middle = created + (finished - created) / 2
                reviews.append((ReviewDecision.REJECTED.value, middle, "More detail"))
            if status == TaskStatus.APPROVED:
                reviews.append((ReviewDecision.APPROVED.value, finished, None))
            submitted = status == TaskStatus.SUBMITTED
            rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "title": f"Task {len(rows) + 1}",
                    "description": "",
                    "status": status.value,
                    "created_by_id": rng.choice((coach_id, member_id)),
                    "created_at": created,
                    "submitted_at": finished if submitted else None,
                    "submitted_by_id": member_id if submitted else None,
                    "completed_at": finished if status == TaskStatus.APPROVED else None,
                    "cancelled_at": finished if status == TaskStatus.CANCELLED else None,
                    "last_review_comment": reviews[0][2] if reviews else None,
                }
            )
            review_plan.append((coach_id, reviews))
    return rows, review_plan


def reviews(
    task_ids: list[int],
    task_rows: Rows,
    review_plan: list[tuple[int, list[tuple[str, datetime, str | None]]]],
) -> Rows:
    return [
        {
            "task_id": tid,
            "company_id": task["company_id"],
            "milestone": task["milestone"],
            "decision": decision,
            "comment": comment,
            "reviewer_id": coach_id,
            "created_at": when,
        }
        for tid, task, (coach_id, planned) in zip(task_ids, task_rows, review_plan, strict=True)
        for decision, when, comment in planned
    ]


def _update_status(rng: random.Random, done: datetime | None) -> UpdateStatus:
    roll = rng.random()
    if done is not None:
        return UpdateStatus.APPROVED if roll < 0.85 else UpdateStatus.REJECTED
    if roll < 0.55:
        return UpdateStatus.APPROVED
    return UpdateStatus.REJECTED if roll < 0.7 else UpdateStatus.PENDING


def updates(
    rng: random.Random,
    company_ids: list[int],
    plans: list[Plan],
    coach_ids: list[int],
    member_ids: list[int],
    task_ids: list[int],
    tasks_per_company: int,
    now: datetime,
) -> Rows:
    """Progress updates: a quarter as many as tasks, a few tied to a task."""
    rows: Rows = []
    per_company = max(1, tasks_per_company // 4) if tasks_per_company else 0
    for i, (cid, (achieved, timeline)) in enumerate(zip(company_ids, plans, strict=True)):
        coach_id = coach_of(i, coach_ids)
        current = min(achieved, 4)
        for _ in range(per_company):
            position, created, done, end = _moment(rng, timeline, current, now, 0.6, 0.9)
            status = _update_status(rng, done)
            reviewed = (
                created + (end - created) * rng.uniform(0.05, 1.0)
                if status != UpdateStatus.PENDING
                else None
            )
            task_index = i * tasks_per_company + rng.randrange(tasks_per_company)
            rows.append(
                {
                    "company_id": cid,
                    "milestone": catalogue.KEYS[position],
                    "task_id": task_ids[task_index] if rng.random() < 0.2 else None,
                    "body": "Weekly progress: pipeline, revenue and next steps.",
                    "status": status.value,
                    "created_by_id": member_ids[i],
                    "created_at": created,
                    "reviewed_by_id": coach_id if reviewed else None,
                    "reviewed_at": reviewed,
                    "review_comment": "Thanks" if reviewed else None,
                }
            )
    return rows
