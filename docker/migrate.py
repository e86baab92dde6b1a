"""`milestones db upgrade`, safe when several containers start at once.

Waits for the database (up to MIGRATE_WAIT_SECONDS, default 60), then runs the Alembic
upgrade while holding a PostgreSQL advisory lock, so concurrent replicas migrate one after
the other (the later ones find nothing to do).
"""

from __future__ import annotations

import os
import sys
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from milestones import create_app
from milestones.extensions import db

LOCK_KEY = 724_1001  # any constant: the id of "milestones schema migration"


def wait_for_database(deadline: float) -> None:
    while True:
        try:
            with db.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return
        except sa.exc.OperationalError as exc:
            if time.monotonic() > deadline:
                raise SystemExit(f"database not reachable: {exc.__class__.__name__}") from exc
            print("waiting for the database...", file=sys.stderr, flush=True)
            time.sleep(2)


def main() -> None:
    app = create_app()
    with app.app_context():
        wait_for_database(time.monotonic() + float(os.environ.get("MIGRATE_WAIT_SECONDS", "60")))
        if db.engine.dialect.name != "postgresql":
            upgrade()
            return
        with db.engine.connect() as lock:
            lock.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                upgrade()
            finally:
                lock.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    print("database schema is current", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
