"""Database round trips: a request pays for its statements and no more.

On PostgreSQL a read request used to cost four round trips around its one query: the
pool's liveness ping at checkout, psycopg's implicit BEGIN, the query, and the ROLLBACK
that ended the transaction (which also made psycopg forget its prepared statements, so
the large metric statements were parsed and planned again). Now:

- no liveness ping: a connection that died (database restarted, backend terminated)
  fails its first statement, the request answers 503 (api/base.py) and SQLAlchemy
  renews the pool, so the next request reconnects;
- the app's connections run in driver autocommit, and a transaction is opened (BEGIN)
  just before the first statement that is not a plain SELECT: a write, a row lock
  (FOR UPDATE), a savepoint, a transaction-scoped advisory lock, or a server-side
  cursor. From there on everything until the commit or rollback is one transaction,
  as before. Reads before it run without one: under READ COMMITTED each statement
  takes its own snapshot inside a transaction too, so they see the same data;
- so a read request sends its queries only: COMMIT and ROLLBACK are skipped by psycopg
  when no transaction is open (the session's rollback at teardown and the pool's reset
  on return cost nothing), and prepared statements stay across requests.

A connection given an explicit isolation level (`execution_options(isolation_level=...)`)
keeps the driver's ordinary behaviour for that use.

psycopg converts a statement's `%(name)s` placeholders to `$n` by splitting the whole
text with a regular expression, and caches the result only for texts up to 4 KB. The
company page's statements and the cockpit's are 4 to 12 KB, so every request split its
text again (a tenth of an attention page's worker time). The app's statements are the
few texts of SQLAlchemy's compiled cache, so install() lets psycopg cache them too; its
cache keeps 128 texts at most.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event

from milestones.extensions import db

_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open on the server
_READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|_xact_lock", re.I)
# A data-modifying WITH query: `name AS [[NOT] MATERIALIZED] (INSERT|UPDATE|DELETE|MERGE`
# (PostgreSQL allows them at the top level only, so a statement that starts with SELECT
# has none).
_MODIFYING = re.compile(
    r"\bAS\s*(NOT\s+)?(MATERIALIZED\s*)?\(\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.I
)


@lru_cache(maxsize=1024)
def is_plain_read(statement: str) -> bool:
    """A SELECT, or a WITH query of SELECTs, that takes no row lock and no
    transaction-scoped advisory lock. Cached: the statements are the few texts of
    SQLAlchemy's compiled cache, some of them several kilobytes long."""
    read = _READ.match(statement)
    if read is None or _LOCKING.search(statement):
        return False
    return read.group(1).upper() == "SELECT" or not _MODIFYING.search(statement)


def _autocommit_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if not dbapi_connection.autocommit and dbapi_connection.info.transaction_status == _IDLE:
        dbapi_connection.autocommit = True


def _begin_before_first_write(
    conn: sa.Connection, cursor: Any, statement: str, *_args: Any
) -> None:
    raw = cursor.connection
    if not raw.autocommit or raw.info.transaction_status != _IDLE:
        return  # an ordinary transaction, or one already opened here
    if not conn.in_transaction() or "isolation_level" in conn.get_execution_options():
        return  # the caller asked for autocommit (VACUUM, CREATE DATABASE...)
    if getattr(cursor, "name", None) or not is_plain_read(statement):
        raw.execute("BEGIN")  # a named (server-side) cursor needs a transaction too


def begin_now(connection: sa.Connection) -> None:
    """Open the transaction at once, before work on the driver's own connection that
    SQLAlchemy does not see (COPY): it then commits or rolls back with the rest."""
    raw: Any = connection.connection.driver_connection
    if getattr(raw, "autocommit", False) and raw.info.transaction_status == _IDLE:
        raw.execute("BEGIN")


CACHED_STATEMENT_LENGTH = 64 * 1024


def cache_long_statements() -> None:
    """Let psycopg cache the placeholder conversion of statements up to 64 KB."""
    from psycopg import _queries

    if _queries.MAX_CACHED_STATEMENT_LENGTH < CACHED_STATEMENT_LENGTH:
        _queries.MAX_CACHED_STATEMENT_LENGTH = CACHED_STATEMENT_LENGTH


def install(engine: sa.Engine) -> None:
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    cache_long_statements()
    event.listen(engine, "checkout", _autocommit_on_checkout)
    event.listen(engine, "before_cursor_execute", _begin_before_first_write)


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            install(engine)
