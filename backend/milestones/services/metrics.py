"""Metrics computed by the database (being written: metrics issue).

milestone_metrics(company_id) -> {milestone_key: {MilestoneMetrics fields}} is the
function the milestones view embeds in each status.
"""

from __future__ import annotations

from typing import Any

from milestones.catalogue import KEYS

FIELDS = (
    "days_in_milestone",
    "total_tasks",
    "completed_tasks",
    "active_tasks",
    "avg_task_completion_time",
    "progress_update_count",
    "evidence_count",
    "approved_updates",
    "pending_updates",
    "rejected_updates",
    "update_approval_rate",
    "task_approval_rate",
)


def milestone_metrics(company_id: int) -> dict[str, dict[str, Any]]:
    return {key: dict.fromkeys(FIELDS) for key in KEYS}
