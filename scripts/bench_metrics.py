#!/usr/bin/env python3
"""Benchmark of the API against a bare Flask app served by the same gunicorn settings.

1. creates a fresh PostgreSQL database, migrates it and seeds bench data
   (`milestones seed bench`: by default 1,000 companies x 100 tasks), timing the seed;
2. starts two gunicorns on 127.0.0.1 with the repository's gunicorn.conf.py and the same
   settings (`-w 2` by default): the app, and a bare Flask app (scripts/bench/bare_app.py:
   one route returning a five-item JSON list; no database, session or extension);
3. signs in as the bench admin (sees every company) and runs `wrk -t2 -c8` against each
   endpoint in turn, in interleaved rounds; the bare app is measured for half as long
   just before each endpoint's turn, so an endpoint is compared with the bare app under
   the same load of the machine (which drifts by tens of percent over a few minutes on
   a shared machine);
4. prints req/s, p50 and p99 per endpoint, its throughput as a share of the bare app's
   measured beside it (and that rate), and whether each target is met; then drops the
   database.

`--companies 1000 10000` runs the whole thing at each size and then compares every share
with the first size's (target: within 10%). `--exports` also downloads each CSV/XLSX
export at each size and prints its time and the workers' peak RSS (scripts/bench_exports.py;
its targets, under 5 s and 150 MB, are for 10,000 companies).

Usage: .venv/bin/python scripts/bench_metrics.py [--companies 1000 [10000 ...]]
       [--tasks-per-company 100] [--seconds 8] [--rounds 4] [--workers 2]
       [--threads N] [--admin-url URL] [--keep] [--database URL] [--only LABEL...]
       [--exports]
Needs `wrk` (Debian's package; `make bench` installs it). Only loopback is used; each
endpoint runs for --seconds in all. The gunicorns inherit the environment:
`RESPONSE_CACHE_BYTES=0` measures every view computed (no response cache).

To add an endpoint, add one `Endpoint` to `endpoints()`: a label, the paths (requests
cycle through them), and its target (a share of the bare app's req/s, or a p50 ceiling).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEFAULT_ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SEED_TARGET_SECONDS = 180.0
PORTFOLIO = "GET /portfolio (page of 50)"
SCALE_TOLERANCE = 0.10


@dataclass(frozen=True)
class Endpoint:
    label: str
    paths: list[str]
    share: float | None = None  # target: req/s >= share x the bare app's
    p50_ms: float | None = None  # target: median latency <= p50_ms
    signed_in: bool = True
    near: str | None = None  # target: req/s within 10% of this endpoint's (its label)


@dataclass(frozen=True)
class Context:
    company_ids: list[int]
    companies: int
    share_tokens: list[str]


def endpoints(ctx: Context) -> list[Endpoint]:
    """Every endpoint measured, with its target. Other areas add theirs here."""
    sample = random.Random(7).sample(ctx.company_ids, min(200, len(ctx.company_ids)))
    pages = max(1, min(20, ctx.companies // 50))
    return [
        Endpoint("GET /healthz (public)", ["/api/v1/healthz"], share=0.60, signed_in=False),
        Endpoint("GET /ping (signed in)", ["/api/v1/ping"], share=0.50),
        Endpoint(
            PORTFOLIO,
            [f"/api/v1/portfolio?page_size=50&page={p}" for p in range(1, pages + 1)],
            share=0.35,
        ),
        Endpoint(
            "GET /companies/{id}/milestones",
            [f"/api/v1/companies/{c}/milestones" for c in sample],
            share=0.35,
        ),
        Endpoint(
            "GET /companies/{id}/metrics",
            [f"/api/v1/companies/{c}/metrics" for c in sample],
            share=0.35,
        ),
        Endpoint("GET /analytics/milestones", ["/api/v1/analytics/milestones"], p50_ms=50.0),
        Endpoint(
            "GET /portfolio?attention (page of 50)",
            [
                f"/api/v1/portfolio?attention=true&sort=attention&page_size=50&page={p}"
                for p in range(1, pages + 1)
            ],
            share=0.35,
            near=PORTFOLIO,
        ),
        Endpoint(
            "GET /reviews/pending (page of 50)",
            [f"/api/v1/reviews/pending?page_size=50&page={p}" for p in range(1, pages + 1)],
            share=0.35,
            near=PORTFOLIO,
        ),
        # Added by the cockpit, evidence, sharing and reporting issues: no share of their
        # own, but each must hold its share within 10% at ten times the data (compare()).
        Endpoint("GET /settings", ["/api/v1/settings"]),
        Endpoint(
            "GET /companies/{id}/metric-series",
            [f"/api/v1/companies/{c}/metric-series" for c in sample],
        ),
        Endpoint(
            "GET /companies/{id}/evidence-proposals",
            [f"/api/v1/companies/{c}/evidence-proposals" for c in sample],
        ),
        Endpoint("GET /analytics/cohorts", ["/api/v1/analytics/cohorts"]),
        Endpoint(
            "GET /activity (page of 50)",
            [f"/api/v1/activity?page_size=50&page={p}" for p in range(1, pages + 1)],
        ),
        Endpoint("GET /cohorts", ["/api/v1/cohorts"]),
        Endpoint("GET /webhooks", ["/api/v1/webhooks"]),
        Endpoint(
            "GET /shared/{token} (public)",
            [f"/api/v1/shared/{t}" for t in ctx.share_tokens],
            signed_in=False,
        ),
    ]


BARE = Endpoint("bare Flask app (5-item JSON list)", ["/items"], signed_in=False)


# --- database and servers ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def create_database(admin_url: str) -> tuple[str, str]:
    name = f"mt_bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def share_tokens(admin_email: str, company_ids: list[int], count: int = 50) -> list[str]:
    """Share links of a sample of companies, made by the admin (in the seeding process,
    with an app context): their tokens, which are shown once."""
    import sqlalchemy as sa

    from milestones.extensions import db
    from milestones.models import User
    from milestones.sharing.links import create_link

    admin = db.session.scalar(sa.select(User).where(User.email == admin_email))
    sample = random.Random(11).sample(company_ids, min(count, len(company_ids)))
    return [create_link(c, admin, {"label": "bench"}).token for c in sample]  # type: ignore[attr-defined]


def seed(database_url: str, companies: int, tasks: int) -> tuple[str, list[int], float, list[str]]:
    """Migrate and seed in a child process (the parent keeps no app or connection)."""
    code = (
        "import json, sys\n"
        "from flask_migrate import upgrade\n"
        "from milestones import create_app\n"
        "from milestones.seeds.bench import seed_bench\n"
        "from bench_metrics import share_tokens\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1]})\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        "    r = seed_bench(int(sys.argv[2]), int(sys.argv[3]))\n"
        "    tokens = share_tokens(r.logins['admin'], r.company_ids)\n"
        "print(json.dumps({'admin': r.logins['admin'], 'ids': r.company_ids,"
        " 'seconds': r.seconds, 'tokens': tokens}))\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT / "scripts")}
    out = subprocess.run(
        [sys.executable, "-c", code, database_url, str(companies), str(tasks)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["admin"], result["ids"], float(result["seconds"]), result["tokens"]


def start_gunicorn(
    app: str, port: int, env: dict[str, str], workers: int, threads: int | None, log: str
) -> subprocess.Popen[bytes]:
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"{HOST}:{port}"]
    cmd += ["--workers", str(workers), "--log-level", "warning"]
    if threads:
        cmd += ["--threads", str(threads)]
    cmd += ["--pythonpath", str(ROOT / "scripts" / "bench"), app]
    # gunicorn.conf.py (read from the repository root) gives every other setting; the
    # access log (one JSON line per request as in production, both servers alike) goes
    # to a file.
    out = (ROOT / "instance" / log).open("wb")
    full_env = {**os.environ, **env, "GUNICORN_BIND": f"{HOST}:{port}", "LOG_FORMAT": "json"}
    return subprocess.Popen(
        cmd, env=full_env, cwd=ROOT, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def wait_ready(port: int, path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} did not become ready in time")


def sign_in(port: int, email: str, password: str) -> str:
    body = json.dumps({"email": email, "password": password}).encode()
    req = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1/auth/login",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


# --- wrk ---------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = %(paths)s
local i = math.random(#paths)
%(cookie)s
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "errors": %%d,' ..
    ' "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Sample:
    requests: int = 0
    seconds: float = 0.0
    bad: int = 0
    p50s: list[float] | None = None
    p99s: list[float] | None = None

    def add(self, run: dict[str, int]) -> None:
        self.requests += run["requests"]
        self.seconds += run["duration_us"] / 1e6
        self.bad += run["non2xx"] + run["errors"]
        self.p50s = (self.p50s or []) + [run["p50_us"] / 1000]
        self.p99s = (self.p99s or []) + [run["p99_us"] / 1000]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:  # the median of the rounds' medians
        return statistics.median(self.p50s or [0.0])

    @property
    def p99(self) -> float:
        return max(self.p99s or [0.0])


def wrk(port: int, endpoint: Endpoint, cookie: str, seconds: float, workdir: Path) -> dict:
    lua = WRK_SCRIPT % {
        "paths": "{" + ", ".join(json.dumps(p) for p in endpoint.paths) + "}",
        "cookie": f"wrk.headers['Cookie'] = {json.dumps(cookie)}" if endpoint.signed_in else "",
    }
    script = workdir / "bench.lua"
    script.write_text(lua)
    cmd = ["wrk", "-t2", "-c8", f"-d{max(1, round(seconds))}s", "-s", str(script)]
    out = subprocess.run(
        [*cmd, f"http://{HOST}:{port}"], check=True, capture_output=True, text=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    return dict(json.loads(line[6:]))


# --- one run -------------------------------------------------------------------------------


@dataclass
class Run:
    companies: int
    tasks: int
    seed_seconds: float
    bare: Sample  # every measurement of the bare app
    results: dict[str, tuple[Endpoint, Sample]]
    exports_met: bool | None = None  # --exports: the exports' targets (printed apart)
    beside: dict[str, Sample] = field(default_factory=dict)  # the bare app, before each

    def share(self, label: str) -> float:
        return self.results[label][1].rps / self.beside[label].rps


def existing(database_url: str) -> tuple[str, list[int], float, list[str]]:
    """A database seeded before (`--keep`): its bench admin and companies (no share
    tokens: only their hashes are stored, so the share page is not measured)."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        admin = conn.scalar(sa.text("SELECT email FROM users WHERE role = 'admin' ORDER BY id"))
        ids = list(conn.scalars(sa.text("SELECT id FROM companies ORDER BY id")))
    engine.dispose()
    return str(admin), ids, 0.0, []


def run_size(args: argparse.Namespace, companies: int, workdir: Path) -> Run:
    if args.database:
        name, database_url = "", args.database
    else:
        name, database_url = create_database(args.admin_url)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        if args.database:
            admin, company_ids, seed_seconds, tokens = existing(database_url)
            companies = len(company_ids)
        else:
            print(f"seeding {companies} companies x {args.tasks_per_company} tasks...", flush=True)
            admin, company_ids, seed_seconds, tokens = seed(
                database_url, companies, args.tasks_per_company
            )
            print(f"seeded in {seed_seconds:.1f} s", flush=True)
        app_port, bare_port = free_port(), free_port()
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-" + uuid.uuid4().hex,
            "APP_ENV": "development",
            # the share page's per-address limit would refuse wrk's loopback requests; and
            # an unreachable limit is counted in memory, not as one database row per hit
            "SHARE_RATE_LIMIT": "100000000 per minute",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
        workers, threads = args.workers, args.threads
        servers.append(
            start_gunicorn("milestones:create_app()", app_port, env, workers, threads, "bench.log")
        )
        servers.append(start_gunicorn("bare_app:app", bare_port, {}, workers, threads, "bare.log"))
        wait_ready(app_port, "/api/v1/healthz", time.monotonic() + 60)
        wait_ready(bare_port, "/items", time.monotonic() + 60)
        from milestones.seeds.bench import PASSWORD

        cookie = sign_in(app_port, admin, PASSWORD)
        measured = endpoints(Context(company_ids, companies, tokens))
        measured = [e for e in measured if e.paths]  # (no share tokens: no share page)
        measured = [e for e in measured if not args.only or any(o in e.label for o in args.only)]
        bare = Sample()
        samples = {e.label: Sample() for e in measured}
        per_round = args.seconds / args.rounds
        for e in [BARE, *measured]:  # warm-up: plans, prepared statements, caches
            wrk(bare_port if e is BARE else app_port, e, cookie, 1, workdir)
        beside = {e.label: Sample() for e in measured}
        for _ in range(args.rounds):
            for e in measured:
                paired = wrk(bare_port, BARE, "", per_round / 2, workdir)
                bare.add(paired)
                beside[e.label].add(paired)
                samples[e.label].add(wrk(app_port, e, cookie, per_round, workdir))
        results = {e.label: (e, samples[e.label]) for e in measured}
        run = Run(companies, args.tasks_per_company, seed_seconds, bare, results, beside=beside)
        if args.exports:
            import bench_exports  # beside this script; it reuses the helpers here

            print(f"\n{companies} companies x {args.tasks_per_company} tasks:", end="")
            run.exports_met = bench_exports.measure_exports(app_port, cookie, servers[0].pid)
        return run
    finally:
        for server in servers:
            stop(server)
        if args.keep and name:
            print(f"kept database {name}: {database_url}")
        elif name:
            drop_database(args.admin_url, name)


# --- report --------------------------------------------------------------------------------


def verdict(run: Run, endpoint: Endpoint, sample: Sample, share: float) -> tuple[str, bool]:
    targets: list[tuple[str, bool]] = []
    if endpoint.share is not None:
        targets.append((f"share >= {endpoint.share:.2f}", share >= endpoint.share))
    if endpoint.p50_ms is not None:
        targets.append((f"p50 <= {endpoint.p50_ms:.0f} ms", sample.p50 <= endpoint.p50_ms))
    if endpoint.near is not None and endpoint.near in run.results:
        other = run.share(endpoint.near)  # shares: each against the bare app beside it
        ratio = share / other if other else 0.0
        held = ratio >= 1 - SCALE_TOLERANCE
        targets.append((f"{ratio:.2f} x {endpoint.near.split(' (')[0]} >= 0.90", held))
    if not targets:
        return "-", True
    text = "; ".join(f"{t}: {'met' if m else 'NOT met'}" for t, m in targets)
    return text, all(m for _, m in targets)


def report(run: Run, args: argparse.Namespace) -> bool:
    print()
    print(
        f"{run.companies} companies x {run.tasks} tasks (seeded in {run.seed_seconds:.1f} s); "
        f"gunicorn -w {args.workers} (threads: {args.threads or 'gunicorn.conf.py'}); "
        f"wrk -t2 -c8, {args.seconds:.0f} s per endpoint in {args.rounds} rounds; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    header = f"{'endpoint':40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>8} {'share':>6} {'bad':>5}"
    print(f"{header} {'bare':>6}  target")
    b = run.bare
    print(f"{BARE.label:40} {b.rps:8.0f} {b.p50:7.2f} {b.p99:8.2f} {1:6.2f} {b.bad:5d}")
    print(f"{'(share: of the bare req/s measured just before each endpoint, last column)':40}")
    ok = True
    for label, (endpoint, s) in run.results.items():
        share = run.share(label)
        target, met = verdict(run, endpoint, s, share)
        ok &= met and s.bad == 0
        if s.bad:
            target += f" ({s.bad} non-2xx or failed responses)"
        paired = run.beside[label].rps
        print(
            f"{label:40} {s.rps:8.0f} {s.p50:7.2f} {s.p99:8.2f} {share:6.2f} {s.bad:5d}"
            f" {paired:6.0f}  {target}"
        )
    if run.exports_met is not None:
        ok &= run.exports_met
    if run.seed_seconds:
        seeded = run.seed_seconds <= SEED_TARGET_SECONDS
        ok &= seeded
        print(f"seed <= {SEED_TARGET_SECONDS:.0f} s: {'met' if seeded else 'NOT met'}")
    return ok


def compare(first: Run, other: Run) -> bool:
    print()
    print(f"shares at {other.companies} companies against {first.companies}:")
    ok = True
    for label, (endpoint, _) in other.results.items():
        if endpoint.share is None or label not in first.results:
            continue
        a, b = first.share(label), other.share(label)
        held = b >= a * (1 - SCALE_TOLERANCE)
        ok &= held
        print(f"  {label:40} {a:5.2f} -> {b:5.2f}  within 10%: {'met' if held else 'NOT met'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, nargs="+", default=[1000])
    parser.add_argument("--tasks-per-company", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per endpoint")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="default: gunicorn.conf.py")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--database", help="reuse a database seeded before (with --keep)")
    parser.add_argument("--only", nargs="+", help="only the endpoints whose label has one")
    parser.add_argument(
        "--exports",
        action="store_true",
        help="also time the CSV/XLSX exports and the workers' peak RSS at each size"
        " (scripts/bench_exports.py; its targets are for 10,000 companies)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or run `make bench`)")
    (ROOT / "instance").mkdir(exist_ok=True)
    runs: list[Run] = []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for companies in args.companies:
            runs.append(run_size(args, companies, Path(tmp)))
            ok &= report(runs[-1], args)
    for other in runs[1:]:
        ok &= compare(runs[0], other)
    print()
    print("all targets met" if ok else "some targets NOT met")
    print("(figures from a shared machine are noisy: rerun before drawing conclusions)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
