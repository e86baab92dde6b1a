"""Responses kept while nothing they show can have changed (PostgreSQL).

A coach's portfolio, review queue and company pages (and the reports beside them) are
read over and over between two writes. Each of their responses is a function of three
things only: the data, the signed-in user (who they are, what they may see, all of it
in the data) and the clock. So a worker keeps the last responses it sent for those
views, each with:

- the snapshot of the data it was computed from. The statement that reads the session's
  user (auth/session.load_user) also names its snapshot, and when the user was kept from
  an earlier request the snapshot is read alone before the view, or the process's last
  one is used again while no commit was counted on this host, for a second at most
  (request_snapshot)
  (sql/dialect.db_snapshot: 'xmin:xmax:in-progress', the set of transactions whose rows
  it sees). Two statements with the same snapshot see exactly the same rows: any commit
  anywhere in the database, and any transaction that starts writing, gives a new one. A
  request whose snapshot equals a kept response's is answered with it, as if computed;
  so is one whose snapshot differs from it only by neutral transactions, which wrote
  nothing a kept answer shows (the share page's view counts, the rate limiter's
  counters: sql/snapshots.py). Any other request computes its answer. A transaction that
  has written names no snapshot, and takes no part;
- the time range it holds for: from when it was computed to the first time the clock
  can change what it shows (reporting/boundaries.py: a whole day passing since a stored
  time, an attention reason falling due, a new week or year). It is stored only when
  the snapshot still shows the same data after that range is computed, so the response, the
  range and the snapshot it is kept under describe the same data.

A view opts in with `@cached_response(boundary)` on its MethodView class; only GET
requests of signed-in users without conditional headers take part, only 200 responses
are kept, with the view's headers (X-Pagination) and without cookies. The key is the
view, the user and the URL with its query string, so an answer is never shared between
users. Each worker keeps at most RESPONSE_CACHE_BYTES of bodies (least recently used
go first; 0 turns the cache off). SQLite has no snapshots: there nothing is kept.

A worker computes each missing answer once: a request that finds another thread of the
worker computing the same key (view, user, URL) waits for that answer, at most
WAIT_SECONDS, and is answered with it if it was kept for its own snapshot
(otherwise it computes its own). So the threads of a worker that all ask for the pages
of a coach's portfolio after a write do not each compute them.

With RESPONSE_CACHE_CHECK (on in the tests) a request that would have been answered
from the cache is computed as usual and compared with the kept response: a difference
while the snapshot is unchanged is an error, so the whole suite checks the ranges.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import orjson
from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from milestones.auth.session import forget_snapshot, request_snapshot, view_mark
from milestones.reporting import boundaries
from milestones.reporting.boundaries import Boundary
from milestones.sql import snapshots
from milestones.timeutil import utcnow

T = TypeVar("T")
_CONDITIONAL = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "Range")
_NOT_KEPT = frozenset({"set-cookie", "vary", "content-length"})
WAIT_SECONDS = 10.0  # the longest a request waits for another thread's answer to its key


class CacheMismatch(AssertionError):
    """Under RESPONSE_CACHE_CHECK: a kept response differs from the one computed for the
    same snapshot within its time range."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A request a view has answered: what its boundary is computed from."""

    cache: ResponseCache
    args: dict[str, Any]  # the view's arguments (company_id...)
    snapshot: str  # the data, as of the session's user
    started: datetime  # the clock when the request began
    body: bytes  # the answer


# Given the request: its Boundary (the snapshot it was computed in, and its end).
BoundaryOf = Callable[[Answered], Boundary]


def cached_response(boundary: BoundaryOf) -> Callable[[T], T]:
    """Mark a MethodView whose GET response may be kept (module docstring)."""

    def mark(view: T) -> T:
        view._response_boundary = boundary  # type: ignore[attr-defined]
        return view

    return mark


def programme_wide(req: Answered) -> Boundary:
    """Every company's times (the portfolio), computed once per snapshot and clock range
    by a worker: at 10,000 companies a pass over company_stats costs milliseconds."""
    known = req.cache.programme
    if known is not None and known.holds(req.snapshot, req.started):
        return Boundary(boundaries.snapshot(), known.until)
    bound = boundaries.programme(req.started)
    if bound.snapshot is not None:
        req.cache.programme = _Range(bound.snapshot, req.started, bound.until)
    return bound


def timeless(req: Answered) -> Boundary:
    """A view whose answer the clock does not change (the activity log, analytics over
    achieved durations, cohorts, settings, webhooks, metric series, proposals): it holds
    while the data does, a day at most."""
    return Boundary(boundaries.snapshot(), req.started + timedelta(days=1))


def per_company(req: Answered) -> Boundary:
    return boundaries.company(int(req.args["company_id"]), req.started)


def queue_ages(req: Answered) -> Boundary:
    """The review queue: its items' ages (their submission times are in the answer)."""
    submitted = [datetime.fromisoformat(item["submitted_at"]) for item in orjson.loads(req.body)]
    return Boundary(boundaries.snapshot(), boundaries.ages(submitted, req.started))


@dataclass(frozen=True, slots=True)
class _Range:
    """Something true of the data of one snapshot over a range of the clock."""

    snapshot: str
    since: datetime  # computed no earlier than this
    until: datetime  # and true until just before this

    def holds(self, snapshot: str, now: datetime) -> bool:
        return self.since <= now < self.until and snapshots.same_data(self.snapshot, snapshot)


@dataclass(frozen=True, slots=True)
class Entry(_Range):
    body: bytes
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """Least recently used entries, within a byte budget; safe across threads."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.hits = 0
        self.misses = 0
        self.checked = 0  # under RESPONSE_CACHE_CHECK: kept answers compared
        self.programme: _Range | None = None  # programme_wide's last boundary
        self.joined = 0  # misses answered by another thread's computing of the same key
        self._entries: OrderedDict[Any, Entry] = OrderedDict()
        self._computing: dict[Any, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def lead(self, key: Any) -> threading.Event | None:
        """None when this thread is now the one computing `key` (it must call done());
        else the event set when the thread computing it is done."""
        with self._lock:
            computing = self._computing.get(key)
            if computing is None:
                self._computing[key] = threading.Event()
            return computing

    def done(self, key: Any) -> None:
        with self._lock:
            computing = self._computing.pop(key, None)
        if computing is not None:
            computing.set()

    def put(self, key: Any, entry: Entry) -> None:
        if len(entry.body) > self.budget:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.budget:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = self.hits = self.misses = self.checked = self.joined = 0
            self.programme = None


@dataclass(slots=True)
class _Pending:
    """What the start of a request left for its end."""

    key: Any
    snapshot: str
    started: datetime
    boundary: BoundaryOf
    expected: Entry | None  # under RESPONSE_CACHE_CHECK: the entry it would have served
    leading: bool  # this request computes the key's answer for the threads waiting on it


def response_cache(app: Flask | None = None) -> ResponseCache | None:
    return (app or current_app).extensions.get("response_cache")


def _boundary_of_view() -> BoundaryOf | None:
    if request.method != "GET" or request.endpoint is None:
        return None
    boundary: BoundaryOf | None = view_mark(
        current_app.view_functions.get(request.endpoint), "_response_boundary"
    )
    return boundary


def _serve() -> Response | None:
    """Before the view (after the sign-in gate loaded the user): the kept response, or
    None and a note for _keep."""
    cache = response_cache()
    boundary = _boundary_of_view()
    if cache is None or boundary is None or not current_user.is_authenticated:
        return None
    if any(h in request.headers for h in _CONDITIONAL):
        return None
    snapshot = request_snapshot()
    if snapshot is None:
        return None
    key = (request.endpoint, current_user.id, request.full_path)
    started = utcnow()
    entry = cache.get(key)
    hit = entry is not None and entry.holds(snapshot, started)
    checking = bool(current_app.config.get("RESPONSE_CACHE_CHECK"))
    leading = False
    if not hit and not checking:
        computing = cache.lead(key)
        leading = computing is None
        if computing is not None and computing.wait(WAIT_SECONDS):
            started = utcnow()  # answered as of now, which is within the answer's range
            entry = cache.get(key)
            hit = entry is not None and entry.holds(snapshot, started)
            cache.joined += hit
    if entry is not None and hit and not checking:
        cache.hits += 1
        if entry.snapshot != snapshot:  # the same data (sql/snapshots.py): kept under both
            cache.put(key, dataclasses.replace(entry, snapshot=snapshot))
        g.rendered_by = "response cache"  # api/render.check_rendered: it was, once
        return current_app.response_class(entry.body, headers=list(entry.headers))
    cache.misses += not hit
    g.response_cache = _Pending(key, snapshot, started, boundary, entry if hit else None, leading)
    return None


def _release(exc: BaseException | None) -> None:
    """After every request, answered or failed: the threads waiting for its key go on."""
    pending: _Pending | None = g.pop("response_cache", None)
    if pending is not None and pending.leading:
        cache = response_cache()
        assert cache is not None
        cache.done(pending.key)


def _keep(response: Response) -> Response:
    """After the view: keep a 200 response under the snapshot it was computed from."""
    pending: _Pending | None = g.get("response_cache")
    if pending is None or response.status_code != 200 or response.direct_passthrough:
        return response
    cache = response_cache()
    assert cache is not None
    body = response.get_data()
    bound = pending.boundary(
        Answered(cache, request.view_args or {}, pending.snapshot, pending.started, body)
    )
    if bound.snapshot is None or not snapshots.same_data(pending.snapshot, bound.snapshot):
        forget_snapshot()  # the process's kept one may be out of date
        return response  # something committed meanwhile: the data may not be the snapshot's
    headers = tuple(
        (name, value) for name, value in response.headers.items() if name.lower() not in _NOT_KEPT
    )
    if pending.expected is not None and (pending.expected.body, pending.expected.headers) != (
        body,
        headers,
    ):
        raise CacheMismatch(
            f"{request.full_path}: kept {pending.expected.body[:300]!r}, "
            f"computed {body[:300]!r} (snapshot {pending.snapshot}, {pending.started})"
        )
    cache.checked += pending.expected is not None
    now = utcnow()
    if now < bound.until:
        cache.put(pending.key, Entry(pending.snapshot, now, bound.until, body, headers))
    return response


def init_app(app: Flask) -> None:
    """After auth/session.init_app: the gate has loaded the user when _serve runs, and
    _keep (the last after_request registered runs first) sees the view's own headers."""
    budget = int(app.config.get("RESPONSE_CACHE_BYTES") or 0)
    if budget <= 0:
        return
    app.extensions["response_cache"] = ResponseCache(budget)
    snapshots.init_app(app)
    app.before_request(_serve)
    app.after_request(_keep)
    app.teardown_request(_release)
