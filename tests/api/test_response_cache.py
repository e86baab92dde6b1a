"""The response cache (api/response_cache.py): a kept response is served only for the
snapshot it was computed from, by the user it was computed for, and within the time it
holds; every other request computes its answer.

The suite's other tests run with RESPONSE_CACHE_CHECK (each would-be hit computed and
compared); these turn it off to be served. The xid space is shared with the other test
processes, whose writes give new snapshots at any moment, so `_served` asks until one
answer came from the cache (without one in 200 tries, it fails).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from milestones import catalogue
from milestones.api.response_cache import CacheMismatch, Entry, ResponseCache, response_cache
from milestones.models import TaskStatus
from milestones.reporting import boundaries
from milestones.sql.session import dialect_name
from tests.api.test_attention import _company
from tests.conftest import PASSWORD
from tests.fixtures.metrics import NOW, add_task

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
MS = timedelta(milliseconds=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def cache(app, monkeypatch) -> ResponseCache:
    monkeypatch.setitem(app.config, "RESPONSE_CACHE_CHECK", False)
    kept = response_cache(app)
    assert kept is not None
    kept.clear()
    return kept


def _served(client, path, cache, tries=200):
    """The first answer to GET `path` that came from the cache."""
    for _ in range(tries):
        hits = cache.hits
        response = client.get(path)
        assert response.status_code == 200, response.get_json()
        if cache.hits > hits:
            return response
    pytest.fail(f"{path}: no answer from the cache in {tries} requests")


def _alpha(factory, client_for, started=NOW - 3 * DAY):
    """A coach with one company, Alpha (under way since `started`): the coach, the
    company and a client signed in as the coach."""
    coach = factory.coach()
    company = _company(factory, coach, "Alpha", started)
    return coach, company, client_for(coach)


def _computed(client, path, cache):
    hits = cache.hits
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    assert cache.hits == hits, f"{path} was served from the cache"
    return response


def _row(response, name):
    assert response.status_code == 200, response.get_json()
    return next(row for row in response.get_json() if row["name"] == name)


@pytest.mark.postgres
def test_a_kept_answer_is_the_computed_one_until_the_data_changes(
    factory, client_for, cache, frozen
):
    coach, _, client = _alpha(factory, client_for)
    path = "/api/v1/portfolio?page_size=10"
    computed = client.get(path)
    served = _served(client, path, cache)
    assert served.get_data() == computed.get_data()
    assert served.headers["X-Pagination"] == computed.headers["X-Pagination"]
    assert served.headers["Content-Type"] == "application/json"
    assert "X-Request-ID" in served.headers  # added to every answer, served or not
    # A write (a new company) gives a new snapshot: the next answer is computed.
    _company(factory, coach, "Beta", NOW - 3 * DAY)
    fresh = _computed(client, path, cache)
    assert [row["name"] for row in fresh.get_json()] == ["Alpha", "Beta"]
    assert fresh.headers["X-Pagination"] != computed.headers["X-Pagination"]


@pytest.mark.postgres
def test_answers_are_never_shared_between_users(factory, client_for, cache):
    coach_a, coach_b = factory.coach(), factory.coach()
    _company(factory, coach_a, "A's", NOW - 3 * DAY)
    _company(factory, coach_b, "B's", NOW - 3 * DAY)
    a, b = client_for(coach_a), client_for(coach_b)
    path = "/api/v1/portfolio"
    assert [row["name"] for row in _served(a, path, cache).get_json()] == ["A's"]
    assert [row["name"] for row in _served(b, path, cache).get_json()] == ["B's"]
    assert [row["name"] for row in a.get(path).get_json()] == ["A's"]


class _Held:
    """The company milestones view held open on its first call until released; each
    call counted."""

    def __init__(self, monkeypatch, fail_first=False):
        from milestones.services import milestones as service

        self.calls = 0
        self.entered, self.release = threading.Event(), threading.Event()
        real = service.company_milestones

        def held(*args):
            self.calls += 1
            if self.calls == 1:
                self.entered.set()
                assert self.release.wait(10)
                if fail_first:
                    raise RuntimeError("the first computing fails")
            return real(*args)

        monkeypatch.setattr(service, "company_milestones", held)


def _in_thread(client, path, into):
    def run():
        try:
            into.append(client.get(path))
        except RuntimeError as exc:  # the app's error, propagated by the test client
            into.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _two_at_once(client_a, client_b, path, held, cache):
    """A asks and is held computing; B asks the same key meanwhile: B must wait for A
    (asserted), and both answers are returned with whether B was given A's."""
    first, second = [], []
    a = _in_thread(client_a, path, first)
    assert held.entered.wait(10)
    joined = cache.joined
    b = _in_thread(client_b, path, second)
    b.join(0.3)
    assert b.is_alive() and not second, "B did not wait for A's answer"
    held.release.set()
    a.join(10)
    b.join(5)  # well before WAIT_SECONDS: A's end, failed or not, lets B go on
    assert not a.is_alive() and not b.is_alive()
    return first[0], second[0], cache.joined > joined


@pytest.mark.postgres
def test_a_missing_answer_is_computed_once_by_a_worker(factory, client_for, cache, monkeypatch):
    coach = factory.coach()
    company = _company(factory, coach, "Alpha", NOW - 3 * DAY)
    path = f"/api/v1/companies/{company.id}/milestones"
    # Other test processes' writes can change the snapshot between A's and B's requests
    # (then B rightly computes its own answer): try until B was answered with A's.
    for _ in range(20):
        cache.clear()
        held = _Held(monkeypatch)
        a, b, joined = _two_at_once(client_for(coach), client_for(coach), path, held, cache)
        assert a.status_code == b.status_code == 200
        assert b.get_json() == a.get_json()
        assert held.calls == (1 if joined else 2)
        if joined:
            assert b.get_data() == a.get_data()
            return
    pytest.fail("B was never answered with A's answer")


@pytest.mark.postgres
def test_a_failed_computing_lets_the_waiting_request_compute(
    factory, client_for, cache, monkeypatch, app
):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", True)
    coach = factory.coach()
    company = _company(factory, coach, "Alpha", NOW - 3 * DAY)
    path = f"/api/v1/companies/{company.id}/milestones"
    held = _Held(monkeypatch, fail_first=True)
    a, b, joined = _two_at_once(client_for(coach), client_for(coach), path, held, cache)
    assert isinstance(a, RuntimeError)
    assert not joined and held.calls == 2
    assert b.status_code == 200
    assert [row["milestone"] for row in b.get_json()["milestones"]] == list(catalogue.KEYS)


@pytest.mark.postgres
def test_a_deactivated_user_is_refused_at_once(factory, client_for, cache):
    """The user is read before the cache is asked: a kept answer is never sent to a
    session that has ended."""
    from milestones.extensions import db

    coach = factory.coach()
    _company(factory, coach, "Alpha", NOW - 3 * DAY)
    client = client_for(coach)
    _served(client, "/api/v1/portfolio", cache)
    coach.active = False
    db.session.commit()
    assert client.get("/api/v1/portfolio").status_code == 401


@pytest.mark.postgres
def test_only_successful_gets_of_opted_in_views_are_kept(factory, client_for, cache):
    coach, member = factory.coach(), factory.member()
    company = _company(factory, coach, "Alpha", NOW - 3 * DAY)
    stranger = _company(factory, factory.coach(), "Other", NOW - 3 * DAY)
    client = client_for(coach)
    cache.clear()
    for _ in range(3):
        assert client.get(f"/api/v1/companies/{stranger.id}/milestones").status_code == 404
        assert client.get("/api/v1/companies").status_code == 200  # not opted in
        assert client_for(member).get("/api/v1/portfolio").status_code == 403
        # Conditional requests are answered by the view, which knows its validators.
        headers = {"If-None-Match": '"x"'}
        assert client.get(f"/api/v1/companies/{company.id}/milestones", headers=headers)
    assert cache.size == 0 and cache.hits == 0


@pytest.mark.parametrize("kind", ["days in milestone", "stall", "review waiting", "silence"])
@pytest.mark.postgres
def test_the_portfolio_is_computed_again_when_the_clock_changes_it(
    kind, factory, client_for, cache, frozen, time_machine
):
    """Each way the clock enters a portfolio row, one second after NOW: served just before
    (within the 1 ms the boundary is taken early), computed at it."""
    coach = factory.coach()
    flip = NOW + SECOND
    if kind == "days in milestone":  # 1 whole day, then 2
        _company(factory, coach, "Subject", flip - 2 * DAY)
        field, before, after = "days_in_milestone", 1, 2
    elif kind == "stall":  # no median: stalls at stall_min_days (30); active yesterday
        company = _company(factory, coach, "Subject", flip - 30 * DAY)
        add_task(company, "value_baseline", TaskStatus.OPEN, NOW - DAY, author=coach)
        field, before, after = "attention", [], ["stalled"]
    elif kind == "review waiting":  # stale_review_days (7) after it was submitted
        company = _company(factory, coach, "Subject", NOW - 3 * DAY)
        add_task(company, "value_baseline", TaskStatus.SUBMITTED, flip - 7 * DAY, author=coach)
        field, before, after = "attention", [], ["reviews_waiting"]
    else:  # inactive_days (30) after the last activity (a task), long stalled
        company = _company(factory, coach, "Subject", NOW - 100 * DAY)
        add_task(company, "value_baseline", TaskStatus.OPEN, flip - 30 * DAY, author=coach)
        field, before, after = "attention", ["stalled"], ["stalled", "inactive"]
    client = client_for(coach)
    for path in ("/api/v1/portfolio", "/api/v1/portfolio?sort=attention"):
        cache.clear()
        time_machine.move_to(NOW, tick=False)
        assert _row(client.get(path), "Subject")[field] == before
        time_machine.move_to(flip - 2 * MS, tick=False)
        assert _row(_served(client, path, cache), "Subject")[field] == before
        time_machine.move_to(flip, tick=False)
        assert _row(_computed(client, path, cache), "Subject")[field] == after


@pytest.mark.postgres
def test_the_review_queue_is_computed_again_when_an_age_changes(
    factory, client_for, cache, frozen, time_machine
):
    coach = factory.coach()
    company = _company(factory, coach, "Subject", NOW - 30 * DAY)
    add_task(company, "value_baseline", TaskStatus.SUBMITTED, NOW + SECOND - 3 * DAY, author=coach)
    client = client_for(coach)
    path = "/api/v1/reviews/pending"
    time_machine.move_to(NOW, tick=False)
    assert [item["age_days"] for item in client.get(path).get_json()] == [2]
    time_machine.move_to(NOW + SECOND - 2 * MS, tick=False)
    assert [item["age_days"] for item in _served(client, path, cache).get_json()] == [2]
    time_machine.move_to(NOW + SECOND, tick=False)
    assert [item["age_days"] for item in _computed(client, path, cache).get_json()] == [3]


@pytest.mark.postgres
def test_company_pages_are_computed_again_on_a_new_day_or_week(
    factory, client_for, cache, frozen, time_machine
):
    coach = factory.coach()
    company = _company(factory, coach, "Subject", NOW + SECOND - 5 * DAY)
    client = client_for(coach)
    statuses, metrics = (f"/api/v1/companies/{company.id}/{p}" for p in ("milestones", "metrics"))

    def days(response):
        first = response.get_json()["milestones"][0]  # statuses carry their metrics
        return first.get("metrics", first)["days_in_milestone"]

    for path in (statuses, metrics):
        time_machine.move_to(NOW, tick=False)
        assert days(client.get(path)) == 4
        time_machine.move_to(NOW + SECOND - 2 * MS, tick=False)
        assert days(_served(client, path, cache)) == 4
        time_machine.move_to(NOW + SECOND, tick=False)
        assert days(_computed(client, path, cache)) == 5
    # The trend's weeks move on at Monday 00:00 UTC (NOW is a Wednesday, 12:00).
    monday = (NOW + 5 * DAY).replace(hour=0)
    time_machine.move_to(monday - timedelta(hours=1), tick=False)
    weeks = [w["week"] for w in _served(client, metrics, cache).get_json()["trend"]]
    time_machine.move_to(monday, tick=False)
    moved = [w["week"] for w in _computed(client, metrics, cache).get_json()["trend"]]
    assert moved[:-1] == weeks[1:] and moved[-1] == "2026-W03"


@pytest.mark.postgres
def test_boundaries_worked_by_hand(factory, frozen, time_machine):
    coach = factory.coach()
    company = _company(factory, coach, "Subject", NOW - 2 * DAY - timedelta(hours=5))
    time_machine.move_to(NOW, tick=False)
    # Whole days in the milestone change 19 hours on; the stall (30 days), the silence
    # (30 days after the last activity) and the new week are further away.
    bound = boundaries.company(company.id, NOW)
    assert bound.until == NOW + timedelta(hours=19) - boundaries.SLACK
    assert bound.snapshot is not None
    assert boundaries.programme(NOW).until == NOW + timedelta(hours=19) - boundaries.SLACK
    # A review submitted 2 hours ago falls due in 7 days less 2 hours: still 19 hours.
    add_task(
        company, "value_baseline", TaskStatus.SUBMITTED, NOW - timedelta(hours=2), author=coach
    )
    assert boundaries.programme(NOW).until == NOW + timedelta(hours=19) - boundaries.SLACK
    # A review one week less 40 minutes old falls due in 40 minutes.
    add_task(
        company, "value_baseline", TaskStatus.SUBMITTED, NOW - 7 * DAY + 40 * MINUTE, author=coach
    )
    assert boundaries.programme(NOW).until == NOW + 40 * MINUTE - boundaries.SLACK
    # Queue ages: whole days since submission, 22 and 1 hours on; a day on for none.
    ages = [NOW - timedelta(hours=2), NOW - timedelta(hours=23)]
    assert boundaries.ages(ages, NOW) == NOW + timedelta(hours=1) - boundaries.SLACK
    assert boundaries.ages([NOW - 3 * DAY], NOW) == NOW + DAY - boundaries.SLACK
    assert boundaries.ages([], NOW) == NOW + DAY - boundaries.SLACK


@pytest.mark.postgres
def test_under_check_a_wrong_kept_answer_is_an_error(factory, client_for, app):
    _, _, client = _alpha(factory, client_for)
    path = "/api/v1/portfolio"
    kept = response_cache(app)
    assert kept is not None and app.config["RESPONSE_CACHE_CHECK"]
    for _ in range(200):
        kept.clear()
        client.get(path)  # kept, if nothing committed meanwhile
        for key, entry in list(kept._entries.items()):
            kept.put(key, Entry(entry.snapshot, entry.since, entry.until, b"[]", entry.headers))
        try:
            client.get(path)
        except CacheMismatch as exc:
            assert "kept b'[]'" in str(exc)
            return
    pytest.fail("no kept answer was compared in 200 requests")


def test_nothing_is_kept_without_snapshots(factory, client_for, cache):
    """SQLite names no snapshot: every request computes its answer."""
    _, _, client = _alpha(factory, client_for)
    for _ in range(3):
        assert client.get("/api/v1/portfolio").status_code == 200
    if dialect_name() == "sqlite":
        assert (cache.size, cache.hits, cache.misses) == (0, 0, 0)
    else:
        assert cache.misses >= 1


def test_the_budget_drops_the_least_recently_used():
    kept = ResponseCache(budget=10)
    entry = Entry("1:1:", NOW, NOW + DAY, b"12345", ())
    kept.put("a", entry)
    kept.put("b", entry)
    assert kept.get("a") is entry  # a is now the most recent
    kept.put("c", entry)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), kept.size) == (entry, None, entry, 10)
    kept.put("big", Entry("1:1:", NOW, NOW + DAY, b"x" * 11, ()))  # larger than it all
    assert kept.get("big") is None and kept.size == 10
    assert entry.holds("1:1:", NOW) and not entry.holds("1:2:", NOW)
    assert not entry.holds("1:1:", NOW - MS) and not entry.holds("1:1:", NOW + DAY)


@pytest.mark.postgres
def test_kept_answers_equal_computed_ones_across_two_days_of_clock(
    app, client_for, frozen, time_machine
):
    """Bench data (varied starts, reviews waiting, silent companies), every cached view
    (those whose answer the clock does not change too) for an admin, a coach and a
    member, at 80 clock positions 37 minutes apart (two days:
    many days-in-milestone, age and reason boundaries fall between two of them). Under
    RESPONSE_CACHE_CHECK each answer the cache would have given is computed and compared:
    a kept answer served past a change of the clock would fail here."""
    import sqlalchemy as sa

    from milestones.extensions import db
    from milestones.models import User
    from milestones.seeds.bench import seed_bench

    result = seed_bench(8, 6, seed=3, password=PASSWORD)
    clients = {
        role: client_for(db.session.scalar(sa.select(User).where(User.email == email)))
        for role, email in result.logins.items()
    }
    company = result.company_ids[0]
    paths = {
        "admin": [
            "/portfolio",
            "/portfolio?sort=attention",
            "/portfolio?sort=days_in_milestone",
            "/reviews/pending",
            "/activity",
            "/analytics/milestones",
            "/analytics/cohorts",
            "/cohorts",
            "/settings",
            "/webhooks",
        ],
        "coach": [
            "/portfolio?attention=true",
            "/reviews/pending",
            f"/companies/{company}/metrics",
            f"/companies/{company}/metric-series",
            f"/companies/{company}/evidence-proposals",
        ],
        "member": [f"/companies/{company}/milestones", f"/companies/{company}/metrics"],
    }
    kept = response_cache(app)
    assert kept is not None
    kept.clear()
    for step in range(80):
        time_machine.move_to(NOW + step * timedelta(minutes=37), tick=False)
        for role, urls in paths.items():
            for url in urls:
                for _ in range(2):  # the second is compared, if the snapshot held
                    assert clients[role].get(url).status_code == 200, (role, url)
    # Other test processes' writes change the snapshot at times; most pairs compare.
    assert kept.checked >= 500, kept.checked
