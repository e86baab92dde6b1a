"""The database the session talks to, and the end of read-only transactions."""

from __future__ import annotations

from milestones.extensions import db


def dialect_name() -> str:
    """'postgresql' or 'sqlite': the dialect of the session's connection."""
    return db.session.get_bind().dialect.name


def end_read() -> None:
    """End a read-only request's transaction with COMMIT instead of the teardown's
    ROLLBACK. psycopg forgets its prepared statements at every ROLLBACK, so without this
    PostgreSQL would parse and plan the large metric statements again on every request;
    after a COMMIT the pooled connection keeps them prepared. Call it last: the commit
    expires the session's objects."""
    db.session.commit()
