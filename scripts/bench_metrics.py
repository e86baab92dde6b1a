#!/usr/bin/env python3
"""Benchmark of the metric views against a trivial endpoint served by the same gunicorn.

1. creates a fresh PostgreSQL database, migrates it and seeds bench data
   (`milestones seed bench`: by default 1,000 companies x 100 tasks);
2. starts gunicorn on 127.0.0.1 with the repository's gunicorn.conf.py;
3. signs in as the bench admin (sees every company) and, for each endpoint in turn,
   runs keep-alive HTTP clients in separate processes for a fixed time;
4. prints requests/s, p50 and p99 per endpoint and the throughput ratios to the trivial
   endpoints: GET /api/v1/ping (signed in: the same session and user loading as every
   view, no work; the baseline of the targets) and GET /api/v1/healthz (public, one
   `SELECT 1`), then drops the database.

Usage: .venv/bin/python scripts/bench_metrics.py [--companies 1000] [--tasks-per-company 100]
       [--seconds 8] [--clients 4] [--rounds 4] [--workers N] [--threads N]
       [--admin-url URL] [--keep]
Only loopback is used; the run time is bounded by --seconds per endpoint.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DEFAULT_ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


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


def seed(database_url: str, companies: int, tasks: int) -> tuple[dict[str, str], list[int]]:
    os.environ["DATABASE_URL"] = database_url
    from flask_migrate import upgrade

    from milestones import create_app
    from milestones.seeds.bench import PASSWORD, seed_bench

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        result = seed_bench(companies, tasks)
        from milestones.extensions import db

        db.engine.dispose()
    print(
        f"seeded {result.companies} companies, {result.tasks} tasks in {result.seconds:.1f} s",
        flush=True,
    )
    return {"email": result.logins["admin"], "password": PASSWORD}, result.company_ids


def start_server(
    database_url: str, port: int, workers: int | None, threads: int | None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-" + uuid.uuid4().hex,
        "APP_ENV": "development",
        "GUNICORN_BIND": f"{HOST}:{port}",  # loopback only, whatever the config file says
    }
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]
    # gunicorn.conf.py (read from the repository root) gives the production defaults.
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    cmd.append("milestones:create_app()")
    # The access log (one JSON line per request) goes to a file, not the terminal.
    log = (ROOT / "instance" / "bench-gunicorn.log").open("wb")
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: Any = None,
) -> tuple[int, bytes, http.client.HTTPResponse]:
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers = {**headers, "Content-Type": "application/json"}
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read(), response


def wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            status, _, _ = request(conn, "GET", "/api/v1/healthz", {})
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready in time")


def sign_in(port: int, email: str, password: str) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    status, body, response = request(
        conn, "POST", "/api/v1/auth/login", {}, {"email": email, "password": password}
    )
    conn.close()
    if status != 200:
        raise SystemExit(f"login failed: {status} {body[:200]!r}")
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    return "; ".join(cookies)


def client(args: tuple[int, str, list[str], float, int]) -> tuple[list[float], int]:
    """One client process: keep-alive GETs over `paths` (round robin) until `until`."""
    port, cookie, paths, until, seed_value = args
    rng = random.Random(seed_value)
    headers = {"Cookie": cookie, "Connection": "keep-alive"}
    latencies: list[float] = []
    errors = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    i = rng.randrange(len(paths))
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            status, _, response = request(conn, "GET", path, headers)
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            errors += 1
            continue
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
    conn.close()
    return latencies, errors


def measure(
    pool: Any, port: int, cookie: str, paths: list[str], seconds: float, clients: int
) -> tuple[list[float], int, float]:
    started = time.monotonic()
    results = pool.map(
        client, [(port, cookie, paths, started + seconds, n) for n in range(clients)]
    )
    elapsed = time.monotonic() - started
    return [x for lat, _ in results for x in lat], sum(e for _, e in results), elapsed


def summarise(latencies: list[float], errors: int, elapsed: float) -> dict[str, float]:
    if not latencies:
        raise SystemExit("no successful request")
    latencies = sorted(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": p99 * 1000,
        "errors": errors,
        "count": len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--tasks-per-company", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured time per endpoint")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument(
        "--workers", type=int, default=None, help="default: gunicorn.conf.py (2 x CPUs + 1)"
    )
    parser.add_argument("--threads", type=int, default=None, help="default: gunicorn.conf.py")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name, database_url = create_database(args.admin_url)
    server: subprocess.Popen[bytes] | None = None
    try:
        login, company_ids = seed(database_url, args.companies, args.tasks_per_company)
        port = free_port()
        server = start_server(database_url, port, args.workers, args.threads)
        wait_ready(port, time.monotonic() + 60)
        cookie = sign_in(port, login["email"], login["password"])

        rng = random.Random(7)
        sample = rng.sample(company_ids, min(200, len(company_ids)))
        pages = max(1, min(20, args.companies // 50))
        endpoints = [
            ("trivial GET /ping (signed in)", ["/api/v1/ping"]),
            ("trivial GET /healthz (public)", ["/api/v1/healthz"]),
            (
                "GET /portfolio (page of 50)",
                [f"/api/v1/portfolio?page_size=50&page={p}" for p in range(1, pages + 1)],
            ),
            (
                "GET /companies/{id}/milestones",
                [f"/api/v1/companies/{c}/milestones" for c in sample],
            ),
            ("GET /companies/{id}/metrics", [f"/api/v1/companies/{c}/metrics" for c in sample]),
            ("GET /analytics/milestones", ["/api/v1/analytics/milestones"]),
            (
                "GET /portfolio?attention=true&sort=attention (page of 50)",
                [
                    f"/api/v1/portfolio?attention=true&sort=attention&page_size=50&page={p}"
                    for p in range(1, pages + 1)
                ],
            ),
            (
                "GET /reviews/pending (page of 50)",
                [f"/api/v1/reviews/pending?page_size=50&page={p}" for p in range(1, pages + 1)],
            ),
        ]
        # Rounds interleave the endpoints, so a burst of load elsewhere on the machine
        # does not fall on one endpoint only.
        per_round = args.seconds / args.rounds
        collected: dict[str, tuple[list[float], int, float]] = {
            label: ([], 0, 0.0) for label, _ in endpoints
        }
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(args.clients) as pool:
            for _label, paths in endpoints:  # warm-up: plans, prepared statements, caches
                measure(pool, port, cookie, paths, 1.0, args.clients)
            for _ in range(args.rounds):
                for label, paths in endpoints:
                    lat, err, took = measure(pool, port, cookie, paths, per_round, args.clients)
                    old = collected[label]
                    collected[label] = (old[0] + lat, old[1] + err, old[2] + took)
        results = {label: summarise(*collected[label]) for label, _ in endpoints}
        base = results[endpoints[0][0]]["rps"]
        public = results[endpoints[1][0]]["rps"]
        print()
        print(
            f"{args.companies} companies x {args.tasks_per_company} tasks; gunicorn "
            f"{args.workers or 'default'} workers x {args.threads or 'default'} threads; "
            f"{args.clients} client processes; "
            f"{args.seconds:.0f} s per endpoint; {os.cpu_count()} CPUs"
        )
        print(
            f"{'endpoint':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'/ping':>7} {'/healthz':>9} {'errors':>7}"
        )
        for label, r in results.items():
            print(
                f"{label:34} {r['rps']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f} "
                f"{r['rps'] / base:7.2f} {r['rps'] / public:9.2f} {int(r['errors']):7d}"
            )
        print("(/ping, /healthz: throughput as a ratio of that trivial endpoint's)")
        print()
        views = [label for label, _ in endpoints[2:5]]
        ok_views = all(results[v]["rps"] / base >= 0.5 for v in views)
        analytics_p50 = results[endpoints[5][0]]["p50"]
        print(
            f"target: portfolio and company views >= 0.50 of /ping throughput: "
            f"{'met' if ok_views else 'NOT met'}"
        )
        print(
            f"target: analytics p50 < 100 ms: {analytics_p50:.1f} ms, "
            f"{'met' if analytics_p50 < 100 else 'NOT met'}"
        )
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.keep:
            drop_database(args.admin_url, name)
        else:
            print(f"kept database {name}: {database_url}")


if __name__ == "__main__":
    sys.exit(main())
