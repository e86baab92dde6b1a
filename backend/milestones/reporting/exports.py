"""CSV and XLSX files of the rows a JSON route answers, written as a stream.

- CSV: UTF-8, a header row of the JSON field names, one line written per row as the rows
  come from the database; times in ISO 8601 as in the JSON.
- XLSX: XlsxWriter in constant_memory mode (each row goes to disk as soon as the next one
  starts) into a spooled temporary file, then sent in chunks; times and days as real
  spreadsheet dates (UTC).
- A text cell starting with =, +, -, @, tab or carriage return gets a leading ' so that
  no spreadsheet runs it as a formula.
Memory stays flat whatever the row count.
"""

from __future__ import annotations

import csv
import enum
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

import xlsxwriter
from flask import Response, stream_with_context
from marshmallow import Schema, fields

from milestones.timeutil import utcnow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024
IN_MEMORY_MAX = 1024 * 1024  # a spooled file moves to disk beyond this


@dataclass(frozen=True)
class Column:
    attr: str  # where the value is read in a row
    key: str  # the header: the JSON field name
    kind: str  # int, float, bool, datetime, date, list (of strings) or str


_KINDS: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.Boolean, "bool"),
    (fields.Integer, "int"),
    (fields.Float, "float"),
    (fields.DateTime, "datetime"),
    (fields.Date, "date"),
    (fields.List, "list"),
)


def columns_of(schema: Schema) -> list[Column]:
    """The columns of a flat output schema, in its order: the JSON route's fields."""

    def kind(field: fields.Field) -> str:
        return next((k for cls, k in _KINDS if isinstance(field, cls)), "str")

    return [
        Column(name, field.data_key or name, kind(field))
        for name, field in schema.dump_fields.items()
    ]


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    return neutralise(str(value))


# One converter per kind: a CSV field as the JSON would show the value.
_CSV_CELLS: dict[str, Any] = {
    "int": lambda v: "" if v is None else v,
    "float": lambda v: "" if v is None else v,
    "bool": lambda v: "" if v is None else ("true" if v else "false"),
    "datetime": lambda v: "" if v is None else v.isoformat(),
    "date": lambda v: "" if v is None else v.isoformat(),
    "list": lambda v: _list(v) or "",
    "str": lambda v: "" if v is None else _text(v),
}


def _list(value: Any) -> str | None:
    """A list of words (attention reasons) as one cell: "stalled, inactive"."""
    return neutralise(", ".join(map(str, value))) if value else None


def _getter(columns: list[Column], row: Any) -> Any:
    """A function reading the columns' values from rows shaped like `row`: by position
    for SQLAlchemy rows (as FastDump does), by key otherwise."""
    if hasattr(row, "_fields"):
        at = {name: i for i, name in enumerate(row._fields)}
        indexes = [at[c.attr] for c in columns]
        return lambda r: [r[i] for i in indexes]
    return lambda r: [r[c.attr] for c in columns]


def csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[bytes]:
    """The header, then the CSV records, each written as its row is read and sent in
    blocks of about CHUNK bytes (one socket write per block, not per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = [_CSV_CELLS[c.kind] for c in columns]

    def take() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow([c.key for c in columns])
    yield take()
    get: Any = None
    for row in rows:
        if get is None:
            get = _getter(columns, row)
        writer.writerow([cell(v) for cell, v in zip(cells, get(row), strict=True)])
        if buffer.tell() >= CHUNK:
            yield take()
    if buffer.tell():
        yield take()


def write_xlsx(columns: list[Column], rows: Iterable[Any], sheet: str, out: IO[bytes]) -> None:
    """The rows as one worksheet with a header row, into `out`."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    formats = {
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for i, column in enumerate(columns):
        width = 20 if column.kind in formats else max(10, min(40, len(column.key) + 2))
        ws.set_column(i, i, width)
        ws.write_string(0, i, column.key, bold)
    ws.freeze_panes(1, 0)
    r = 0
    get: Any = None
    kinds = [c.kind for c in columns]
    for r, row in enumerate(rows, start=1):
        if get is None:
            get = _getter(columns, row)
        for i, (kind, value) in enumerate(zip(kinds, get(row), strict=True)):
            _xlsx_cell(ws, r, i, kind, value, formats)
    ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
    book.close()


def _xlsx_cell(ws: Any, r: int, i: int, kind: str, value: Any, formats: dict[str, Any]) -> None:
    if value is None:
        return
    if kind == "datetime":
        ws.write_datetime(r, i, value.astimezone(UTC).replace(tzinfo=None), formats[kind])
    elif kind == "date":
        ws.write_datetime(r, i, datetime.combine(value, datetime.min.time()), formats[kind])
    elif kind == "bool":
        ws.write_boolean(r, i, bool(value))
    elif kind in ("int", "float"):
        ws.write_number(r, i, value)
    elif kind == "list":
        if text := _list(value):
            ws.write_string(r, i, text)
    else:
        ws.write_string(r, i, _text(value))


def filename(report: str, extension: str) -> str:
    return f"milestones-{report}-{utcnow().date().isoformat()}.{extension}"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def csv_response(report: str, columns: list[Column], rows: Iterable[Any]) -> Response:
    """Streamed: each record leaves as soon as its row is read."""
    body = stream_with_context(csv_lines(columns, rows))
    return Response(body, mimetype=CSV_TYPE, headers=_attachment(filename(report, "csv")))


def xlsx_response(report: str, columns: list[Column], rows: Iterable[Any]) -> Response:
    """The workbook is written first (a zip needs all of it), then sent in chunks."""
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_MAX)  # noqa: SIM115 (closed by chunks())
    try:
        write_xlsx(columns, rows, report, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(CHUNK):
                yield block

    headers = {**_attachment(filename(report, "xlsx")), "Content-Length": str(size)}
    return Response(chunks(), mimetype=XLSX_TYPE, headers=headers)
