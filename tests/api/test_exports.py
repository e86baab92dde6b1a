"""/exports/...: every CSV and XLSX row equals the JSON route's row (same filters, same
scope), formula injection neutralised, awkward text survives, dated attachment names."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from milestones.reporting.exports import FORMULA_STARTS, neutralise
from tests.reporting.world import build_activity

AWKWARD = 'Zoë, "Quotes" & Co\nsecond line ☕ 日本'


@pytest.fixture
def aw(factory, frozen):
    world = build_activity(factory)
    factory.company(AWKWARD, coaches=[world.cohorts.coach_a])
    return world


def read_csv(response):
    assert response.status_code == 200, response.get_data()[:300]
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_xlsx(response):
    assert response.status_code == 200, response.get_data()[:300]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    # OOXML writes control characters as _xHHHH_ (Excel reads them back); openpyxl leaves
    # them escaped in inline strings.
    return [
        {k: unescape(v) if isinstance(v, str) else v for k, v in zip(header, r, strict=True)}
        for r in rows[1:]
    ]


def as_csv(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def numbers(row):
    return {k: float(v) if NUMBER.fullmatch(v) else v for k, v in row.items()}


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def as_xlsx(value):
    if isinstance(value, list):
        return ", ".join(value) or None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return neutralise(value)
        if "T" in value:
            return moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    return value


def json_rows(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    return body["milestones"] if isinstance(body, dict) else body


CASES = [
    ("portfolio", "/portfolio?page_size=200", ""),
    ("portfolio", "/portfolio?sort=-days_in_milestone&page_size=200", "sort=-days_in_milestone"),
    ("portfolio", "/portfolio?cohort_id={c2024}&q=a", "cohort_id={c2024}&q=a"),
    ("analytics", "/analytics/milestones", ""),
    ("analytics", "/analytics/milestones?cohort_id={c2025}", "cohort_id={c2025}"),
    ("activity", "/activity?page_size=200", ""),
    ("activity", "/activity?company_id={a1}&page_size=200", "company_id={a1}"),
    ("activity", "/activity?since=2025-01-01&page_size=200", "since=2025-01-01"),
]


@pytest.mark.parametrize("who", ["admin", "coach_a", "coach_b"])
@pytest.mark.parametrize("report, json_path, query", CASES)
def test_every_row_equals_the_json_route(aw, client_for, who, report, json_path, query):
    w = aw.cohorts
    ids = {"c2024": w.c2024.id, "c2025": w.c2025.id, "a1": w.a1.id}
    client = client_for(getattr(w, who))
    expected = json_rows(client, json_path.format(**ids))
    q = "?" + query.format(**ids) if query else ""
    from_csv = read_csv(client.get(f"/exports/{report}.csv{q}"))
    from_xlsx = read_xlsx(client.get(f"/exports/{report}.xlsx{q}"))
    # Numbers compared as numbers: PostgreSQL writes the JSON of a float 30.0 as 30.
    assert [numbers(r) for r in from_csv] == [
        numbers({k: as_csv(v) for k, v in row.items()}) for row in expected
    ]
    assert from_xlsx == [{k: as_xlsx(v) for k, v in row.items()} for row in expected]
    if report != "analytics":
        assert len(expected) > 0 or who == "coach_b"


def test_scope_coach_b_sees_nothing_of_coach_a(aw, client_for):
    w = aw.cohorts
    client = client_for(w.coach_b)
    for report in ("portfolio", "activity"):
        rows = read_csv(client.get(f"/exports/{report}.csv"))
        names = {r.get("name") or r.get("company_name") for r in rows}
        assert names == {"B2"}, (report, names)
    rows = read_xlsx(client.get(f"/exports/activity.xlsx?company_id={w.a1.id}"))
    assert rows == []
    refused = client.get(f"/exports/portfolio.xlsx?company_id={w.a1.id}")  # not its filter
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"query": {"company_id": ["Unknown field."]}}
    assert read_csv(client.get(f"/exports/portfolio.csv?cohort_id={w.c2024.id}")) == []


def test_members_cannot_export(aw, client_for):
    client = client_for(aw.cohorts.member)
    for report in ("portfolio", "analytics", "activity"):
        for extension in ("csv", "xlsx"):
            r = client.get(f"/exports/{report}.{extension}")
            assert r.status_code == 403 and r.get_json()["code"] == "forbidden"


def test_attachment_with_a_dated_name(aw, client_for):
    client = client_for(aw.cohorts.admin)
    for report in ("portfolio", "analytics", "activity"):
        r = client.get(f"/exports/{report}.csv")
        assert r.headers["Content-Disposition"] == (
            f'attachment; filename="milestones-{report}-2026-01-07.csv"'
        )
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
        r = client.get(f"/exports/{report}.xlsx")
        assert r.headers["Content-Disposition"] == (
            f'attachment; filename="milestones-{report}-2026-01-07.xlsx"'
        )
        assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert int(r.headers["Content-Length"]) == len(r.get_data())


def test_awkward_text_survives_both_formats(aw, client_for):
    client = client_for(aw.cohorts.admin)
    names = [r["name"] for r in read_csv(client.get("/exports/portfolio.csv"))]
    assert AWKWARD in names
    assert AWKWARD in [r["name"] for r in read_xlsx(client.get("/exports/portfolio.xlsx"))]
    titles = {r["evidence_title"] for r in read_csv(client.get("/exports/activity.csv"))}
    assert 'Signed contract, "Acme"\nsecond line ☕' in titles


def test_xlsx_holds_real_dates_and_numbers(aw, client_for):
    rows = read_xlsx(client_for(aw.cohorts.admin).get("/exports/activity.xlsx"))
    assert rows[0]["created_at"] == datetime(2025, 2, 14)
    assert isinstance(rows[0]["id"], int) and rows[0]["achieved"] is True
    assert rows[0]["reason"] == '\'=HYPERLINK("http://evil.test")'


@pytest.mark.parametrize("lead", FORMULA_STARTS)
def test_formula_injection_is_neutralised(factory, frozen, client_for, lead):
    admin = factory.admin()
    name = f"{lead}cmd|' /C calc'!A0"
    factory.company(name)
    factory.company("Plain, safe")
    client = client_for(admin)
    assert sorted(r["name"] for r in read_csv(client.get("/exports/portfolio.csv"))) == sorted(
        ["'" + name, "Plain, safe"]
    )
    assert sorted(r["name"] for r in read_xlsx(client.get("/exports/portfolio.xlsx"))) == sorted(
        ["'" + name, "Plain, safe"]
    )


def test_neutralise_leaves_other_text_alone():
    assert [neutralise(t) for t in ("=1", "+1", "-1", "@a", "\tx", "\rx")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
    ]
    assert [neutralise(t) for t in ("a=1", " =1", "", "'=1", "1-2")] == [
        "a=1",
        " =1",
        "",
        "'=1",
        "1-2",
    ]


def test_empty_exports_keep_their_header(factory, frozen, client_for):
    client = client_for(factory.coach())
    r = client.get("/exports/activity.csv")
    assert r.get_data().decode().splitlines()[0].startswith("id,milestone,event,previous")
    assert read_xlsx(client.get("/exports/activity.xlsx")) == []
