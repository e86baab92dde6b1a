"""Settings, read from the environment in one place, with defaults that run out of the box."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from milestones.logs import default_format

DEV_SECRET = "dev-secret-change-me"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable configuration."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment (and test overrides)."""
    env = os.environ.get
    app_env = env("APP_ENV", "development").lower()
    instance = Path(instance_path)
    cfg: dict[str, Any] = {
        "APP_ENV": app_env,
        "SECRET_KEY": env("SECRET_KEY") or DEV_SECRET,
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL")
        or f"sqlite:///{instance / 'milestones.sqlite3'}",
        # No liveness ping at checkout (a round trip per request): a dead connection
        # fails its first statement, answers 503, and the pool is renewed (connections.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "STORAGE_BACKEND": env("STORAGE_BACKEND", "local"),
        "STORAGE_LOCAL_PATH": env("STORAGE_LOCAL_PATH") or str(instance / "uploads"),
        "S3_BUCKET": env("S3_BUCKET", "milestones"),
        "S3_ENDPOINT_URL": env("S3_ENDPOINT_URL") or None,
        # where browsers fetch presigned downloads (default: S3_ENDPOINT_URL)
        "S3_PUBLIC_ENDPOINT_URL": env("S3_PUBLIC_ENDPOINT_URL") or None,
        "S3_REGION": env("S3_REGION", "us-east-1"),
        "MAIL_SERVER": env("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env("MAIL_USE_SSL")),
        "MAIL_USERNAME": env("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER", "Milestone Tracker <no-reply@localhost>"),
        "PUBLIC_BASE_URL": env("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAX_UPLOAD_MB": _int("MAX_UPLOAD_MB", 25),
        # api/render.py: compare each fast JSON path with the schema's dump (tests turn it on).
        "RENDER_CHECK": False,
        # Each worker keeps the last answers of the signed-in read views of
        # api/response_cache.py while their data and time range hold; 0: off.
        "RESPONSE_CACHE_BYTES": _int("RESPONSE_CACHE_BYTES", 32 * 1024 * 1024),
        "RESPONSE_CACHE_CHECK": False,
        # Each process keeps the signed-in users it read until the next commit made on
        # this host (sql/commits.py), this many seconds at most; 0: read at every request.
        "USER_CACHE_SECONDS": _int("USER_CACHE_SECONDS", 60),
        "SESSION_COOKIE_SECURE": _bool(
            env("SESSION_COOKIE_SECURE"), default=app_env == "production"
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "mt_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_WINDOW_SECONDS": _int("LOGIN_WINDOW_SECONDS", 15 * 60),
        "TRUST_PROXY_HOPS": _int("TRUST_PROXY_HOPS", 0),
        "FRONTEND_DIST": env("FRONTEND_DIST") or None,
        # Counters in the app's database, shared by every worker (sql/rate_limits.py);
        # sliding windows: a limit counts the hits of the last period, as login always did.
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_STRATEGY": env("RATELIMIT_STRATEGY", "moving-window"),
        "SHARE_RATE_LIMIT": env("SHARE_RATE_LIMIT", "60 per minute"),
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": _bool(env("WEBHOOK_ALLOW_PRIVATE_NETWORKS")),
        "WEBHOOK_TIMEOUT_SECONDS": _int("WEBHOOK_TIMEOUT_SECONDS", 10),
        "LOG_FORMAT": env("LOG_FORMAT", default_format(app_env)),
        # flask-smorest / OpenAPI
        "API_TITLE": "Milestone Tracker API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "JSON_SORT_KEYS": False,
    }
    cfg["MAX_CONTENT_LENGTH"] = None  # uploads are limited while streaming (see storage)
    cfg["MAIL_SUPPRESS_SEND"] = cfg["MAIL_SERVER"] is None
    if overrides:
        cfg.update(overrides)
    if str(cfg["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # Short statements only: PostgreSQL's JIT compiler would spend hundreds of
        # milliseconds on a statement whose row estimates look large (stale statistics).
        options = dict(cfg["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("options", "-c jit=off")
        options["connect_args"] = connect_args
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = options
    validate(cfg)
    return cfg


def validate(cfg: dict[str, Any]) -> None:
    """Fail fast on settings that cannot work."""
    if cfg["APP_ENV"] not in {"development", "testing", "production"}:
        raise ConfigError("APP_ENV must be development, testing or production")
    if cfg["APP_ENV"] == "production" and cfg["SECRET_KEY"] in {DEV_SECRET, "", None}:
        raise ConfigError("SECRET_KEY must be set to a random value in production")
    if cfg["STORAGE_BACKEND"] not in {"local", "s3"}:
        raise ConfigError("STORAGE_BACKEND must be 'local' or 's3'")
    if cfg["MAX_UPLOAD_MB"] <= 0:
        raise ConfigError("MAX_UPLOAD_MB must be positive")
