"""The cohort, activity and export routes run a fixed number of statements whatever the
data size: bench data for 3 and for 30 companies, the companies spread over two cohorts
(the counting of tests/api/test_query_counts.py, bodies read to the end)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Cohort, Company, User
from milestones.seeds.bench import seed_bench
from tests.api.test_query_counts import counting
from tests.conftest import PASSWORD, empty_tables

EXPORTS = [
    f"/exports/{r}.{x}" for r in ("portfolio", "analytics", "activity") for x in ("csv", "xlsx")
]
ENDPOINTS = [
    ("admin", "/cohorts"),
    ("coach", "/cohorts"),
    ("member", "/cohorts"),
    ("admin", "/analytics/cohorts"),
    ("coach", "/analytics/cohorts"),
    ("admin", "/analytics/milestones?cohort_id={c1}"),
    ("coach", "/portfolio?cohort_id={c2}&sort=-days_in_milestone"),
    ("admin", "/activity"),
    ("coach", "/activity?page=2&page_size=3"),
    ("admin", "/activity?company_id={id}&event=toggled&since=2000-01-01"),
    *(("admin", path) for path in EXPORTS),
    *(("coach", path + "?cohort_id={c1}") for path in EXPORTS[:4]),
    ("coach", "/exports/activity.csv?milestone=value_baseline"),
]


def measure(client_for: Any, companies: int, tasks: int) -> dict[tuple[str, str], int]:
    result = seed_bench(companies, tasks, seed=companies, password=PASSWORD)
    cohorts = [Cohort(name=f"Cohort {i}", starts_on=date(2025, i, 1)) for i in (1, 2)]
    db.session.add_all(cohorts)
    db.session.flush()
    for i, company_id in enumerate(result.company_ids):
        db.session.get(Company, company_id).cohort_id = cohorts[i % 2].id
    db.session.commit()
    ids = {"c1": cohorts[0].id, "c2": cohorts[1].id, "id": result.company_ids[0]}
    clients = {
        role: client_for(db.session.scalar(sa.select(User).where(User.email == email)))
        for role, email in result.logins.items()
    }
    counts = {}
    for role, path in ENDPOINTS:
        with counting() as statements:
            response = clients[role].get(path.format(**ids))
            body = response.get_data()
        assert response.status_code == 200, (role, path, body[:300])
        assert len(body) > 0
        counts[(role, path)] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_the_data(app, client_for):
    small = measure(client_for, 3, 4)
    db.session.remove()
    empty_tables()
    large = measure(client_for, 30, 12)
    assert large == small, (small, large)
    assert max(small.values()) <= 6, small
