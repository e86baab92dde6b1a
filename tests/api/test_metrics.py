"""GET /companies/{id}/metrics and the metrics embedded per milestone: every field
compared with figures worked out by hand from tests/fixtures/metrics.py."""

from __future__ import annotations

import json

import pytest

from milestones.reporting.company_metrics import statuses_with_metrics

ZERO = {
    "days_in_milestone": 0,
    "total_tasks": 0,
    "completed_tasks": 0,
    "active_tasks": 0,
    "avg_task_completion_time": None,
    "progress_update_count": 0,
    "evidence_count": 0,
    "approved_updates": 0,
    "pending_updates": 0,
    "rejected_updates": 0,
    "update_approval_rate": None,
    "task_approval_rate": None,
}

ALPHA = {
    # 2025-09-01 00:00 -> 2025-09-11 12:00 = 10.5 days; one approved task of 3 days;
    # one approved update; 2 of 3 evidence items not removed.
    "value_baseline": {
        **ZERO,
        "days_in_milestone": 10,
        "total_tasks": 1,
        "completed_tasks": 1,
        "avg_task_completion_time": 3.0,
        "progress_update_count": 1,
        "evidence_count": 2,
        "approved_updates": 1,
        "update_approval_rate": 1.0,
        "task_approval_rate": 1.0,
    },
    # 19.75 days; only a cancelled task (not counted, nothing decided: nulls); one pending
    # update (nothing decided: null rate).
    "first_customer": {
        **ZERO,
        "days_in_milestone": 19,
        "progress_update_count": 1,
        "evidence_count": 1,
        "pending_updates": 1,
    },
    # Current since 2025-10-01 06:00: 98 days and 6 hours at 2026-01-07 12:00.
    # Tasks: approved 2.5 d and 9 d (mean 5.75), open, submitted; cancelled excluded.
    # Reviews: approved, rejected, approved, rejected -> 0.5. Updates: 2 approved,
    # 1 rejected, 1 pending -> 2/3. The only evidence was removed.
    "x_customers": {
        "days_in_milestone": 98,
        "total_tasks": 4,
        "completed_tasks": 2,
        "active_tasks": 2,
        "avg_task_completion_time": 5.75,
        "progress_update_count": 4,
        "evidence_count": 0,
        "approved_updates": 2,
        "pending_updates": 1,
        "rejected_updates": 1,
        "update_approval_rate": 2 / 3,
        "task_approval_rate": 0.5,
    },
    "ten_x_customers": ZERO,
    "one_m_arr": ZERO,
}

WEEKS = [f"2025-W{n}" for n in range(43, 53)] + ["2026-W01", "2026-W02"]


def _approx(expected: dict) -> dict:
    return {
        k: (pytest.approx(v, abs=1e-6) if isinstance(v, float) else v) for k, v in expected.items()
    }


def test_company_metrics_every_field(metrics_world, client_for):
    w = metrics_world
    r = client_for(w.member).get(f"/companies/{w.alpha.id}/metrics")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert [m["milestone"] for m in body["milestones"]] == list(ALPHA)
    for row in body["milestones"]:
        key = row.pop("milestone")
        assert row == _approx(ALPHA[key]), key


def test_trend_twelve_iso_weeks_across_the_year_boundary(metrics_world, client_for):
    w = metrics_world
    trend = client_for(w.coach).get(f"/companies/{w.alpha.id}/metrics").get_json()["trend"]
    assert [t["week"] for t in trend] == WEEKS
    expected = {w_: (0, 0) for w_ in WEEKS}
    expected["2025-W49"] = (1, 0)  # t1 approved Wednesday 2025-12-03
    expected["2025-W52"] = (0, 1)  # update approved Sunday 2025-12-28
    expected["2026-W01"] = (1, 0)  # t2 approved Monday 2025-12-29
    expected["2026-W02"] = (0, 1)  # update approved Monday 2026-01-05
    assert {t["week"]: (t["completed_tasks"], t["approved_updates"]) for t in trend} == expected


def test_days_follow_the_frozen_clock(metrics_world, client_for, time_machine):
    w = metrics_world
    client = client_for(w.coach)
    first = client.get(f"/companies/{w.gamma.id}/metrics").get_json()["milestones"][0]
    assert first["days_in_milestone"] == 7  # 2025-12-31 00:00 -> 2026-01-07 12:00
    time_machine.move_to("2026-01-10T23:59:59Z", tick=False)
    first = client.get(f"/companies/{w.gamma.id}/metrics").get_json()["milestones"][0]
    assert first["days_in_milestone"] == 10
    # An achieved milestone no longer counts the clock.
    assert (
        client.get(f"/companies/{w.alpha.id}/metrics").get_json()["milestones"][0][
            "days_in_milestone"
        ]
        == 10
    )


def test_company_without_activity_has_zeros_and_nulls(metrics_world, client_for):
    w = metrics_world
    body = client_for(w.admin).get(f"/companies/{w.gamma.id}/metrics").get_json()
    assert body["milestones"][0] == {"milestone": "value_baseline", **ZERO, "days_in_milestone": 7}
    for row in body["milestones"][1:]:
        assert {k: v for k, v in row.items() if k != "milestone"} == ZERO
    assert all(t["completed_tasks"] == 0 and t["approved_updates"] == 0 for t in body["trend"])
    assert len(body["trend"]) == 12


def test_all_achieved_company_days(metrics_world, client_for):
    w = metrics_world
    rows = client_for(w.coach).get(f"/companies/{w.beta.id}/metrics").get_json()["milestones"]
    assert [r["days_in_milestone"] for r in rows] == [4, 20, 31, 61, 61]


def test_metrics_beside_each_status_for_the_milestones_view(metrics_world):
    w = metrics_world
    result = {s.milestone.value: m for s, m, _ in statuses_with_metrics(w.admin, w.alpha.id)}
    assert list(result) == list(ALPHA)
    for key, values in result.items():
        assert values == _approx(ALPHA[key]), key


def test_metrics_visibility(metrics_world, client_for, factory):
    w = metrics_world
    assert client_for(w.member).get(f"/companies/{w.beta.id}/metrics").status_code == 404
    assert client_for(w.other_coach).get(f"/companies/{w.alpha.id}/metrics").status_code == 404
    assert client_for(w.coach).get("/companies/99999/metrics").status_code == 404
    assert client_for(w.admin).get(f"/companies/{w.delta.id}/metrics").status_code == 200
    assert client_for(w.coach).get(f"/companies/{w.alpha.id}/metrics").status_code == 200
    hidden = client_for(w.other_coach).get(f"/companies/{w.alpha.id}/metrics")
    missing = client_for(w.other_coach).get("/companies/99999/metrics")
    assert hidden.get_json() == missing.get_json()  # existence does not leak
    assert hidden.get_json()["message"] == "Company not found."


def test_the_written_json_is_the_schema_dump(metrics_world, client_for):
    """The response is written by a fast path (on PostgreSQL the database's json_agg,
    elsewhere a FastDump); it must say what the schema's marshmallow dump of the same
    figures says. RENDER_CHECK (on in tests) compares them on every request."""
    from milestones.api.metrics import COMPANY_METRICS
    from milestones.reporting import company_metrics as metrics

    w = metrics_world
    client = client_for(w.admin)
    for company in (w.alpha, w.beta, w.gamma, w.delta):
        response = client.get(f"/companies/{company.id}/metrics")
        assert response.status_code == 200
        assert response.get_json() == COMPANY_METRICS.dump(metrics.company_metrics(company))


def test_a_fast_path_that_differs_from_the_schema_fails(metrics_world, client_for, monkeypatch):
    """The check can fail, on either database: a fast path writing other figures than the
    schema's dump of the same data is an error, not a response."""
    import pytest

    from milestones.api import render
    from milestones.sql import session

    w = metrics_world
    client = client_for(w.admin)
    real = render.fast_dump

    class Wrong:
        def __init__(self, schema):
            self.inner = real(schema)
            self.spec = self.inner.spec if schema.many else ()
            self.many = schema.many

        def one(self, item):
            out = self.inner.one(item)
            return {**out, "milestones": out["milestones"][:-1]}

        def __call__(self, items):
            return self.inner(items)

    monkeypatch.setattr(render, "fast_dump", Wrong)
    if session.dialect_name() == "postgresql":
        from milestones.reporting import company_metrics as metrics

        real_payload = metrics.company_metrics_payload

        def wrong_text(viewer, company_id):
            body = json.loads(real_payload(viewer, company_id))
            body["trend"] = body["trend"][1:]
            return json.dumps(body)

        monkeypatch.setattr("milestones.api.metrics.company_metrics_payload", wrong_text)
    with pytest.raises(render.RenderMismatch, match="CompanyMetricsSchema"):
        client.get(f"/companies/{w.alpha.id}/metrics")
