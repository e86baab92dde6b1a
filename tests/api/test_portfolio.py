"""GET /portfolio: every field by hand, sorting, search, filters, paging, scope by role."""

from __future__ import annotations

import json

import pytest

ALPHA = {
    "name": "Alpha",
    "current_milestone": "x_customers",
    "days_in_milestone": 98,  # since 2025-10-01 06:00
    "achieved_count": 2,
    "total_tasks": 5,  # t1, t2, t3, t4, t6 (two cancelled ones excluded)
    "completed_tasks": 3,  # t1, t2, t6
    "active_tasks": 2,  # t3 open, t4 submitted
    "pending_approvals": 3,  # t4 submitted + two pending updates
    "last_activity": "2026-01-06T09:00:00+00:00",  # the latest update posted
    "attention": ["stalled", "reviews_waiting"],  # 98 >= 30; an update pending since 09-20
    "stall_threshold_days": 30,  # X Customers has one achiever (Beta): no median
    "median_days": None,
    "oldest_pending_at": "2025-09-20T00:00:00+00:00",  # the First Customer update
    "suggested_milestone": None,
    "cohort_id": None,
}
BETA = {
    "name": "Beta",
    "current_milestone": None,
    "days_in_milestone": None,
    "achieved_count": 5,
    "total_tasks": 0,
    "completed_tasks": 0,
    "active_tasks": 0,
    "pending_approvals": 0,
    "last_activity": "2025-11-25T00:00:00+00:00",  # $1M ARR achieved
    "attention": ["inactive"],  # 43 days since 2025-11-25
    "stall_threshold_days": None,
    "median_days": None,
    "oldest_pending_at": None,
    "suggested_milestone": None,
    "cohort_id": None,
}
GAMMA = {
    "name": "Gamma",
    "current_milestone": "value_baseline",
    "days_in_milestone": 7,
    "achieved_count": 0,
    "total_tasks": 0,
    "completed_tasks": 0,
    "active_tasks": 0,
    "pending_approvals": 0,
    "last_activity": "2025-12-31T00:00:00+00:00",  # joined, nothing since
    "attention": [],  # 7 days: below 30, and active 7 days ago
    "stall_threshold_days": 30,  # max(30, ceil(1.5 x 10))
    "median_days": 10.0,  # Value Baseline: Beta 4, Alpha 10, Delta 30 days
    "oldest_pending_at": None,
    "suggested_milestone": None,
    "cohort_id": None,
}
DELTA = {
    "name": "Delta",
    "current_milestone": "first_customer",
    "days_in_milestone": 129,  # since 2025-08-31
    "achieved_count": 1,
    "total_tasks": 0,
    "completed_tasks": 0,
    "active_tasks": 0,
    "pending_approvals": 0,
    "last_activity": "2025-08-31T00:00:00+00:00",
    "attention": ["stalled", "inactive"],
    "stall_threshold_days": 30,  # First Customer has two achievers: no median
    "median_days": None,
    "oldest_pending_at": None,
    "suggested_milestone": None,
    "cohort_id": None,
}


def _names(response):
    assert response.status_code == 200, response.get_json()
    return [row["name"] for row in response.get_json()]


def test_rows_for_a_coach(metrics_world, client_for):
    w = metrics_world
    r = client_for(w.coach).get("/portfolio")
    assert r.status_code == 200, r.get_json()
    rows = r.get_json()
    ids = {"Alpha": w.alpha.id, "Beta": w.beta.id, "Gamma": w.gamma.id}
    assert rows == [{"company_id": ids[e["name"]], **e} for e in (ALPHA, BETA, GAMMA)]
    assert json.loads(r.headers["X-Pagination"])["total"] == 3


def test_admin_sees_every_company_other_coach_only_theirs(metrics_world, client_for):
    w = metrics_world
    assert _names(client_for(w.admin).get("/portfolio")) == ["Alpha", "Beta", "Delta", "Gamma"]
    rows = client_for(w.other_coach).get("/portfolio").get_json()
    assert rows == [{"company_id": w.delta.id, **DELTA}]


def test_members_are_refused(metrics_world, client_for):
    r = client_for(metrics_world.member).get("/portfolio")
    assert r.status_code == 403
    assert r.get_json()["code"] == "forbidden"
    assert r.get_json()["message"] == "Only coaches or admins can do this."


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("-name", ["Gamma", "Delta", "Beta", "Alpha"]),
        ("current_milestone", ["Gamma", "Delta", "Alpha", "Beta"]),
        ("-current_milestone", ["Beta", "Alpha", "Delta", "Gamma"]),
        ("days_in_milestone", ["Gamma", "Alpha", "Delta", "Beta"]),  # none last
        ("-days_in_milestone", ["Delta", "Alpha", "Gamma", "Beta"]),
        ("pending_approvals", ["Beta", "Delta", "Gamma", "Alpha"]),  # ties by name
        ("-pending_approvals", ["Alpha", "Beta", "Delta", "Gamma"]),
        ("-achieved_count", ["Beta", "Alpha", "Delta", "Gamma"]),
        ("-last_activity", ["Alpha", "Gamma", "Beta", "Delta"]),
    ],
)
def test_sorting(metrics_world, client_for, sort, expected):
    client = client_for(metrics_world.admin)
    assert _names(client.get("/portfolio", query_string={"sort": sort})) == expected


def test_order_parameter(metrics_world, client_for):
    client = client_for(metrics_world.admin)
    r = client.get("/portfolio", query_string={"sort": "days_in_milestone", "order": "desc"})
    assert _names(r) == ["Delta", "Alpha", "Gamma", "Beta"]


def test_search_and_filters(metrics_world, client_for):
    client = client_for(metrics_world.admin)
    assert _names(client.get("/portfolio", query_string={"q": "ALP"})) == ["Alpha"]
    assert _names(client.get("/portfolio", query_string={"q": "a"})) == [
        "Alpha",
        "Beta",
        "Delta",
        "Gamma",
    ]
    assert _names(client.get("/portfolio", query_string={"q": "%"})) == []
    r = client.get("/portfolio", query_string={"milestone": "x_customers"})
    assert _names(r) == ["Alpha"]
    r = client.get("/portfolio", query_string={"milestone": "all_achieved"})
    assert _names(r) == ["Beta"]
    r = client.get("/portfolio", query_string={"milestone": "one_m_arr"})
    assert _names(r) == []
    r = client.get("/portfolio", query_string={"milestone": "value_baseline", "q": "gam"})
    assert _names(r) == ["Gamma"]
    assert client.get("/portfolio", query_string={"milestone": "moon"}).status_code == 422
    assert client.get("/portfolio", query_string={"sort": "evil"}).status_code == 422
    assert client.get("/portfolio", query_string={"order": "up"}).status_code == 422
    assert client.get("/portfolio", query_string={"page": 0}).status_code == 422


def test_pagination(metrics_world, client_for):
    client = client_for(metrics_world.admin)
    r = client.get("/portfolio", query_string={"page_size": 3})
    assert _names(r) == ["Alpha", "Beta", "Delta"]
    meta = json.loads(r.headers["X-Pagination"])
    assert meta["total"] == 4 and meta["total_pages"] == 2
    r = client.get("/portfolio", query_string={"page_size": 3, "page": 2})
    assert _names(r) == ["Gamma"]
    r = client.get("/portfolio", query_string={"page_size": 3, "page": 2, "sort": "-name"})
    assert _names(r) == ["Alpha"]
    r = client.get("/portfolio", query_string={"page_size": 3, "page": 5})
    assert r.get_json() == []
    assert json.loads(r.headers["X-Pagination"])["total"] == 4
    r = client.get("/portfolio", query_string={"q": "nothing like it"})
    assert r.get_json() == [] and json.loads(r.headers["X-Pagination"])["total"] == 0
    assert client.get("/portfolio", query_string={"page_size": 1000}).status_code == 422


def test_ping_baseline(metrics_world, client_for, anon):
    assert client_for(metrics_world.member).get("/ping").get_json() == {
        "pong": True,
        "user_id": metrics_world.member.id,
    }
    assert anon.get("/ping").status_code == 401


def _total(response):
    assert response.status_code == 200, response.get_json()
    return json.loads(response.headers["X-Pagination"])["total"]


def test_flat_dump_gives_what_the_schema_would(metrics_world, factory, frozen, client_for):
    from datetime import timedelta

    from milestones.api.metrics import PORTFOLIO_ROWS
    from milestones.api.render import fast_dump
    from milestones.models import TaskStatus
    from milestones.reporting import portfolio as metrics
    from milestones.schemas.base import FastDump
    from milestones.schemas.metrics import PortfolioRowSchema
    from tests.fixtures.metrics import add_task

    # A time with microseconds: isoformat writes them, and only then.
    add_task(
        metrics_world.gamma, "value_baseline", TaskStatus.OPEN,
        frozen - timedelta(days=1, microseconds=-120), author=metrics_world.coach,
    )  # fmt: skip
    rows, total = metrics.portfolio(metrics_world.admin)
    assert total == 4
    assert rows[3].name == "Gamma" and rows[3].last_activity.microsecond == 120
    PORTFOLIO_ROW = PortfolioRowSchema()
    dump_portfolio = fast_dump(PORTFOLIO_ROWS)
    client = client_for(metrics_world.admin)
    for sort in ("name", "-pending_approvals", "days_in_milestone"):
        # RENDER_CHECK compares the fast path (json_agg on PostgreSQL, FastDump elsewhere)
        # with the schema's dump inside the request too.
        response = client.get("/portfolio", query_string={"sort": sort})
        expected = PORTFOLIO_ROW.dump(
            metrics.portfolio(metrics_world.admin, sort=sort)[0], many=True
        )
        assert (response.get_json(), _total(response)) == (expected, 4)
    response = client.get("/portfolio", query_string={"page": 3, "page_size": 2})
    assert (response.get_json(), _total(response)) == ([], 4)
    fast = dump_portfolio(rows)  # SQLAlchemy rows, read by position
    assert fast == PORTFOLIO_ROW.dump(rows, many=True)
    assert [list(row) for row in fast] == [list(PORTFOLIO_ROW.fields)] * 4  # same key order
    assert dump_portfolio([row._asdict() for row in rows]) == fast  # mappings, by name
    from milestones.schemas.metrics import CompanyMetricsSchema
    from milestones.schemas.milestones import HistoryItemSchema

    with pytest.raises(TypeError, match="not a field FastDump knows"):
        FastDump(HistoryItemSchema())  # fields.Function
    with pytest.raises(TypeError, match="is not flat"):
        FastDump(CompanyMetricsSchema()).spec  # noqa: B018 - nested: no SQL for it


def test_the_stats_rows_match_a_fresh_computation_after_api_writes(metrics_world, client_for):
    """company_stats is derived data: after writes through the API (task lifecycle,
    updates, evidence, a toggle, a new company) every row equals a recomputation."""
    import sqlalchemy as sa

    from milestones.extensions import db
    from milestones.models import CompanyStats
    from milestones.services.stats_rows import company_stats_select

    w = metrics_world
    coach, admin = client_for(w.coach), client_for(w.admin)
    alpha = w.alpha.id
    task = coach.post(f"/companies/{alpha}/tasks", json={"title": "Call 10 leads"})
    assert task.status_code == 201, task.get_json()
    tid = task.get_json()["id"]
    assert client_for(w.member).post(f"/tasks/{tid}/submit").status_code == 200
    assert coach.post(f"/tasks/{tid}/approve").status_code == 200
    update = client_for(w.member).post(f"/companies/{alpha}/updates", json={"body": "Progress"})
    assert update.status_code == 201, update.get_json()
    uid = update.get_json()["id"]
    assert coach.post(f"/updates/{uid}/approve").status_code == 200
    gamma = w.gamma.id
    link = {"evidence_type": "link", "title": "Deck", "url": "https://example.com"}
    assert (
        coach.post(f"/companies/{gamma}/milestones/value_baseline/evidence", json=link).status_code
        == 201
    )
    assert (
        coach.put(
            f"/companies/{gamma}/milestones/value_baseline", json={"achieved": True}
        ).status_code
        == 200
    )
    created = admin.post("/companies", json={"name": "Epsilon"})
    assert created.status_code == 201, created.get_json()

    db.session.expire_all()
    table = CompanyStats.__table__
    stored = {r.company_id: r._asdict() for r in db.session.execute(sa.select(table))}
    fresh = {r.company_id: r._asdict() for r in db.session.execute(company_stats_select(None))}
    assert stored == fresh
    assert len(stored) == 5
    assert stored[alpha]["completed_tasks"] == 4 and stored[alpha]["pending_approvals"] == 3
    assert stored[gamma]["current_milestone"] == "first_customer"
    assert stored[gamma]["achieved_count"] == 1
