"""Load check: locust, headless, against gunicorn + a fresh PostgreSQL database on loopback,
then a check that every write a client was told succeeded is in the database.

    .venv/bin/python scripts/load/run_load.py [--users 50] [--duration 60]

Passes (exit 0) when locust saw zero failures (any unexpected status, 5xx included) and:
- every task, update and evidence id a client got back exists, in the right company, and
  the per-company counts equal what the clients were told (nothing extra, nothing lost);
- every task / update a client was told it approved is approved;
- for every company and milestone, `achieved` equals the last `toggled` history event and
  the last toggle a client was told about; toggle events per company equal the toggles told.
Writes instance/security-results/load.json for scripts/security_report.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.load.harness import BIN, RESULTS, Harness

HERE = Path(__file__).resolve().parent


def run_locust(h: Harness, users: int, duration: int, record: Path) -> dict[str, Any]:
    env = dict(os.environ)
    env["LOAD_PEOPLE"] = json.dumps(h.people)
    env["LOAD_RECORD"] = str(record)
    prefix = h.workdir / "locust"
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(max(1, users // 5)),
        "-t",
        f"{duration}s",
        "--host",
        h.base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    stats: dict[str, Any] = {"requests": 0, "failures": 0, "rps": 0.0, "by_name": []}
    stats_file = Path(f"{prefix}_stats.csv")
    if stats_file.exists():
        with stats_file.open() as f:
            for row in csv.DictReader(f):
                entry = {
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": row.get("50%"),
                    "p99_ms": row.get("99%"),
                }
                if row["Name"] == "Aggregated":
                    stats.update(
                        requests=entry["requests"],
                        failures=entry["failures"],
                        rps=float(row["Requests/s"]),
                        p50_ms=entry["p50_ms"],
                        p99_ms=entry["p99_ms"],
                    )
                else:
                    stats["by_name"].append(entry)
    failures_file = Path(f"{prefix}_failures.csv")
    stats["failure_samples"] = (
        failures_file.read_text().splitlines()[:15] if failures_file.exists() else []
    )
    stats["locust_exit"] = proc.returncode
    stats["locust_stderr"] = proc.stderr[-2000:]
    return stats


def verify(h: Harness, told: dict[str, list[Any]]) -> list[str]:
    """Compare what the clients were told with the database. Returns the problems."""
    problems: list[str] = []
    engine = h.engine()
    with engine.connect() as conn:

        def rows(sql: str) -> list[Any]:
            return list(conn.execute(sa.text(sql)))

        for kind, table in (
            ("tasks_created", "tasks"),
            ("updates_created", "progress_updates"),
            ("evidence_created", "evidence"),
        ):
            stored = {r.id: r.company_id for r in rows(f"SELECT id, company_id FROM {table}")}
            for item in told[kind]:
                if stored.get(item["id"]) != item["company"]:
                    problems.append(f"{kind}: id {item['id']} of company {item['company']} lost")
            per_company_told = Counter(i["company"] for i in told[kind])
            extra_filter = " WHERE url IS NULL" if table == "evidence" else ""
            per_company_db = Counter(
                r.company_id for r in rows(f"SELECT company_id FROM {table}{extra_filter}")
            )
            if per_company_db != per_company_told:
                diff = {
                    c: (per_company_db.get(c, 0), per_company_told.get(c, 0))
                    for c in set(per_company_db) | set(per_company_told)
                    if per_company_db.get(c, 0) != per_company_told.get(c, 0)
                }
                problems.append(f"{table}: count per company (db, told) differs: {diff}")
        status_of = {r.id: r.status for r in rows("SELECT id, status FROM tasks")}
        for item in told["tasks_approved"]:
            if status_of.get(item["id"]) != "approved":
                problems.append(f"task {item['id']} told approved, is {status_of.get(item['id'])}")
        for item in told["tasks_submitted"]:
            if status_of.get(item["id"]) not in {"submitted", "approved"}:
                problems.append(f"task {item['id']} told submitted, is {status_of.get(item['id'])}")
        update_of = {r.id: r.status for r in rows("SELECT id, status FROM progress_updates")}
        for item in told["updates_approved"]:
            if update_of.get(item["id"]) != "approved":
                problems.append(
                    f"update {item['id']} told approved, is {update_of.get(item['id'])}"
                )

        # status == last toggled history event == last toggle told, for every company
        last_event: dict[tuple[int, str], bool] = {}
        events_per_company: Counter[int] = Counter()
        for r in rows(
            "SELECT company_id, milestone, achieved FROM history_events "
            "WHERE event = 'toggled' ORDER BY id"
        ):
            last_event[(r.company_id, r.milestone)] = bool(r.achieved)
            events_per_company[r.company_id] += 1
        last_told: dict[tuple[int, str], bool] = {}
        told_per_company: Counter[int] = Counter()
        for t in told["toggles"]:
            last_told[(t["company"], t["milestone"])] = t["achieved"]
            told_per_company[t["company"]] += 1
        for r in rows("SELECT company_id, milestone, achieved FROM milestone_statuses"):
            key = (r.company_id, r.milestone)
            if bool(r.achieved) != last_event.get(key, False):
                problems.append(
                    f"status {key} = {r.achieved} but last history event says "
                    f"{last_event.get(key, False)}"
                )
            if key in last_told and bool(r.achieved) != last_told[key]:
                problems.append(
                    f"status {key} = {r.achieved} but the client was told {last_told[key]}"
                )
        if events_per_company != told_per_company:
            problems.append(
                f"toggle events per company differ from toggles told: "
                f"{dict(events_per_company - told_per_company)} extra, "
                f"{dict(told_per_company - events_per_company)} missing"
            )
    engine.dispose()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 50)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("LOAD_SECONDS", 60)))
    parser.add_argument("--companies", type=int, default=30)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with Harness(companies=args.companies, members=min(20, args.companies)) as h:
        record = h.workdir / "told.json"
        stats = run_locust(h, args.users, args.duration, record)
        told: dict[str, list[Any]] = defaultdict(list)
        if record.exists():
            told.update(json.loads(record.read_text()))
        problems = verify(h, told)
        server_errors = h.gunicorn_log().count("Traceback")
    writes = {k: len(v) for k, v in told.items()}
    result = {
        "check": "load",
        "users": args.users,
        "seconds": args.duration,
        "requests": stats["requests"],
        "failures": stats["failures"],
        "rps": stats["rps"],
        "p50_ms": stats.get("p50_ms"),
        "p99_ms": stats.get("p99_ms"),
        "writes_told": writes,
        "lost_or_wrong_writes": problems,
        "server_tracebacks": server_errors,
        "failure_samples": stats["failure_samples"],
        "elapsed_s": round(time.time() - started, 1),
        "ok": stats["requests"] > 0
        and stats["failures"] == 0
        and not problems
        and server_errors == 0,
    }
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2))
    print(
        f"load: {args.users} users x {args.duration}s: {stats['requests']} requests "
        f"({stats['rps']:.0f}/s, p50 {stats.get('p50_ms')} ms, p99 {stats.get('p99_ms')} ms), "
        f"{stats['failures']} failures, server tracebacks {server_errors}"
    )
    print(f"writes told: {writes}")
    for entry in stats["by_name"]:
        print(
            f"  {entry['name']:<32} {entry['requests']:>6} req {entry['failures']:>4} fail "
            f"p50 {entry['p50_ms']} ms p99 {entry['p99_ms']} ms"
        )
    if stats["failure_samples"]:
        print("failures:\n  " + "\n  ".join(stats["failure_samples"]))
    if problems:
        print("database check FAILED:\n  " + "\n  ".join(problems[:30]))
    else:
        print("database check: every accepted write is stored; statuses match history")
    print("LOAD", "PASSED" if result["ok"] else "FAILED")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
