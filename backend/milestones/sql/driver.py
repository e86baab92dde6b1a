"""A statement run on the driver's cursor: for the few small statements every request runs.

SQLAlchemy's execution path (events, result metadata, row objects) costs several times
what the driver does for a one-row SELECT; for the session's user, read at every request,
that was a large share of a signed-in request. `fetch_one` compiles a Core statement once
per dialect and runs it on the session's own connection (same transaction, same pool),
converting the values with the columns' own result types (enums, UTC datetimes).
Bound values are passed as they are: use it for statements whose parameters are plain
ints and strings.

On psycopg even its cursor costs twice what libpq does for such a statement (adapters,
placeholder conversion, its prepare bookkeeping, the cursor object), so there the
statement is prepared once per connection under its own name and run with libpq's
PQexecPrepared (which releases the GIL while it waits), its row read by the connection's
own loaders. A connection that lost the statement (DISCARD ALL, a new server process
behind a proxy) gets it prepared again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from milestones.extensions import db

Processor = Callable[[Any], Any] | None
# SQL text, parameter order (positional paramstyles) or None, column keys, converters
Compiled = tuple[str, tuple[str, ...] | None, list[str], list[Processor]]
# libpq: the statement's name, its text with $n placeholders, their order
Prepared = tuple[bytes, bytes, tuple[str, ...]]
_PREPARED = "milestones_prepared"  # in the pool's per-connection info: names prepared there
_LOADER = "milestones_loader"  # and psycopg's Transformer for that connection
_TUPLES_OK = 2  # psycopg.pq.ExecStatus
_COMMAND_OK = 1
_DUPLICATE_STATEMENT = b"42P05"
_NOT_PREPARED = b"26000"  # invalid_sql_statement_name
_SQLSTATE = ord("C")  # psycopg.pq.DiagnosticField.SQLSTATE


class DriverStatement:
    def __init__(self, stmt: sa.Select[Any]) -> None:
        self.stmt = stmt
        self._compiled: dict[str, Compiled] = {}
        self._prepared: Prepared | None = None

    def _compile(self, dialect: sa.Dialect) -> Compiled:
        if dialect.name not in self._compiled:
            compiled = self.stmt.compile(dialect=dialect)
            names = [str(c.key) for c in self.stmt.selected_columns]
            processors: list[Processor] = [
                c.type.dialect_impl(dialect).result_processor(dialect, None)
                for c in self.stmt.selected_columns
            ]
            order = compiled.positiontup if compiled.positional else None
            positions = None if order is None else tuple(order)
            self._compiled[dialect.name] = (str(compiled), positions, names, processors)
        return self._compiled[dialect.name]

    def fetch_one(self, **params: Any) -> dict[str, Any] | None:
        """The first row as a dict of column key -> value, or None; on the session's
        connection (in its transaction, if one is open)."""
        connection = db.session.connection()
        try:
            return self._run(connection.dialect, connection.connection, params)
        except connection.dialect.loaded_dbapi.Error:
            return self._again(connection, params)

    def fetch_one_pooled(self, **params: Any) -> dict[str, Any] | None:
        """The same on a connection of the pool, for a request that needs no session."""
        engine = db.engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        try:
            raw = engine.raw_connection()
        except dbapi_error:
            raw = None  # no connection at all: SQLAlchemy's own attempt below gives the 503
        if raw is not None:
            try:
                return self._run(engine.dialect, raw, params)
            except dbapi_error:
                # The other pooled connections died with this one (a restart, a failover):
                # start a fresh pool rather than retry on the next dead connection.
                raw.invalidate()
                engine.dispose()
            finally:
                raw.close()  # back to the pool
        with engine.connect() as connection:
            return self._again(connection, params)

    def _again(self, connection: sa.Connection, params: dict[str, Any]) -> dict[str, Any] | None:
        """After a driver error: the statement once more through SQLAlchemy, which raises
        its own error (a 503 for a lost database, api/base.py) and, when the connection
        died, renews the pool; or answers, on a connection that works."""
        sql, positions, names, processors = self._compile(connection.dialect)
        args = params if positions is None else tuple(params[p] for p in positions)
        row = connection.exec_driver_sql(sql, args).first()
        return None if row is None else self._convert(names, tuple(row), processors)

    def _run(self, dialect: sa.Dialect, raw: Any, params: dict[str, Any]) -> dict[str, Any] | None:
        sql, positions, names, processors = self._compile(dialect)
        if dialect.driver == "psycopg":
            return self._run_libpq(raw, params, names, processors)
        args: Any = params if positions is None else [params[p] for p in positions]
        cursor = raw.cursor()
        try:
            cursor.execute(sql, args)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else self._convert(names, row, processors)

    def _libpq_statement(self) -> Prepared:
        if self._prepared is None:
            compiled = self.stmt.compile(dialect=postgresql.dialect(paramstyle="numeric_dollar"))
            text = str(compiled).encode()
            digest = hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]
            name = f"milestones_{digest}".encode()
            self._prepared = (name, text, tuple(compiled.positiontup or ()))
        return self._prepared

    def _run_libpq(
        self, raw: Any, params: dict[str, Any], names: list[str], processors: list[Processor]
    ) -> dict[str, Any] | None:
        from psycopg import errors
        from psycopg.adapt import Transformer

        name, text, order = self._libpq_statement()
        connection = raw.driver_connection
        pgconn = connection.pgconn
        info = raw.info
        prepared: set[bytes] = info.setdefault(_PREPARED, set())
        encoding = connection.info.encoding
        args = [None if params[p] is None else str(params[p]).encode(encoding) for p in order]
        result = pgconn.exec_prepared(name, args) if name in prepared else None
        if result is None or (
            result.status != _TUPLES_OK and result.error_field(_SQLSTATE) == _NOT_PREPARED
        ):  # not prepared on this connection (yet, or any more)
            prepared.discard(name)
            made = pgconn.prepare(name, text, None)
            if made.status != _COMMAND_OK and made.error_field(_SQLSTATE) != _DUPLICATE_STATEMENT:
                raise errors.error_from_result(made, encoding=encoding)
            prepared.add(name)
            result = pgconn.exec_prepared(name, args)
        if result.status != _TUPLES_OK:
            raise errors.error_from_result(result, encoding=encoding)
        if not result.ntuples:
            return None
        loader = info.get(_LOADER)
        if loader is None:
            loader = info[_LOADER] = Transformer(connection)
        loader.set_pgresult(result)
        row = loader.load_row(0, tuple)
        loader.set_pgresult(None)
        return self._convert(names, row, processors)

    @staticmethod
    def _convert(names: list[str], row: Any, processors: list[Processor]) -> dict[str, Any]:
        return {
            name: (value if fn is None or value is None else fn(value))
            for name, value, fn in zip(names, row, processors, strict=True)
        }
