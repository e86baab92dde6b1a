"""The database the session talks to, and the end of read-only transactions."""

from __future__ import annotations

from milestones.extensions import db


def dialect_name() -> str:
    """'postgresql' or 'sqlite': the dialect of the session's connection."""
    return db.session.get_bind().dialect.name


def end_read() -> None:
    """Where a read-only request's work ends. Nothing to do any more: reads run without
    a transaction (sql/connections.py), so no ROLLBACK makes psycopg forget its prepared
    statements, and the teardown's rollback costs no round trip."""
