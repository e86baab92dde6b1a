"""The production topology on loopback ports, for smoke and browser tests (and by hand).

`Stack` starts, each on a free 127.0.0.1 port:
  - a fresh PostgreSQL database (created on the server at STACK_ADMIN_DATABASE_URL,
    TEST_DATABASE_URL, or postgresql+psycopg://postgres@127.0.0.1:5432/postgres; dropped
    at the end),
  - an S3 server (moto's ThreadedMotoServer, path-style, SigV4) with the bucket created,
  - an SMTP server (aiosmtpd) keeping every message it receives, in memory and as .eml
    files under `<workdir>/mail/`,
  - `milestones db upgrade`, then gunicorn with the repository's gunicorn.conf.py
    (2 workers, APP_ENV=production, random SECRET_KEY, STORAGE_BACKEND=s3, TRUST_PROXY_HOPS=1),
  - the notification worker (`milestones notifications deliver`) when the CLI has it,
  - nginx with the repository's own nginx/templates/default.conf.template, serving
    frontend/dist (or a minimal stand-in when it is not built) and proxying /api.
Everything stops on `stop()`, on leaving the `with` block, or at interpreter exit.

Python API::

    from scripts.stack import Stack

    with Stack() as s:
        s.base_url                      # http://127.0.0.1:PORT (nginx): use this
        s.api_url                       # gunicorn directly, bypassing nginx
        admin = s.create_user("a@x.test", "Ada", "admin")           # -> dict (id, email...)
        coach = s.create_user("c@x.test", "Cy", "coach")
        company = s.create_company("Acme", coaches=[coach["id"]])   # -> dict (id, name)
        api = s.session("c@x.test")    # requests.Session on base_url, signed in, CSRF header set
        api.get("/api/v1/companies").json()
        s.wait_for_mail(1)             # -> [ReceivedMail(sender, recipients, message)]
        s.smtp_messages()               # everything received so far
        s.log("gunicorn")               # a process's output, for failure messages
        s.stop_process("gunicorn")      # fault tests: the API gone, nginx still up

Users get `DEFAULT_PASSWORD` unless given one. `Stack(frontend_dist=path)` (or the
STACK_FRONTEND_DIST variable) serves another build; with neither and no frontend/dist
built, a minimal stand-in SPA is written to the work directory. `Stack(worker=False)`
leaves the notification worker out, `Stack(env={...})` adds settings for the API and the
worker, `Stack(nginx_port=8080)` fixes nginx's port. STACK_KEEP_WORKDIR=1 keeps the work
directory (logs, nginx config, received mail) after the stop, for post-mortems.

From a shell (Ctrl+C stops everything)::

    .venv/bin/python scripts/stack.py [--seed-demo] [--port 8080] [--frontend-dist DIR]
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import email
import email.policy
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NGINX_TEMPLATE = ROOT / "nginx" / "templates" / "default.conf.template"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_PASSWORD = "stack-password-123"
MULTIPART_OVERHEAD_MB = 1


def free_port() -> int:
    """A free loopback TCP port (bind to port 0 and let the kernel choose)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client_max_body_size(max_upload_mb: int) -> str:
    """nginx's limit: the API's upload limit plus room for the multipart envelope."""
    return f"{max_upload_mb + MULTIPART_OVERHEAD_MB}m"


def render_template(text: str, variables: Mapping[str, str]) -> str:
    """Substitute ${NAME} like envsubst (upper-case names only); fail on a missing one."""
    import re

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"nginx template needs ${{{name}}}")
        return variables[name]

    return re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}", replace, text)


def render_nginx_site(
    *, listen: str, api_upstream: str, spa_root: str | Path, max_upload_mb: int
) -> str:
    """The repository's nginx site config, rendered as the nginx image would render it."""
    return render_template(
        NGINX_TEMPLATE.read_text(),
        {
            "NGINX_LISTEN": listen,
            "API_UPSTREAM": api_upstream,
            "SPA_ROOT": str(spa_root),
            "CLIENT_MAX_BODY_SIZE": client_max_body_size(max_upload_mb),
        },
    )


def write_placeholder_dist(target: Path) -> Path:
    """A minimal built SPA (index.html + one hashed asset) when frontend/dist is missing."""
    (target / "assets").mkdir(parents=True, exist_ok=True)
    (target / "assets" / "index-stack000.js").write_text(
        "document.getElementById('root').textContent = 'Milestone Tracker';\n" * 40
    )
    (target / "index.html").write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Milestone Tracker</title>"
        '<script type="module" src="/assets/index-stack000.js"></script></head>'
        '<body><div id="root"></div></body></html>\n'
    )
    return target


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def text(self) -> str:
        """The text/plain body (or the only body)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return str(part.get_content()) if part is not None else ""


class _Inbox:
    """aiosmtpd handler: keeps each message in memory and writes it as an .eml file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        mail = ReceivedMail(
            str(envelope.mail_from),
            [str(r) for r in envelope.rcpt_tos],
            message,
        )
        with self.arrived:
            self.messages.append(mail)
            (self.directory / f"{len(self.messages):04d}.eml").write_bytes(raw)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class ApiSession(requests.Session):
    """requests.Session on the stack's base URL that sends the CSRF header on writes."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.csrf: str | None = None

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        url = url.decode() if isinstance(url, bytes) else url
        if url.startswith("/"):
            url = self.base_url + url
        if self.csrf and method.upper() not in {"GET", "HEAD", "OPTIONS"}:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.csrf)
            kwargs["headers"] = headers
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> requests.Response:
        response = self.post("/api/v1/auth/login", json={"email": email, "password": password})
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response


class StackError(RuntimeError):
    """A component of the stack did not start."""


class Stack:
    """PostgreSQL database, S3, SMTP, gunicorn, worker and nginx on loopback (see module doc)."""

    def __init__(
        self,
        *,
        frontend_dist: str | Path | None = None,
        admin_database_url: str | None = None,
        workdir: str | Path | None = None,
        gunicorn_workers: int = 2,
        worker: bool = True,
        nginx_port: int | None = None,
        max_upload_mb: int = 25,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.admin_database_url = (
            admin_database_url
            or os.environ.get("STACK_ADMIN_DATABASE_URL")
            or os.environ.get("TEST_DATABASE_URL")
            or DEFAULT_ADMIN_URL
        )
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="mt-stack-"))
        self.gunicorn_workers = gunicorn_workers
        self.with_worker = worker
        self.max_upload_mb = max_upload_mb
        self.extra_env = dict(env or {})
        self.nginx_port = nginx_port or free_port()
        self.gunicorn_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.nginx_port}"
        self.api_url = f"http://127.0.0.1:{self.gunicorn_port}"
        self.bucket = f"mt-stack-{uuid.uuid4().hex[:10]}"
        self.secret_key = secrets.token_urlsafe(32)
        self.frontend_dist = self._pick_dist(frontend_dist)
        self.database_url = ""
        self.s3_endpoint_url = ""
        self.smtp_port = 0
        self.env: dict[str, str] = {}
        self.worker_running = False
        self._db_name = ""
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, Path] = {}
        self._moto: Any = None
        self._smtp: Any = None
        self._inbox = _Inbox(self.workdir / "mail")
        self._app: Any = None
        self._started = False

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Stack:
        if self._started:
            return self
        self._started = True
        atexit.register(self.stop)
        try:
            (self.workdir / "mail").mkdir(parents=True, exist_ok=True)
            self.s3_endpoint_url = f"http://127.0.0.1:{free_port()}"
            self.smtp_port = free_port()
            self._start_database()
            self.env = self._process_env()
            # The slow parts overlap: migrations, gunicorn's boot, the S3 and SMTP servers.
            # Nothing reaches the database or S3 before start() returns, and start() waits
            # for the upgrade to finish and for every server to answer.
            upgrade = self._spawn("upgrade", [str(BIN / "milestones"), "db", "upgrade"])
            self._spawn(
                "gunicorn",
                [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "milestones:create_app()"],
            )
            self._start_s3()
            self._start_smtp()
            self._start_nginx()
            if upgrade.wait(timeout=300) != 0:
                raise StackError(f"`milestones db upgrade` failed:\n{self.log('upgrade')}")
            if self.with_worker and self._worker_available():
                self._spawn(
                    "worker",
                    [str(BIN / "milestones"), "notifications", "deliver", "--interval", "0.5"],
                )
                self.worker_running = True
            self._wait_http(f"{self.api_url}/api/v1/healthz", "gunicorn")
            self._wait_http(f"{self.base_url}/api/v1/readyz", "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop everything that was started (idempotent, safe after a failed start)."""
        if not self._started:
            return
        self._started = False
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        # nginx first (no new requests), then the rest together.
        if "nginx" in self._procs:
            _terminate([self._procs.pop("nginx")])
        _terminate(list(self._procs.values()))
        self._procs.clear()
        if self._app is not None:
            with contextlib.suppress(Exception), self._app.app_context():
                from milestones.extensions import db

                db.engine.dispose()
            self._app = None
        if self._smtp is not None:
            with contextlib.suppress(Exception):
                self._smtp.stop()
            self._smtp = None
        if self._moto is not None:
            with contextlib.suppress(Exception):
                self._moto.stop()
            self._moto = None
        if self._db_name:
            with contextlib.suppress(Exception):
                self._drop_database()
            self._db_name = ""
        if self._own_workdir and not os.environ.get("STACK_KEEP_WORKDIR"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ components
    def _pick_dist(self, given: str | Path | None) -> Path:
        given = given or os.environ.get("STACK_FRONTEND_DIST") or None
        if given is not None:
            return Path(given).resolve()
        built = ROOT / "frontend" / "dist"
        if (built / "index.html").is_file():
            return built
        return write_placeholder_dist(self.workdir / "dist")

    def _start_database(self) -> None:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        name = f"mt_stack_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(self.admin_database_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            raise StackError(
                f"cannot create a database on {self.admin_database_url}: {exc}"
            ) from exc
        finally:
            engine.dispose()
        self._db_name = name
        url = make_url(self.admin_database_url).set(database=name)
        self.database_url = url.render_as_string(hide_password=False)

    def _drop_database(self) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.admin_database_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self._db_name}" WITH (FORCE)'))
        finally:
            engine.dispose()

    def _start_s3(self) -> None:
        import boto3
        from botocore.config import Config
        from moto.server import ThreadedMotoServer

        # moto's server logs every request through werkzeug's logger: keep test output quiet.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        port = int(self.s3_endpoint_url.rsplit(":", 1)[1])
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._moto.start()
        client = boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="stack",
            aws_secret_access_key="stack-secret",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )
        client.create_bucket(Bucket=self.bucket)

    def _start_smtp(self) -> None:
        from aiosmtpd.controller import Controller

        # Controller(port=0) cannot report the port it got: start() chose one first.
        self._smtp = Controller(self._inbox, hostname="127.0.0.1", port=self.smtp_port)
        self._smtp.start()

    def _process_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "MAIL_", "S3_", "GUNICORN_", "STORAGE_"))
            and k not in {"DATABASE_URL", "FLASK_APP", "LOG_FORMAT", "TEST_DATABASE_URL"}
        }
        env.update(
            {
                "APP_ENV": "production",
                "SECRET_KEY": self.secret_key,
                "DATABASE_URL": self.database_url,
                "INSTANCE_PATH": str(self.workdir / "instance"),
                "STORAGE_BACKEND": "s3",
                "S3_BUCKET": self.bucket,
                "S3_ENDPOINT_URL": self.s3_endpoint_url,
                "S3_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "stack",
                "AWS_SECRET_ACCESS_KEY": "stack-secret",
                "AWS_DEFAULT_REGION": "us-east-1",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(self.smtp_port),
                "MAIL_USE_TLS": "false",
                "MAIL_DEFAULT_SENDER": "Milestone Tracker <no-reply@stack.test>",
                "PUBLIC_BASE_URL": self.base_url,
                "MAX_UPLOAD_MB": str(self.max_upload_mb),
                # nginx is the one proxy in front of gunicorn.
                "TRUST_PROXY_HOPS": "1",
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                # Loopback is plain http: a Secure cookie would never come back.
                "SESSION_COOKIE_SECURE": "false",
                "FRONTEND_DIST": str(self.frontend_dist),
                "GUNICORN_BIND": f"127.0.0.1:{self.gunicorn_port}",
                "GUNICORN_WORKERS": str(self.gunicorn_workers),
                "GUNICORN_THREADS": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def _worker_available(self) -> bool:
        from milestones.notifications.cli import notifications_cli

        return "deliver" in notifications_cli.commands

    def _start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf_dir = self.workdir / "nginx"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_dir / "temp" / sub).mkdir(parents=True, exist_ok=True)
        site = render_nginx_site(
            listen=f"127.0.0.1:{self.nginx_port}",
            api_upstream=f"127.0.0.1:{self.gunicorn_port}",
            spa_root=self.frontend_dist,
            max_upload_mb=self.max_upload_mb,
        )
        (conf_dir / "site.conf").write_text(site)
        mime = Path("/etc/nginx/mime.types")
        mime_line = (
            f"include {mime};"
            if mime.is_file()
            else "types { text/html html; application/javascript js; text/css css; "
            "image/svg+xml svg; application/json json; }"
        )
        temp = conf_dir / "temp"
        # One process (no master) running as the current user: no `user` switch needed,
        # and one pid to stop. The site config is the repository's, unchanged.
        (conf_dir / "nginx.conf").write_text(
            f"""daemon off;
master_process off;
worker_processes 1;
pid {conf_dir / "nginx.pid"};
error_log {conf_dir / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    {mime_line}
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {conf_dir / "site.conf"};
}}
"""
        )
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise StackError(f"nginx rejects the config:\n{check.stderr}")
        self._spawn("nginx", [nginx, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf")])

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        path = self.workdir / f"{name}.log"
        self._logs[name] = path
        with path.open("wb") as out:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a unit
            )
        self._procs[name] = proc
        return proc

    def _wait_http(self, url: str, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for proc_name, proc in self._procs.items():
                if proc.poll() is not None and proc_name != "upgrade":
                    raise StackError(f"{proc_name} exited early:\n{self.log(proc_name)}")
            try:
                response = requests.get(url, timeout=2)
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:200]}"
            except requests.RequestException as exc:
                last = str(exc)
            time.sleep(0.2)
        raise StackError(f"{name} not ready at {url} ({last}):\n{self.log(name)}")

    # ------------------------------------------------------------------ helpers
    def stop_process(self, name: str) -> None:
        """Stop one process (gunicorn, worker, nginx) to see how the rest copes."""
        proc = self._procs.pop(name, None)
        if proc is not None:
            _terminate([proc])
        if name == "worker":
            self.worker_running = False

    def log(self, name: str) -> str:
        """Output so far of a process: upgrade, gunicorn, worker, nginx (error log too)."""
        text = ""
        path = self._logs.get(name)
        if path and path.exists():
            text = path.read_text(errors="replace")
        if name == "nginx":
            error_log = self.workdir / "nginx" / "error.log"
            if error_log.exists():
                text += error_log.read_text(errors="replace")
        return text[-20000:]

    def smtp_messages(self) -> list[ReceivedMail]:
        """Every message the SMTP server received so far, in arrival order."""
        with self._inbox.lock:
            return list(self._inbox.messages)

    def clear_mail(self) -> None:
        with self._inbox.lock:
            self._inbox.messages.clear()

    def wait_for_mail(
        self, count: int = 1, timeout: float = 20, to: str | None = None
    ) -> list[ReceivedMail]:
        """Wait until `count` messages (to `to`, if given) arrived; return those."""

        def matching() -> list[ReceivedMail]:
            return [m for m in self._inbox.messages if to is None or to in m.recipients]

        deadline = time.monotonic() + timeout
        with self._inbox.arrived:
            while len(matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(matching())} of {count} mails after {timeout}s;"
                        f" worker log:\n{self.log('worker')}"
                    )
                self._inbox.arrived.wait(left)
            return matching()

    def app(self) -> Any:
        """An in-process Flask app on the stack's database, for direct data setup."""
        if self._app is None:
            from milestones import create_app

            self._app = create_app(
                {
                    "APP_ENV": "production",
                    "SECRET_KEY": self.secret_key,
                    "SQLALCHEMY_DATABASE_URI": self.database_url,
                    "STORAGE_BACKEND": "s3",
                    "S3_BUCKET": self.bucket,
                    "S3_ENDPOINT_URL": self.s3_endpoint_url,
                    "PUBLIC_BASE_URL": self.base_url,
                    "LOG_FORMAT": "text",
                }
            )
        return self._app

    def create_user(
        self,
        email: str,
        name: str,
        role: str,
        password: str = DEFAULT_PASSWORD,
    ) -> dict[str, Any]:
        """A user (admin, coach or member) through the same service the API uses."""
        from milestones.services import users

        with self.app().app_context():
            user = users.create_user(email=email, name=name, role=role, password=password)
            return {"id": user.id, "email": user.email, "name": user.name, "role": role}

    def create_company(
        self,
        name: str,
        description: str = "",
        *,
        coaches: Iterable[int] = (),
        members: Iterable[int] = (),
    ) -> dict[str, Any]:
        """A company with its five milestone rows, coaches assigned and members added."""
        from milestones.services import companies

        with self.app().app_context():
            company = companies.create_company(name, description)
            for user_id in coaches:
                companies.assign_coach(company, user_id)
            for user_id in members:
                companies.add_member(company, user_id)
            return {"id": company.id, "name": company.name}

    def session(self, email: str | None = None, password: str = DEFAULT_PASSWORD) -> ApiSession:
        """A requests session on nginx; signed in (CSRF header set) when `email` is given."""
        api = ApiSession(self.base_url)
        if email is not None:
            response = api.login(email, password)
            if response.status_code != 200:
                raise StackError(f"login as {email} failed: {response.status_code} {response.text}")
        return api

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run `milestones ...` against the stack (e.g. `s.cli("seed", "demo")`)."""
        return subprocess.run(
            [str(BIN / "milestones"), *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )


def _terminate(procs: list[subprocess.Popen[bytes]], grace: float = 10) -> None:
    """SIGTERM the process groups we started, then SIGKILL those that linger."""
    running = [proc for proc in procs if proc.poll() is None]
    for proc in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in running:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@contextlib.contextmanager
def running_stack(**kwargs: Any) -> Iterator[Stack]:
    """`with running_stack() as s:` — the same as `with Stack(**kwargs) as s:`."""
    with Stack(**kwargs) as stack:
        yield stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the production topology on loopback.")
    parser.add_argument("--port", type=int, default=None, help="nginx port (default: free)")
    parser.add_argument("--frontend-dist", default=None, help="built SPA to serve")
    parser.add_argument("--seed-demo", action="store_true", help="run `milestones seed demo`")
    parser.add_argument("--no-worker", action="store_true", help="no notification worker")
    args = parser.parse_args(argv)

    stack = Stack(nginx_port=args.port, frontend_dist=args.frontend_dist, worker=not args.no_worker)
    stopping = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with stack:
        if args.seed_demo:
            seeded = stack.cli("seed", "demo")
            print(seeded.stdout or seeded.stderr)
        print(f"Milestone Tracker (production topology) at {stack.base_url}")
        print(f"  gunicorn  {stack.api_url}   database {stack.database_url}")
        print(f"  S3        {stack.s3_endpoint_url} bucket {stack.bucket}")
        print(f"  SMTP      127.0.0.1:{stack.smtp_port}  (mail saved in {stack.workdir}/mail)")
        worker_state = "running" if stack.worker_running else "off"
        print(f"  worker    {worker_state} (log: {stack.workdir}/worker.log)")
        print("Ctrl+C stops everything.", flush=True)
        while not stopping.wait(1):
            pass
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
