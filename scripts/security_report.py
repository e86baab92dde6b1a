"""The security and reliability report: runs the checks (or reads their last results) and
prints ONE table: each check, what was tried, what failed.

    .venv/bin/python scripts/security_report.py                 # fast checks run now; load and
                                                                 # faults read from their last run
    .venv/bin/python scripts/security_report.py --run-slow      # also run load + safe faults
    .venv/bin/python scripts/security_report.py --no-tests      # only read saved results

Fast checks: tests/security (authorization matrix, hostile input, headers) and tests/fuzz
(schemathesis), through pytest with a JUnit report; dependency audit (pip-audit on
requirements.lock, `npm audit --omit=dev --audit-level=high` in frontend/), with the
exceptions of security/audit-exceptions.md. Slow: scripts/load/run_load.py and
scripts/faults/run_faults.py (their JSON results live in instance/security-results/).
Exit status 0 only when every check ran and passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "instance" / "security-results"
EXCEPTIONS = ROOT / "security" / "audit-exceptions.md"

Row = dict[str, str]

PYTEST_CHECKS = [
    ("authorization matrix", "tests/security/test_authz_matrix.py"),
    ("hostile input", "tests/security/test_hostile_input.py"),
    ("headers and cookies", "tests/security/test_headers.py"),
    ("fuzzing (schemathesis)", "tests/fuzz/test_schemathesis.py"),
]


def run_pytest() -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    junit = RESULTS / "pytest-security.xml"
    subprocess.run(
        [
            str(BIN / "pytest"),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            "tests/security",
            "tests/fuzz",
        ],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return junit


def pytest_rows(junit: Path) -> list[Row]:
    if not junit.exists():
        return [
            {"check": name, "tried": "not run", "failed": "no results", "result": "MISSING"}
            for name, _ in PYTEST_CHECKS
        ]
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    fuzz = (
        json.loads((RESULTS / "fuzz-calls.json").read_text())
        if (RESULTS / "fuzz-calls.json").exists()
        else {}
    )
    rows = []
    for name, path in PYTEST_CHECKS:
        module = path.removesuffix(".py").replace("/", ".")
        mine = [c for c in cases if c.get("classname", "").startswith(module)]
        failed = [c for c in mine if c.find("failure") is not None or c.find("error") is not None]
        xfailed = [
            c
            for c in mine
            if (s := c.find("skipped")) is not None
            and "xfail" in (s.get("type", "") + s.get("message", "")).lower()
        ]
        skipped = [c for c in mine if c.find("skipped") is not None and c not in xfailed]
        tried = f"{len(mine)} cases"
        if name.startswith("fuzzing") and fuzz:
            tried += f" ({fuzz['operations']} operations x 6 roles, {fuzz['requests']} requests)"
        if name.startswith("authorization"):
            ops = len(
                {
                    re.sub(r"-[a-z_]+\]$", "]", c.get("name", ""))
                    for c in mine
                    if c.get("name", "").startswith("test_matrix")
                }
            )
            tried += f" ({ops} operations x 6 callers + existence probes)"
        notes = [short(c.get("name", "")) for c in failed]
        if xfailed:
            notes.append(
                f"{len(xfailed)} known bugs (strict xfail): "
                + ", ".join(short(c.get("name", "")) for c in xfailed[:4])
            )
        if skipped:
            notes.append(f"{len(skipped)} skipped")
        rows.append(
            {
                "check": name,
                "tried": tried,
                "failed": "; ".join(notes) or "none",
                "result": "FAIL" if failed or not mine else ("PASS*" if xfailed else "PASS"),
            }
        )
    return rows


def short(name: str) -> str:
    return name.replace("test_", "").replace("/api/v1", "")[:90]


def saved_rows(run_slow: bool) -> list[Row]:
    rows: list[Row] = []
    if run_slow:
        subprocess.run([str(BIN / "python"), "scripts/load/run_load.py"], cwd=ROOT, check=False)
        subprocess.run([str(BIN / "python"), "scripts/faults/run_faults.py"], cwd=ROOT, check=False)
    load = RESULTS / "load.json"
    if load.exists():
        r = json.loads(load.read_text())
        writes = sum(r.get("writes_told", {}).values())
        failed = []
        if r["failures"]:
            failed.append(f"{r['failures']} failed requests")
        failed += r.get("lost_or_wrong_writes", [])[:3]
        if r.get("server_tracebacks"):
            failed.append(f"{r['server_tracebacks']} server tracebacks")
        rows.append(
            {
                "check": "load (locust, gunicorn + PostgreSQL)",
                "tried": f"{r['users']} users x {r['seconds']} s: {r['requests']} requests "
                f"({r['rps']:.0f}/s, p50 {r.get('p50_ms')} ms, p99 {r.get('p99_ms')} ms), "
                f"{writes} writes checked in the database",
                "failed": "; ".join(failed) or "none",
                "result": "PASS" if r["ok"] else "FAIL",
            }
        )
    else:
        rows.append(
            {
                "check": "load",
                "tried": "not run (scripts/load/run_load.py)",
                "failed": "no results",
                "result": "MISSING",
            }
        )
    faults = RESULTS / "faults.json"
    names = {"db-connections-killed", "postgres-restart", "s3-stopped", "smtp-down"}
    seen = set()
    if faults.exists():
        for r in json.loads(faults.read_text()):
            seen.add(r["check"])
            detail = ""
            if r["check"] == "postgres-restart":
                detail = (
                    f"; while down {r.get('statuses_while_down')}, recovered in "
                    f"{r.get('recovery_seconds')} s"
                )
            elif r["check"] == "db-connections-killed":
                detail = f"; answers {r.get('statuses')}"
            elif r["check"] == "s3-stopped":
                detail = f"; upload statuses {r.get('statuses')}"
            elif r["check"] == "smtp-down":
                detail = (
                    f"; toggles {r.get('statuses')}, pending with error while down "
                    f"{r.get('pending_with_error_while_down')}, received after "
                    f"{r.get('received_after')}"
                )
            rows.append(
                {
                    "check": f"fault: {r['check']}",
                    "tried": r.get("tried", "") + detail,
                    "failed": "; ".join(r.get("failed") or []) or "none",
                    "result": "FAIL" if r.get("failed") else "PASS",
                }
            )
    for name in sorted(names - seen):
        rows.append(
            {
                "check": f"fault: {name}",
                "tried": "not run (scripts/faults/run_faults.py)",
                "failed": "no results",
                "result": "MISSING",
            }
        )
    return rows


def audit_rows() -> list[Row]:
    exceptions = (
        set(
            re.findall(
                r"^\|\s*`?([A-Za-z0-9_.@/-]+)`?\s*\|\s*`?((?:GHSA|CVE|PYSEC)[^|`\s]*)",
                EXCEPTIONS.read_text(),
                re.M,
            )
        )
        if EXCEPTIONS.exists()
        else set()
    )
    excepted_ids = {vid for _, vid in exceptions}
    rows = []
    out = RESULTS / "pip-audit.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "-r",
            "requirements.lock",
            "--no-deps",
            "--disable-pip",
            "--format",
            "json",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if out.exists() and out.stat().st_size:
        deps = json.loads(out.read_text()).get("dependencies", [])
        skipped = [d for d in deps if "skip_reason" in d]
        vulns = [(d["name"], v["id"]) for d in deps for v in d.get("vulns", [])]
        open_vulns = [f"{n} {v}" for n, v in vulns if v not in excepted_ids]
        audited = len(deps) - len(skipped)
        failed = open_vulns[:]
        if skipped:
            failed.append(
                f"{len(skipped)} of {len(deps)} packages could not be audited "
                "(vulnerability service unreachable)"
            )
        rows.append(
            {
                "check": "dependencies: pip-audit",
                "tried": f"{len(deps)} pinned packages of requirements.lock, {audited} audited; "
                f"{len(vulns) - len(open_vulns)} excepted",
                "failed": "; ".join(failed) or "none",
                "result": "FAIL" if open_vulns else ("INCOMPLETE" if skipped else "PASS"),
            }
        )
    else:
        rows.append(
            {
                "check": "dependencies: pip-audit",
                "tried": "requirements.lock",
                "failed": (proc.stderr.strip().splitlines() or ["did not run"])[-1][:160],
                "result": "INCOMPLETE",
            }
        )
    frontend = ROOT / "frontend"
    if (frontend / "package-lock.json").exists():
        proc = subprocess.run(
            ["npm", "audit", "--omit=dev", "--audit-level=high", "--json"],
            cwd=frontend,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        try:
            data = json.loads(proc.stdout or "{}")
        except ValueError:
            data = {}
        if "metadata" in data:
            counts = data["metadata"].get("vulnerabilities", {})
            names = [
                n
                for n, v in data.get("vulnerabilities", {}).items()
                if v.get("severity") in {"high", "critical"}
            ]
            open_names = [n for n in names if n not in {p for p, _ in exceptions}]
            rows.append(
                {
                    "check": "dependencies: npm audit (prod, high+)",
                    "tried": f"frontend/package-lock.json: {counts}",
                    "failed": ", ".join(open_names) or "none",
                    "result": "FAIL" if open_names else "PASS",
                }
            )
        else:
            reason = data.get("message") or (proc.stderr.strip().splitlines() or ["?"])[-1]
            rows.append(
                {
                    "check": "dependencies: npm audit (prod, high+)",
                    "tried": "frontend/package-lock.json",
                    "failed": f"audit endpoint unavailable: {reason[:120]}",
                    "result": "INCOMPLETE",
                }
            )
    return rows


def print_table(rows: list[Row]) -> None:
    headers = ["check", "tried", "failed", "result"]
    widths = {h: min(70, max(len(h), *(len(r[h]) for r in rows))) for h in headers}

    def wrap(text: str, width: int) -> list[str]:
        lines, line = [], ""
        for word in text.split(" "):
            if len(line) + len(word) + 1 > width and line:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return [*lines, line]

    sep = "+" + "+".join("-" * (widths[h] + 2) for h in headers) + "+"
    print(sep)
    print("|" + "|".join(f" {h:<{widths[h]}} " for h in headers) + "|")
    print(sep.replace("-", "="))
    for r in rows:
        cells = {h: wrap(r[h], widths[h]) for h in headers}
        for i in range(max(len(c) for c in cells.values())):
            print(
                "|"
                + "|".join(
                    f" {(cells[h][i] if i < len(cells[h]) else ''):<{widths[h]}} " for h in headers
                )
                + "|"
            )
        print(sep)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--run-slow", action="store_true", help="run load and safe faults too")
    parser.add_argument("--no-tests", action="store_true", help="read saved results only")
    parser.add_argument("--no-audit", action="store_true", help="skip the dependency audit")
    args = parser.parse_args()
    os.environ.setdefault(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    junit = RESULTS / "pytest-security.xml" if args.no_tests else run_pytest()
    rows = pytest_rows(junit) + saved_rows(args.run_slow)
    if not args.no_audit:
        rows += audit_rows()
    print_table(rows)
    return 0 if all(r["result"] in {"PASS", "PASS*"} for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
