"""GET /analytics/cohorts by hand for two cohorts (tests/reporting/world.py), and the
cohort_id filter of /portfolio and /analytics/milestones, in every caller's scope."""

from __future__ import annotations

import pytest

from tests.reporting.world import build

KEYS = ["value_baseline", "first_customer", "x_customers", "ten_x_customers", "one_m_arr"]


def row(started, achieved, in_progress, avg=None, median=None):
    return {
        "started": started,
        "achieved": achieved,
        "in_progress": in_progress,
        "avg_days": avg if avg is None else pytest.approx(avg),
        "median_days": median if median is None else pytest.approx(median),
    }


NONE = row(0, 0, 0)
# Value Baseline 10, 20, 60 days: mean 30, median 20 (odd count: the middle one).
C2024 = [row(3, 3, 0, 30, 20), row(3, 2, 1, 30, 30), row(2, 1, 1, 30, 30), row(1, 0, 1), NONE]
# Value Baseline 5 and 30 (even count: the mean of the middle two), First Customer 30 (B2).
C2025_ALL = [row(2, 2, 0, 17.5, 17.5), row(2, 1, 1, 30, 30), row(1, 0, 1), NONE, NONE]
C2025_B1 = [row(1, 1, 0, 5, 5), row(1, 0, 1), NONE, NONE, NONE]
C2025_B2 = [row(1, 1, 0, 30, 30), row(1, 1, 0, 30, 30), row(1, 0, 1), NONE, NONE]


@pytest.fixture
def world(factory, frozen):
    return build(factory)


def _cohorts(response):
    assert response.status_code == 200, response.get_json()
    out = []
    for cohort in response.get_json()["cohorts"]:
        assert [m.pop("milestone") for m in cohort["milestones"]] == KEYS
        out.append(cohort)
    return out


def _summary(cohort, world):
    return (cohort["cohort_id"], cohort["name"], cohort["companies"], cohort["milestones"])


def test_admin_sees_every_cohort_side_by_side(world, client_for):
    cohorts = _cohorts(client_for(world.admin).get("/analytics/cohorts"))
    assert [_summary(c, world) for c in cohorts] == [
        (world.c2024.id, "Cohort 2024", 3, C2024),
        (world.c2025.id, "Cohort 2025", 2, C2025_ALL),
        (world.empty.id, "Empty 2026", 0, [NONE] * 5),
    ]
    assert cohorts[0]["starts_on"] == "2024-01-15" and cohorts[0]["ends_on"] == "2024-06-30"


def test_coaches_see_their_companies_only(world, client_for):
    a = _cohorts(client_for(world.coach_a).get("/analytics/cohorts"))
    assert [_summary(c, world) for c in a] == [
        (world.c2024.id, "Cohort 2024", 3, C2024),
        (world.c2025.id, "Cohort 2025", 1, C2025_B1),
    ]
    b = _cohorts(client_for(world.coach_b).get("/analytics/cohorts"))
    assert [_summary(c, world) for c in b] == [(world.c2025.id, "Cohort 2025", 1, C2025_B2)]


def test_members_have_no_cohort_figures(world, client_for):
    r = client_for(world.member).get("/analytics/cohorts")
    assert r.status_code == 403 and r.get_json()["code"] == "forbidden"


def _analytics(client, cohort_id):
    r = client.get(f"/analytics/milestones?cohort_id={cohort_id}")
    assert r.status_code == 200, r.get_json()
    rows = r.get_json()["milestones"]
    assert [m.pop("milestone") for m in rows] == KEYS
    return rows


def test_analytics_filtered_by_cohort(world, client_for):
    admin, coach_b = client_for(world.admin), client_for(world.coach_b)
    assert _analytics(admin, world.c2024.id) == C2024
    assert _analytics(admin, world.c2025.id) == C2025_ALL
    assert _analytics(coach_b, world.c2025.id) == C2025_B2
    assert _analytics(coach_b, world.c2024.id) == [NONE] * 5  # not theirs: nothing
    assert _analytics(admin, world.empty.id) == [NONE] * 5
    assert _analytics(admin, 987654) == [NONE] * 5


def _names(client, query):
    r = client.get(f"/portfolio?{query}")
    assert r.status_code == 200, r.get_json()
    return [(row["name"], row["cohort_id"]) for row in r.get_json()]


def test_portfolio_filtered_by_cohort(world, client_for):
    admin, coach_a, coach_b = (client_for(u) for u in (world.admin, world.coach_a, world.coach_b))
    c24, c25 = world.c2024.id, world.c2025.id
    assert _names(admin, f"cohort_id={c24}") == [("A1", c24), ("A2", c24), ("A3", c24)]
    assert _names(admin, f"cohort_id={c25}&sort=-name") == [("B2", c25), ("B1", c25)]
    assert _names(coach_a, f"cohort_id={c25}") == [("B1", c25)]
    assert _names(coach_b, f"cohort_id={c24}") == []
    assert _names(admin, f"cohort_id={c24}&milestone=first_customer") == [("A2", c24)]
    assert _names(admin, f"cohort_id={c24}&sort=days_in_milestone&q=a") == [
        ("A3", c24),  # in 10X since 2024-05-04
        ("A1", c24),  # in X since 2024-03-05
        ("A2", c24),  # in First Customer since 2024-02-04
    ]
    assert ("N", None) in _names(admin, "")


@pytest.mark.parametrize("value", ["0", "-1", "x", "2147483648", "99999999999999999999"])
def test_bad_cohort_ids_are_422(world, client_for, value):
    admin = client_for(world.admin)
    for path in ("/portfolio", "/analytics/milestones", "/exports/portfolio.csv"):
        r = admin.get(f"{path}?cohort_id={value}")
        assert r.status_code == 422 and "cohort_id" in str(r.get_json()["errors"]), (path, value)
