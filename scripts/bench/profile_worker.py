#!/usr/bin/env python3
"""Where a request spends its time: py-spy on a running gunicorn worker under wrk load.

Starts gunicorn (one worker, gunicorn.conf.py's threads) on an existing bench database,
signs in as the bench admin, runs `wrk -t2 -c8` on PATH while py-spy samples the thread
holding the GIL (Python's CPU work, not the waits), and prints the functions with the
largest share of the samples (inclusive and own time). It also prints the CPU time per
request of the worker and of the PostgreSQL backends serving it, read from /proc: on a
shared, loaded machine these move far less than req/s do.

Usage: .venv/bin/python scripts/bench/profile_worker.py DATABASE_URL [PATH]
       [--seconds 15] [--top 30] [--anonymous]
(`scripts/bench_metrics.py --keep` leaves a seeded database behind; py-spy is not a
project dependency: `.venv/bin/uv pip install py-spy`.)
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_metrics import (
    ROOT,
    Endpoint,
    free_port,
    sign_in,
    start_gunicorn,
    stop,
    wait_ready,
    wrk,
)

FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def short(frame: str) -> str:
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "backend/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['name']} ({path})"


def summarise(raw: str, top: int) -> None:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [short(f) for f in stack.split(";")]
        n = int(count)
        total += n
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    print(f"{total} samples of the thread holding the GIL")
    print(f"{'incl %':>7} {'own %':>6}  function")
    for name, n in inclusive.most_common(top):
        print(f"{100 * n / total:7.1f} {100 * own[name] / total:6.1f}  {name}")
    print()
    print("largest own time:")
    for name, n in own.most_common(top // 2):
        print(f"{100 * n / total:7.1f}  {name}")


def cpu_seconds(pids: list[str]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def backend_pids(database_url: str) -> list[str]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = make_url(database_url).database
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        pids = conn.scalars(
            sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
            ),
            {"d": name},
        ).all()
    engine.dispose()
    return [str(p) for p in pids]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("path", nargs="?", default="/api/v1/ping")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--anonymous", action="store_true", help="no session cookie")
    parser.add_argument("--email", default="admin@bench1.test")
    args = parser.parse_args()
    port = free_port()
    env = {"DATABASE_URL": args.database_url, "SECRET_KEY": "profile", "APP_ENV": "development"}
    server = start_gunicorn("milestones:create_app()", port, env, 1, None, "profile.log")
    try:
        wait_ready(port, "/api/v1/healthz", time.monotonic() + 60)
        from milestones.seeds.bench import PASSWORD

        cookie = "" if args.anonymous else sign_in(port, args.email, PASSWORD)
        endpoint = Endpoint(args.path, [args.path], signed_in=not args.anonymous)
        with tempfile.TemporaryDirectory() as tmp:
            wrk(port, endpoint, cookie, 2, Path(tmp))  # warm-up
            worker = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
            ).stdout.split()[0]
            backends = backend_pids(args.database_url)
            before = cpu_seconds([worker]), cpu_seconds(backends)
            result = wrk(port, endpoint, cookie, args.seconds, Path(tmp))
            after = cpu_seconds([worker]), cpu_seconds(backends)
            n = result["requests"]
            print(f"{args.path}: {json.dumps(result)}")
            print(
                f"CPU per request: worker {1e6 * (after[0] - before[0]) / n:.0f} us, "
                f"PostgreSQL backends {1e6 * (after[1] - before[1]) / n:.0f} us"
            )
            out = Path(tmp) / "profile.txt"
            record = ["record", "-p", worker, "-d", str(args.seconds), "-r", "200"]
            spy = subprocess.Popen(
                [str(ROOT / ".venv/bin/py-spy"), *record, "-f", "raw", "-o", str(out), "--gil"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wrk(port, endpoint, cookie, args.seconds, Path(tmp))
            spy.wait(timeout=args.seconds + 30)
            summarise(out.read_text(), args.top)
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
