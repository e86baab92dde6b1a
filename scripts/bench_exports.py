#!/usr/bin/env python3
"""Benchmark of the exports: time and peak memory of the gunicorn worker that writes them.

Run alone it creates a fresh PostgreSQL database, seeds it (`milestones seed bench`: by
default 10,000 companies x 10 tasks), starts gunicorn on 127.0.0.1 with one worker, signs
in as the bench admin and downloads, one after the other:
  /exports/portfolio.xlsx, /exports/portfolio.csv (every company),
  /exports/activity.csv, /exports/activity.xlsx (the whole history), /exports/analytics.csv
printing for each the wall time of the whole download, its size and rows, and the peak
RSS of the worker process while it wrote it (VmHWM from /proc, reset before each export
with /proc/PID/clear_refs), against the targets (under 5 s, under 150 MB).
It reuses scripts/bench_metrics.py's helpers (database, seed, gunicorn, sign-in).

Usage: .venv/bin/python scripts/bench_exports.py [--companies 10000]
       [--tasks-per-company 10] [--admin-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import bench_metrics as bench  # beside this script (its directory is on sys.path)

EXPORTS = (
    "/api/v1/exports/portfolio.xlsx",
    "/api/v1/exports/portfolio.csv",
    "/api/v1/exports/activity.csv",
    "/api/v1/exports/activity.xlsx",
    "/api/v1/exports/analytics.csv",
)
TARGETS = {"portfolio.xlsx", "portfolio.csv", "activity.csv"}  # the targets
MAX_SECONDS = 5.0
MAX_MB = 150.0


def workers(master: int) -> list[int]:
    """The worker processes of a gunicorn master (its children)."""
    found: list[int] = []
    for task in Path(f"/proc/{master}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(pid) for pid in text]
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    # Writing 5 resets the peak resident set size (VmHWM) to the current one.
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def download(port: int, cookie: str, path: str) -> tuple[int, int, int, float]:
    """(status, bytes, CSV lines or 0, seconds) of one whole download."""
    conn = http.client.HTTPConnection(bench.HOST, port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    size = lines = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        lines += chunk.count(b"\n")
    took = time.perf_counter() - started
    conn.close()
    return response.status, size, lines if path.endswith(".csv") else 0, took


def measure_exports(port: int, cookie: str, master: int) -> bool:
    """Download each export in turn and print time, size and the workers' peak RSS.
    True when the targets are met. Each is first fetched once with a filter matching
    nothing (imports, plans, the pool's first connection), so the timed run is warm."""
    for path in EXPORTS:
        download(port, cookie, path + "?q=x")
    pids = workers(master)
    print(f"\nexports ({len(pids)} gunicorn worker(s), peak RSS = max over them)")
    print(f"{'export':16} {'status':>6} {'seconds':>8} {'MB':>8} {'lines':>8} {'peak RSS MB':>12}")
    met = True
    for path in EXPORTS:
        for pid in pids:
            reset_peak(pid)
        status, size, lines, took = download(port, cookie, path)
        peak = max(peak_rss_mb(pid) for pid in pids)
        name = path.rsplit("/", 1)[1]
        print(
            f"{name:16} {status:6d} {took:8.2f} {size / 1e6:8.2f} {lines:8d} {peak:12.1f}"
            + ("" if name in TARGETS else "   (no target)")
        )
        if name in TARGETS and (status != 200 or took >= MAX_SECONDS or peak >= MAX_MB):
            met = False
    print(
        f"target: portfolio xlsx/csv and activity csv each < {MAX_SECONDS:.0f} s and "
        f"< {MAX_MB:.0f} MB peak RSS of the worker: {'met' if met else 'NOT met'}"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--tasks-per-company", type=int, default=10)
    parser.add_argument("--admin-url", default=bench.DEFAULT_ADMIN_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name, database_url = bench.create_database(args.admin_url)
    server: subprocess.Popen[bytes] | None = None
    try:
        admin, _, _, _ = bench.seed(database_url, args.companies, args.tasks_per_company)
        port = bench.free_port()
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-" + uuid.uuid4().hex,
            "APP_ENV": "development",
        }
        (bench.ROOT / "instance").mkdir(exist_ok=True)
        server = bench.start_gunicorn("milestones:create_app()", port, env, 1, None, "exports.log")
        bench.wait_ready(port, "/api/v1/healthz", time.monotonic() + 60)
        from milestones.seeds.bench import PASSWORD

        cookie = bench.sign_in(port, admin, PASSWORD)
        print(f"{args.companies} companies x {args.tasks_per_company} tasks; {os.cpu_count()} CPUs")
        return 0 if measure_exports(port, cookie, server.pid) else 1
    finally:
        if server is not None:
            bench.stop(server)
        if not args.keep:
            bench.drop_database(args.admin_url, name)
        else:
            print(f"kept database {name}: {database_url}")


if __name__ == "__main__":
    sys.exit(main())
