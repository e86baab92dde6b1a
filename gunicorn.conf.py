"""gunicorn settings for the API (read from the working directory, or `-c gunicorn.conf.py`).

Every knob comes from the environment so the same image runs anywhere:
  GUNICORN_BIND          where to listen (default 0.0.0.0:8000)
  GUNICORN_WORKERS       worker processes (default 2 x CPUs + 1, at most 8)
  GUNICORN_THREADS       threads per worker (default 4; gthread workers when > 1)
  GUNICORN_TIMEOUT       seconds before a silent worker is restarted (default 60)
  GUNICORN_LOG_LEVEL     gunicorn's own log level (default info)
  GUNICORN_PRELOAD       load the app before forking workers (default true)
  GUNICORN_MAX_REQUESTS  requests before a worker is replaced (default 100000; 0: never)
  FORWARDED_ALLOW_IPS    proxies whose X-Forwarded-Proto gunicorn believes (default
                         loopback; "*" in docker-compose, where only nginx reaches the API)
  LOG_FORMAT             json or text; default json when APP_ENV=production, else text
In JSON, access and error lines are objects, one per line, on stdout/stderr; access lines
carry the request id nginx forwarded (and the app echoed), so they join the app's own
lines. In text (development, `make run`) a request is one line: `GET /api/v1/x 200 12 ms`.
The client address and scheme in them are the ones the app's ProxyFix settled on
(TRUST_PROXY_HOPS), since ProxyFix rewrites the WSGI environ gunicorn logs from.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

from milestones import logs


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


wsgi_app = "milestones:create_app()"
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# Longer than nginx's idle upstream keepalive, so nginx never reuses a closed connection.
keepalive = 75
# Workers are recycled now and then (with jitter so they do not all restart at once), but
# rarely: a new worker opens new database connections and prepares its statements again,
# which at 2,000 requests (a second or two under load) cost a fair share of the throughput.
max_requests = _int("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = max_requests // 10
# The app is loaded once in the master, then workers fork from it: they start at once and
# share memory. Safe because create_app() opens no connection (database engines and the S3
# client connect lazily, in each worker). GUNICORN_PRELOAD=false loads it in each worker.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in {"0", "false", "no"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
log_format = logs.log_format(os.environ)


class _JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            payload = dict(record.msg)
        else:
            payload = {"level": record.levelname, "message": record.getMessage()}
            if record.exc_info:
                payload["exc_info"] = self.formatException(record.exc_info)
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return json.dumps({"time": stamp, "logger": record.name, **payload}, default=str)


class JsonLogger(Logger):
    """gunicorn's logger with JSON lines: one object per access, one per error line (or,
    with LOG_FORMAT=text, one short line per access and gunicorn's own error lines)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if log_format == "json":
                    handler.setFormatter(_JsonLineFormatter())
                elif log is self.access_log:
                    handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        if log_format != "json":
            ms = request_time.total_seconds() * 1000
            method, path = environ.get("REQUEST_METHOD", "-"), environ.get("PATH_INFO", "-")
            line = logs.access_line(method, path, environ.get("QUERY_STRING"), status, ms)
            self.access_log.info(line)
            return
        headers = {k.lower(): v for k, v in getattr(resp, "headers", [])}
        entry = {
            "level": "INFO",
            "message": "request",
            "request_id": headers.get("x-request-id") or environ.get("HTTP_X_REQUEST_ID", "-"),
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            "scheme": environ.get("wsgi.url_scheme", "-"),
            "host": environ.get("HTTP_HOST", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(entry)
        except Exception:  # a log line must never break a response
            self.error("access log failed")


logger_class = JsonLogger
