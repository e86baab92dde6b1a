"""A statement run on the driver's cursor: for the few small statements every request runs.

SQLAlchemy's execution path (events, result metadata, row objects) costs several times
what the driver does for a one-row SELECT; for the session's user, read at every request,
that was a large share of a signed-in request. `fetch_one` compiles a Core statement once
per dialect and runs it on the session's own connection (same transaction, same pool),
converting the values with the columns' own result types (enums, UTC datetimes).
Bound values are passed as they are: use it for statements whose parameters are plain
ints and strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from milestones.extensions import db

Processor = Callable[[Any], Any] | None
# SQL text, parameter order (positional paramstyles) or None, column keys, converters
Compiled = tuple[str, tuple[str, ...] | None, list[str], list[Processor]]


class DriverStatement:
    def __init__(self, stmt: sa.Select[Any]) -> None:
        self.stmt = stmt
        self._compiled: dict[str, Compiled] = {}

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
        args: Any = params if positions is None else [params[p] for p in positions]
        cursor = raw.cursor()
        try:
            cursor.execute(sql, args)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else self._convert(names, row, processors)

    @staticmethod
    def _convert(names: list[str], row: Any, processors: list[Processor]) -> dict[str, Any]:
        return {
            name: (value if fn is None or value is None else fn(value))
            for name, value, fn in zip(names, row, processors, strict=True)
        }
