"""Bulk writes for the bench seed: rows straight to the tables (COPY on PostgreSQL,
multi-row INSERTs elsewhere), never ORM objects one by one."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from milestones.extensions import db
from milestones.sql.connections import begin_now


def copy_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: stream the rows with COPY, in the session's transaction."""
    table = model.__table__
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    connection = db.session.connection()
    begin_now(connection)  # COPY goes past SQLAlchemy: open the transaction first
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        copy_rows(model, rows)
    else:
        db.session.execute(sa.insert(model.__table__), rows)


def insert_returning_ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert, ids back in the order of the rows.

    On PostgreSQL the ids are drawn from the table's sequence in one statement and the
    rows are COPied with them; elsewhere a multi-row INSERT ... RETURNING gives them."""
    if not rows:
        return []
    table = model.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(
            db.session.scalars(
                sa.text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": len(rows)},
            )
        )
        copy_rows(model, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    result = db.session.execute(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]
