"""A company's five-step track (reached / current / upcoming), as mails show it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from milestones import catalogue
from milestones.extensions import db
from milestones.models import MilestoneStatus

MARKS = {"reached": "[x]", "current": "[>]", "upcoming": "[ ]"}


def steps(statuses: Sequence[tuple[str, bool]]) -> list[dict[str, str]]:
    """[(milestone key, achieved)] in order -> [{title, state, mark}]."""
    current = next((key for key, achieved in statuses if not achieved), None)
    result = []
    for key, achieved in statuses:
        state = "reached" if achieved else ("current" if key == current else "upcoming")
        result.append({"title": catalogue.get(key).title, "state": state, "mark": MARKS[state]})
    return result


def company_steps(company_id: int) -> list[dict[str, str]]:
    """The company's track as the session sees it now (one statement)."""
    rows = db.session.execute(
        sa.select(MilestoneStatus.milestone, MilestoneStatus.achieved)
        .where(MilestoneStatus.company_id == company_id)
        .order_by(MilestoneStatus.position)
    ).all()
    return steps([(row.milestone.value, bool(row.achieved)) for row in rows])
