"""Fault checks against gunicorn + PostgreSQL on loopback (no app restarts at any point).

    .venv/bin/python scripts/faults/run_faults.py                       # safe checks only
    .venv/bin/python scripts/faults/run_faults.py --restart-postgres    # + the disruptive one

Checks:
- db-connections-killed (safe): while clients read and write, every server connection of
  the app's database is terminated (pg_terminate_backend), three times. Expected: no 500,
  only 200/201 or 503 (JSON, Retry-After); every write acknowledged is stored.
- postgres-restart (--restart-postgres; disruptive to everyone on the machine: run alone):
  the PostgreSQL cluster is stopped for a few seconds then started again
  (`pg_ctlcluster --skip-systemctl-redirect <version> main stop|start`), during load.
  Expected: 503 JSON (never 500) while it is down, healthz 503; the same gunicorn answers
  200 again within 20 s of the start (the pool is renewed after the first failure);
  acknowledged writes are stored.
- smtp-down: 6 coaches toggle at once while the SMTP server is down: every toggle 200, the
  worker keeps the messages pending with attempts and error; the SMTP server (aiosmtpd)
  comes up: every message is delivered exactly once.
- s3-stopped: with STORAGE_BACKEND=s3 against an S3 server (moto) on loopback: an upload
  works; the S3 server stops; uploads answer 503 JSON and store no row; the server comes
  back: its objects are exactly the attachments the database knows (nothing half-written),
  and uploads work again.
Writes instance/security-results/faults.json for scripts/security_report.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.load.harness import BIN, PASSWORD, RESULTS, Harness, admin_url, free_port


class Client:
    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.s = requests.Session()
        r = self.s.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        r.raise_for_status()
        self.s.headers["X-CSRF-Token"] = r.json()["csrf_token"]

    def get(self, path: str) -> requests.Response:
        return self.s.get(f"{self.base}/api/v1{path}", timeout=15, allow_redirects=False)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.s.post(f"{self.base}/api/v1{path}", timeout=15, **kw)


class Probe:
    """Threads that read and create tasks until stopped, recording every answer."""

    def __init__(self, h: Harness, threads: int = 6) -> None:
        self.h = h
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int, str]] = []  # time, kind, status, code
        self.acknowledged: list[tuple[int, int]] = []  # (company, task id)
        self.clients = [
            (c["id"], Client(h.base_url, c["coach"])) for c in h.people["companies"][:threads]
        ]
        self.threads = [threading.Thread(target=self.run, args=(c,)) for c in self.clients]

    def run(self, pair: tuple[int, Client]) -> None:
        company, client = pair
        n = 0
        while not self.stop.is_set():
            n += 1
            for kind in ("read", "write"):
                try:
                    if kind == "read":
                        r = client.get(f"/companies/{company}/milestones")
                    else:
                        r = client.post(f"/companies/{company}/tasks", json={"title": f"t{n}"})
                    code = ""
                    with contextlib.suppress(Exception):
                        code = r.json().get("code", "") if r.status_code >= 400 else ""
                    with self.lock:
                        self.answers.append((time.time(), kind, r.status_code, code))
                        if kind == "write" and r.status_code == 201:
                            self.acknowledged.append((company, r.json()["id"]))
                except requests.RequestException as exc:
                    with self.lock:
                        self.answers.append((time.time(), kind, 0, type(exc).__name__))
            time.sleep(0.05)

    def __enter__(self) -> Probe:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def statuses(self, since: float = 0, until: float = 1e20) -> Counter[int]:
        with self.lock:
            return Counter(s for t, _, s, _ in self.answers if since <= t <= until)

    def lost_writes(self) -> list[tuple[int, int]]:
        engine = self.h.engine()
        with engine.connect() as conn:
            stored = {
                (r.company_id, r.id)
                for r in conn.execute(sa.text("SELECT company_id, id FROM tasks"))
            }
        engine.dispose()
        return [a for a in self.acknowledged if a not in stored]


def terminate_connections(h: Harness) -> int:
    name = sa.engine.make_url(h.database_url).database
    engine = sa.create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).scalar_one()
    engine.dispose()
    return int(killed)


def check_connections_killed() -> dict[str, Any]:
    with Harness(companies=6, members=0) as h, Probe(h) as probe:
        time.sleep(2)
        killed = 0
        for _ in range(3):
            killed += terminate_connections(h)
            time.sleep(2)
        time.sleep(2)
        probe.stop.set()
        for t in probe.threads:
            t.join(30)
        statuses = probe.statuses()
        lost = probe.lost_writes()
        tracebacks = h.gunicorn_log().count("Traceback")
    bad = {s: n for s, n in statuses.items() if s not in {200, 201, 503}}
    return {
        "check": "db-connections-killed",
        "tried": f"{sum(statuses.values())} requests; {killed} server connections killed in 3 "
        "rounds",
        "statuses": dict(statuses),
        "lost_writes": lost,
        "server_tracebacks": tracebacks,
        "failed": [f"unexpected statuses {bad}"] * bool(bad)
        + [f"lost writes {lost[:5]}"] * bool(lost),
    }


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return versions[-1]


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action],
        check=True,
        capture_output=True,
    )


def check_postgres_restart(down_seconds: float) -> dict[str, Any]:
    failed: list[str] = []
    with Harness(companies=6, members=0) as h:
        anon = requests.Session()
        with Probe(h) as probe:
            time.sleep(2)
            stopped_at = time.time()
            pg_ctl("stop")
            try:
                time.sleep(1)
                health_down = anon.get(f"{h.base_url}/api/v1/healthz", timeout=15)
                time.sleep(max(0.0, down_seconds - 1))
            finally:
                started_at = time.time()
                pg_ctl("start")
            recovered_at = None
            deadline = time.time() + 30
            while time.time() < deadline:
                with contextlib.suppress(requests.RequestException):
                    if anon.get(f"{h.base_url}/api/v1/healthz", timeout=5).status_code == 200:
                        recovered_at = time.time()
                        break
                time.sleep(0.25)
            time.sleep(3)  # the probe's clients also work again
        down = probe.statuses(stopped_at + 0.5, started_at)
        after = probe.statuses((recovered_at or started_at) + 2)
        lost = probe.lost_writes()
        tracebacks = h.gunicorn_log().count("Traceback")
        down_codes = Counter(
            c for t, _, s, c in probe.answers if stopped_at < t < started_at and s == 503
        )
    if health_down.status_code != 503:
        failed.append(f"healthz while down: {health_down.status_code}")
    bad_down = {s: n for s, n in down.items() if s not in {503, 200, 201}}
    if bad_down:
        failed.append(f"while down: {bad_down} (want 503)")
    if not down.get(503):
        failed.append("no 503 seen while the database was down")
    if recovered_at is None or recovered_at - started_at > 20:
        failed.append("no recovery within 20 s of the start")
    bad_after = {s: n for s, n in after.items() if s not in {200, 201}}
    if bad_after:
        failed.append(f"after recovery: {bad_after}")
    if lost:
        failed.append(f"acknowledged writes lost: {lost[:5]}")
    return {
        "check": "postgres-restart",
        "tried": f"PostgreSQL stopped {down_seconds:.0f} s during load then started; "
        f"{sum(probe.statuses().values())} requests",
        "statuses_while_down": dict(down),
        "codes_while_down": dict(down_codes),
        "health_while_down": health_down.status_code,
        "recovery_seconds": round(recovered_at - started_at, 2) if recovered_at else None,
        "statuses_after": dict(after),
        "server_tracebacks": tracebacks,
        "failed": failed,
    }


def check_s3_stopped() -> dict[str, Any]:
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    creds = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket="faults")
    env = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "faults",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        **creds,
    }
    failed: list[str] = []
    statuses: list[int] = []
    try:
        with Harness(companies=1, members=0, env=env) as h:
            company = h.people["companies"][0]
            client = Client(h.base_url, company["coach"])

            def upload(n: int) -> requests.Response:
                return client.post(
                    f"/companies/{company['id']}/milestones/value_baseline/evidence",
                    data={"evidence_type": "document", "title": f"S3 upload {n}"},
                    files={"file": (f"f{n}.csv", b"a,b\n1,2\n" * 2000, "text/csv")},
                )

            def counts() -> tuple[int, int, set[str]]:
                engine = h.engine()
                with engine.connect() as conn:
                    ev = conn.execute(sa.text("SELECT count(*) FROM evidence")).scalar_one()
                    keys = {
                        r[0] for r in conn.execute(sa.text("SELECT storage_key FROM attachments"))
                    }
                engine.dispose()
                return ev, len(keys), keys

            first = upload(0)
            statuses.append(first.status_code)
            if first.status_code != 201:
                failed.append(f"upload with S3 up: {first.status_code} {first.text[:200]}")
            before = counts()
            server.stop()
            for n in range(1, 4):
                r = upload(n)
                statuses.append(r.status_code)
                body = (
                    r.json()
                    if r.headers.get("Content-Type", "").startswith("application/json")
                    else {}
                )
                if r.status_code != 503 or not body.get("message"):
                    failed.append(f"upload with S3 down: {r.status_code} {r.text[:200]}")
            download = (
                client.get(f"/evidence/{first.json().get('id')}/download") if first.ok else None
            )
            after = counts()
            if after[:2] != before[:2]:
                failed.append(f"rows written while S3 was down: {before[:2]} -> {after[:2]}")
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            server.start()
            objects = {o["Key"] for o in s3.list_objects_v2(Bucket="faults").get("Contents", [])}
            if objects != after[2]:
                failed.append(
                    f"objects vs rows differ: only in S3 {objects - after[2]}, "
                    f"only in db {after[2] - objects}"
                )
            again = upload(9)
            statuses.append(again.status_code)
            if again.status_code != 201:
                failed.append(f"upload after S3 came back: {again.status_code}")
            tracebacks = h.gunicorn_log().count("Traceback")
    finally:
        with contextlib.suppress(Exception):
            server.stop()
    return {
        "check": "s3-stopped",
        "tried": "1 upload up, 3 uploads with the S3 server stopped, 1 after it came back; "
        "bucket listing vs attachment rows",
        "statuses": statuses,
        "download_while_down": download.status_code if download is not None else None,
        "server_tracebacks": tracebacks,
        "failed": failed,
    }


def check_smtp_down() -> dict[str, Any]:
    """Toggles under load while the SMTP server is down: every toggle answers 200, the worker
    keeps each message pending with its error; once SMTP is back each is delivered once."""
    from aiosmtpd.controller import Controller

    port = free_port()
    env = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_USE_TLS": "false"}
    failed: list[str] = []

    class Keep:
        def __init__(self) -> None:
            self.messages: list[tuple[str, ...]] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(tuple(envelope.rcpt_tos))
            return "250 OK"

    with Harness(companies=6, members=6, env=env) as h:
        clients = [(c["id"], Client(h.base_url, c["coach"])) for c in h.people["companies"]]
        told = 0
        statuses: Counter[int] = Counter()

        def toggles(pair: tuple[int, Client]) -> None:
            nonlocal told
            company, client = pair
            for achieved in (True, False, True):
                body = {"achieved": achieved, "reason": "smtp down check"}
                r = client.s.put(
                    f"{h.base_url}/api/v1/companies/{company}/milestones/value_baseline",
                    json=body,
                    timeout=30,
                )
                statuses[r.status_code] += 1
                told += r.status_code == 200

        threads = [threading.Thread(target=toggles, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        worker_env = h.app_env()
        deliver = [
            str(BIN / "milestones"),
            "notifications",
            "deliver",
            "--once",
        ]
        first = subprocess.run(deliver, env=worker_env, capture_output=True, text=True)
        for t in threads:
            t.join(60)
        subprocess.run(deliver, env=worker_env, capture_output=True, text=True)
        engine = h.engine()
        with engine.begin() as conn:
            rows = conn.execute(
                sa.text("SELECT status, attempts, last_error FROM outbox_messages")
            ).all()
            total = len(rows)
            pending_with_error = sum(
                1 for r in rows if r.status == "pending" and r.attempts >= 1 and r.last_error
            )
            sent_while_down = sum(1 for r in rows if r.status == "sent")
            conn.execute(sa.text("UPDATE outbox_messages SET next_attempt_at = now()"))
        keep = Keep()
        controller = Controller(keep, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            for _ in range(5):
                subprocess.run(deliver, env=worker_env, capture_output=True, text=True)
                with engine.connect() as conn:
                    left = conn.execute(
                        sa.text("SELECT count(*) FROM outbox_messages WHERE status <> 'sent'")
                    ).scalar_one()
                if not left:
                    break
                with engine.begin() as conn:
                    conn.execute(sa.text("UPDATE outbox_messages SET next_attempt_at = now()"))
        finally:
            controller.stop()
        engine.dispose()
        tracebacks = h.gunicorn_log().count("Traceback")
    if statuses.get(200, 0) != sum(statuses.values()):
        failed.append(f"toggles while SMTP down: {dict(statuses)}")
    if total == 0:
        failed.append("no outbox messages written")
    if sent_while_down:
        failed.append(f"{sent_while_down} marked sent while SMTP was down")
    if pending_with_error == 0:
        failed.append("no message kept pending with its error while SMTP was down")
    if left:
        failed.append(f"{left} messages not delivered after SMTP came back")
    if len(keep.messages) != total:
        failed.append(f"{len(keep.messages)} mails received for {total} outbox messages")
    return {
        "check": "smtp-down",
        "tried": f"{sum(statuses.values())} toggles from 6 coaches at once with SMTP down, "
        f"worker passes before and after it came back; {total} messages",
        "statuses": dict(statuses),
        "first_pass": first.stdout.strip()[-200:],
        "pending_with_error_while_down": pending_with_error,
        "received_after": len(keep.messages),
        "server_tracebacks": tracebacks,
        "failed": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="also stop and start the PostgreSQL cluster (disruptive)",
    )
    parser.add_argument("--down-seconds", type=float, default=5)
    parser.add_argument(
        "--only", choices=["db-connections-killed", "postgres-restart", "s3-stopped", "smtp-down"]
    )
    args = parser.parse_args()
    checks = [
        ("db-connections-killed", check_connections_killed),
        ("s3-stopped", check_s3_stopped),
        ("smtp-down", check_smtp_down),
    ]
    if args.restart_postgres:
        checks.insert(1, ("postgres-restart", lambda: check_postgres_restart(args.down_seconds)))
    results = []
    for name, fn in checks:
        if args.only and name != args.only:
            continue
        try:
            result = fn()
        except Exception as exc:  # a check that cannot run is a failed check
            result = {"check": name, "tried": "did not run", "failed": [repr(exc)]}
        results.append(result)
        print(json.dumps(result, indent=2, default=str))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "faults.json"
    previous = json.loads(path.read_text()) if path.exists() else []
    merged = {r["check"]: r for r in previous} | {r["check"]: r for r in results}
    path.write_text(json.dumps(list(merged.values()), indent=2, default=str))
    ok = all(not r["failed"] for r in results)
    print("FAULTS", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
