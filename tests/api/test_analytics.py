"""GET /analytics/milestones: counts, means and medians by hand, scope by role."""

from __future__ import annotations

import pytest


def _rows(response):
    assert response.status_code == 200, response.get_json()
    return {r.pop("milestone"): r for r in response.get_json()["milestones"]}


def row(started, achieved, in_progress, avg, median):
    return {
        "started": started,
        "achieved": achieved,
        "in_progress": in_progress,
        "avg_days": avg if avg is None else pytest.approx(avg),
        "median_days": median if median is None else pytest.approx(median),
    }


def test_coach_scope(metrics_world, client_for):
    rows = _rows(client_for(metrics_world.coach).get("/analytics/milestones"))
    assert list(rows) == [
        "value_baseline",
        "first_customer",
        "x_customers",
        "ten_x_customers",
        "one_m_arr",
    ]
    assert rows == {
        # Alpha 10 days, Beta 4; Gamma still in it. Even count: median = mean of the two.
        "value_baseline": row(3, 2, 1, 7.0, 7.0),
        "first_customer": row(2, 2, 0, 19.5, 19.5),  # Alpha 19, Beta 20
        "x_customers": row(2, 1, 1, 31.0, 31.0),  # Beta 31; Alpha in it
        "ten_x_customers": row(1, 1, 0, 61.0, 61.0),
        "one_m_arr": row(1, 1, 0, 61.0, 61.0),
    }


def test_admin_sees_all(metrics_world, client_for):
    rows = _rows(client_for(metrics_world.admin).get("/analytics/milestones"))
    # Value Baseline: 10, 4, 30 -> mean 44/3, median 10 (odd count: the middle one).
    assert rows["value_baseline"] == row(4, 3, 1, 44 / 3, 10.0)
    assert rows["first_customer"] == row(3, 2, 1, 19.5, 19.5)
    assert rows["x_customers"] == row(2, 1, 1, 31.0, 31.0)


def test_nothing_achieved_gives_nulls(metrics_world, client_for):
    rows = _rows(client_for(metrics_world.other_coach).get("/analytics/milestones"))
    assert rows["value_baseline"] == row(1, 1, 0, 30.0, 30.0)
    assert rows["first_customer"] == row(1, 0, 1, None, None)
    assert rows["one_m_arr"] == row(0, 0, 0, None, None)


def test_coach_without_companies(metrics_world, client_for, factory):
    rows = _rows(client_for(factory.coach()).get("/analytics/milestones"))
    assert all(r == row(0, 0, 0, None, None) for r in rows.values())


def test_members_are_refused(metrics_world, client_for):
    r = client_for(metrics_world.member).get("/analytics/milestones")
    assert r.status_code == 403


def test_median_of_four(metrics_world, client_for, factory):
    """A fourth achieved Value Baseline (22 days) for the admin: 4, 10, 22, 30."""
    from tests.fixtures.metrics import at, set_statuses

    late = factory.company("Epsilon", joined_at=at(2025, 5, 1))
    set_statuses(late, [(at(2025, 5, 1), at(2025, 5, 23, 18)), (at(2025, 5, 23, 18), None)])
    rows = _rows(client_for(metrics_world.admin).get("/analytics/milestones"))
    assert rows["value_baseline"] == row(5, 4, 1, 66 / 4, 16.0)


def _live(admin):
    """The admin's analytics aggregated from the statuses, as any other viewer's are."""
    from milestones.extensions import db
    from milestones.reporting import analytics

    rows = db.session.execute(analytics._analytics_stmt(admin.role), {"viewer_id": admin.id})
    by_key = {r["milestone"]: dict(r) for r in rows.mappings()}
    return {
        key.value: analytics._analytics_row(key, by_key.get(key))
        for key in analytics.catalogue.ORDER
    }


def test_the_programme_wide_row_is_kept_ready(metrics_world, client_for, factory):
    """An admin reads the programme's analytics from milestone_medians: the same figures
    as the aggregate over the statuses, after every kind of status write."""
    from milestones.extensions import db
    from milestones.models import Company
    from tests.fixtures.metrics import at, set_statuses

    admin = client_for(metrics_world.admin)

    def served():
        return {
            r["milestone"]: r for r in admin.get("/analytics/milestones").get_json()["milestones"]
        }

    assert served() == _live(metrics_world.admin)
    late = factory.company("Epsilon", joined_at=at(2025, 5, 1))
    set_statuses(late, [(at(2025, 5, 1), at(2025, 5, 23, 18)), (at(2025, 5, 23, 18), None)])
    assert served() == _live(metrics_world.admin)
    assert served()["value_baseline"]["achieved"] == 4
    db.session.delete(db.session.get(Company, late.id))
    db.session.commit()
    assert served() == _live(metrics_world.admin)
    assert served()["value_baseline"]["achieved"] == 3
