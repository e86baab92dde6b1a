"""Milestone Tracker: the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from milestones.config import load_config
from milestones.framework import MilestonesFlask

ROOT = Path(__file__).resolve().parents[2]


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    instance = os.environ.get("INSTANCE_PATH") or str(ROOT / "instance")
    app = MilestonesFlask(__name__, instance_path=instance, static_folder=None)
    app.config.update(load_config(app.instance_path, overrides))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from milestones import logs

    logs.init_app(app)

    from milestones.api import api
    from milestones.extensions import db, limiter, mail, migrate
    from milestones.services import company_stats
    from milestones.sql import rate_limits  # noqa: F401  registers database:// for the limiter

    db.init_app(app)
    company_stats.install()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    mail.init_app(app)  # MAIL_SUPPRESS_SEND is already in the config
    limiter.init_app(app)
    api.init_app(app)

    from milestones import api as api_package
    from milestones.auth import session as auth_session
    from milestones.sql import connections

    connections.init_app(app)  # no BEGIN, ROLLBACK or ping around a read
    auth_session.init_app(app)
    api_package.register(api)

    from milestones import cli, web

    web.init_app(app)
    cli.init_app(app)

    from milestones.api import response_cache

    response_cache.init_app(app)  # after the gate and every other after_request

    hops = int(app.config.get("TRUST_PROXY_HOPS") or 0)
    if hops > 0:
        # Behind nginx (and maybe a load balancer): take client address, scheme and host
        # from the last `hops` X-Forwarded-* values only; a client cannot forge the rest.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    return app
