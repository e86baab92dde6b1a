"""A throwaway PostgreSQL database, seeded, served by gunicorn on loopback: what the load
and fault scripts run against.

    with Harness(companies=30) as h:
        h.base_url, h.database_url, h.people  # coaches[i] owns companies[i]

LOAD_KEEP_DATABASE=1 keeps the database and the work directory (gunicorn log, uploads).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load-test-password-1"
RESULTS = ROOT / "instance" / "security-results"


def admin_url() -> str:
    return (
        os.environ.get("LOAD_ADMIN_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or DEFAULT_ADMIN_URL
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Harness:
    companies: int = 30
    members: int = 20
    workers: int = 2
    threads: int = 8
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: RESULTS / f"run-{uuid.uuid4().hex[:6]}")
    people: dict[str, Any] = field(default_factory=dict)
    database_url: str = ""
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- database -------------------------------------------------------------------
    def create_database(self) -> None:
        name = f"mt_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.database_url = (
            make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
        )

    def drop_database(self) -> None:
        if not self.database_url:
            return
        name = make_url(self.database_url).database
        engine = sa.create_engine(admin_url(), isolation_level="AUTOCOMMIT")
        with contextlib.suppress(Exception), engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    def app_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "APP_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
                "DATABASE_URL": self.database_url,
                "STORAGE_BACKEND": "local",
                "STORAGE_LOCAL_PATH": str(self.workdir / "uploads"),
                "INSTANCE_PATH": str(self.workdir / "instance"),
                "SESSION_COOKIE_SECURE": "false",  # plain http on loopback
                "LOGIN_MAX_FAILURES": "1000",
                "PUBLIC_BASE_URL": "http://127.0.0.1",
                "LOG_FORMAT": "text",
            }
        )
        env.update(self.env)
        return env

    def migrate_and_seed(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = self.app_env()
        subprocess.run(
            [str(BIN / "milestones"), "db", "upgrade"], env=env, check=True, capture_output=True
        )
        os.environ.update({k: v for k, v in env.items() if k in {"INSTANCE_PATH"}})
        from milestones import create_app

        app = create_app(
            {
                "APP_ENV": "testing",
                "SECRET_KEY": "seed",
                "SQLALCHEMY_DATABASE_URI": self.database_url,
            }
        )
        with app.app_context():
            self.people = seed(self.companies, self.members)
            from milestones.extensions import db

            db.engine.dispose()

    # --- gunicorn -------------------------------------------------------------------
    def start_gunicorn(self) -> None:
        self.port = free_port()
        log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115 (kept for the process)
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--worker-class",
                "gthread",
                "--timeout",
                "60",
                "milestones:create_app()",
            ],
            env=self.app_env(),
            cwd=str(ROOT),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            url = f"{self.base_url}/api/v1/healthz"
            with contextlib.suppress(Exception), urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {self.workdir / 'gunicorn.log'}")

    def stop_gunicorn(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def gunicorn_log(self) -> str:
        path = self.workdir / "gunicorn.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> Harness:
        self.create_database()
        try:
            self.migrate_and_seed()
            self.start_gunicorn()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.stop_gunicorn()
        if not os.environ.get("LOAD_KEEP_DATABASE"):
            self.drop_database()
            shutil.rmtree(self.workdir, ignore_errors=True)  # logs, uploads of this run

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database_url)


def seed(n_companies: int, n_members: int) -> dict[str, Any]:
    """An admin; company i with coach i (its only coach), member i for the first n_members;
    one link evidence on every milestone (so any toggle forward is allowed)."""
    from datetime import timedelta

    from milestones.auth.passwords import hash_password
    from milestones.extensions import db
    from milestones.models import (
        CoachAssignment,
        Evidence,
        EvidenceType,
        Membership,
        MilestoneStatus,
        Role,
        User,
    )
    from milestones.services import companies
    from milestones.timeutil import utcnow

    hashed = hash_password(PASSWORD)
    admin = User(email="admin@load.test", name="Load Admin", role=Role.ADMIN, password_hash=hashed)
    db.session.add(admin)
    out: dict[str, Any] = {"admin": "admin@load.test", "companies": [], "password": PASSWORD}
    joined = utcnow() - timedelta(days=60)
    for i in range(n_companies):
        company = companies.create_company(f"Load Co {i:03d}", "load test", joined_at=joined)
        coach = User(
            email=f"coach{i}@load.test", name=f"Coach {i}", role=Role.COACH, password_hash=hashed
        )
        db.session.add(coach)
        db.session.flush()
        db.session.add(CoachAssignment(company_id=company.id, user_id=coach.id))
        member_email = None
        if i < n_members:
            member = User(
                email=f"member{i}@load.test",
                name=f"Member {i}",
                role=Role.MEMBER,
                password_hash=hashed,
            )
            db.session.add(member)
            db.session.flush()
            db.session.add(Membership(company_id=company.id, user_id=member.id))
            member_email = member.email
        for status in db.session.scalars(
            sa.select(MilestoneStatus).where(MilestoneStatus.company_id == company.id)
        ):
            db.session.add(
                Evidence(
                    status_id=status.id,
                    company_id=company.id,
                    milestone=status.milestone,
                    evidence_type=EvidenceType.LINK,
                    title=f"Seed evidence {status.milestone}",
                    url="https://example.test/seed",
                    created_by_id=coach.id,
                )
            )
        out["companies"].append({"id": company.id, "coach": coach.email, "member": member_email})
    db.session.commit()
    return out


if __name__ == "__main__":  # a quick manual check: start, print, wait for Ctrl+C
    with Harness(companies=3, members=3) as h:
        print(h.base_url, h.database_url, h.people, file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(1)
