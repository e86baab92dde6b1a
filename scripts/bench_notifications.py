"""Benchmark: toggle latency with 0 and 500 stakeholders (and with 5 webhooks), and
worker throughput.

    .venv/bin/python scripts/bench_notifications.py [--rounds 15] [--stakeholders 500]
        [--webhooks 5] [--deliver 3000] [--workers 1]

Webhooks are programme-wide, so the series are interleaved per round: the quiet company
and the crowded one with the webhooks inactive, then the crowded one with them active
(switching them is not timed; an inactive webhook gets no delivery, as none at all).

Uses a fresh database: PostgreSQL when TEST_DATABASE_URL (an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) is set, else a temporary SQLite
file; and a local aiosmtpd server on 127.0.0.1. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextvars
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

PASSWORD = "correct-horse-battery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="achieve+revert pairs per company")
    parser.add_argument("--stakeholders", type=int, default=500)
    parser.add_argument("--webhooks", type=int, default=5, help="active webhooks, third series")
    parser.add_argument("--deliver", type=int, default=3000, help="messages the worker sends")
    parser.add_argument("--workers", type=int, default=1, help="parallel workers (PostgreSQL)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from milestones.extensions import db
    from tests.conftest import ApiClient, create_database, make_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    os.environ.setdefault("INSTANCE_PATH", str(tmp / "instance"))
    url, drop = create_database(tmp)
    smtp = SmtpProcess()
    try:
        app = make_app(
            url,
            tmp,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp.port,
            MAIL_SUPPRESS_SEND=False,
            LOGIN_MAX_FAILURES=1000,
        )
        with app.app_context():
            upgrade()
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
        with app.app_context():
            quiet, crowded, coach_email = _setup(args.stakeholders)
        client = ApiClient(app.test_client())
        assert client.login(coach_email, PASSWORD).status_code == 200
        for company_id in (quiet, crowded):
            response = client.post(
                f"/companies/{company_id}/milestones/value_baseline/evidence",
                json={"evidence_type": "link", "title": "Deck", "url": "https://example.com"},
            )
            assert response.status_code == 201, response.get_json()

        with app.app_context():
            _add_webhooks(args.webhooks)
        series: list[tuple[int, bool]] = [(quiet, False), (crowded, False), (crowded, True)]
        timings: dict[tuple[int, bool], list[float]] = {key: [] for key in series}
        for _ in range(2):  # warm-up (connections, caches, templates)
            for company_id, hooks in series:
                _hooks_active(app, hooks)
                _toggle(client, company_id, True)
                _toggle(client, company_id, False)
        for _ in range(args.rounds):
            for key in series:  # interleaved: drift hits every series alike
                company_id, hooks = key
                _hooks_active(app, hooks)
                timings[key].append(_toggle(client, company_id, True))
                timings[key].append(_toggle(client, company_id, False))
        q, c, h = (timings[key] for key in series)
        print(f"toggle PUT, {len(q)} each (median / p90 / mean, ms):")
        print(f"  0 stakeholders, no webhooks:    {_fmt(q)}")
        print(f"  {args.stakeholders} stakeholders:               {_fmt(c)}")
        print(f"  {args.stakeholders} stakeholders, {args.webhooks} webhooks: {_fmt(h)}")
        ratio = statistics.median(c) / statistics.median(q)
        print(f"  median ratio, stakeholders {ratio:.2f} (target <= 1.20)")
        ratio = statistics.median(h) / statistics.median(q)
        print(f"  median ratio, stakeholders and webhooks {ratio:.2f} (target <= 1.25)")
        with app.app_context():
            from milestones.models import WebhookDelivery

            print(f"webhook deliveries queued: {db.session.query(WebhookDelivery).count()}")

        with app.app_context():
            from milestones.models import OutboxMessage

            queued = db.session.query(OutboxMessage).count()
        print(f"outbox rows queued: {queued}")
        sent, seconds = _deliver(app, min(args.deliver, queued), args.workers)
        print(
            f"worker ({args.workers} thread(s)) -> aiosmtpd (own process): {sent} messages in "
            f"{seconds:.2f} s = {sent / seconds:.0f} msg/s"
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        smtp.stop()
        drop()


class SmtpProcess:
    """aiosmtpd in its own process (a sink), as a real relay would be: the worker's figures
    are not slowed by a server sharing its interpreter."""

    def __init__(self) -> None:
        from tests.fixtures.mail import free_port

        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Sink",
                "-l",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("aiosmtpd did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _setup(stakeholders: int) -> tuple[int, int, str]:
    from milestones.extensions import db
    from milestones.models import Stakeholder
    from tests.factories import Factory

    factory = Factory(PASSWORD)
    coach = factory.coach(email="bench-coach@example.test")
    members = [factory.member() for _ in range(2)]
    quiet = factory.company("Quiet Co", coaches=[coach], members=members[:1])
    crowded = factory.company("Crowded Co", coaches=[coach], members=members[1:])
    db.session.add_all(
        Stakeholder(company_id=crowded.id, email=f"investor{i:04}@fund.test", name=f"I {i}")
        for i in range(stakeholders)
    )
    db.session.commit()
    return quiet.id, crowded.id, coach.email


def _add_webhooks(count: int) -> None:
    from milestones.extensions import db
    from milestones.models import Webhook
    from milestones.webhooks.admin import new_secret

    db.session.add_all(
        Webhook(
            url=f"https://hooks{i}.example.test/in",
            event_types=" milestone.achieved milestone.reverted evidence.added ",
            secret=new_secret(),
        )
        for i in range(count)
    )
    db.session.commit()


def _hooks_active(app: Any, active: bool) -> None:
    import sqlalchemy as sa

    from milestones.extensions import db
    from milestones.models import Webhook

    with app.app_context():
        db.session.execute(sa.update(Webhook).values(active=active))
        db.session.commit()


def _toggle(client: Any, company_id: int, achieved: bool) -> float:
    body: dict[str, Any] = {"achieved": achieved}
    if not achieved:
        body["reason"] = "benchmark revert"
    start = time.perf_counter()
    response = client.put(f"/companies/{company_id}/milestones/value_baseline", json=body)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_json()
    return elapsed * 1000


def _fmt(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"{statistics.median(values):6.1f} / {p90:6.1f} / {statistics.mean(values):6.1f}"


def _deliver(app: Any, target: int, workers: int) -> tuple[int, float]:
    from milestones.extensions import db
    from milestones.notifications import worker

    counts = [0] * workers

    def run(i: int) -> None:
        def work() -> None:
            with app.app_context():
                while counts[i] * workers < target:
                    result = worker.deliver_once(50)
                    counts[i] += result.sent
                    if result.claimed == 0:
                        break
                db.session.remove()

        contextvars.Context().run(work)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), time.perf_counter() - start


if __name__ == "__main__":
    main()
