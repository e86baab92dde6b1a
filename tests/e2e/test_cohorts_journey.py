"""Browser journey (h15, cohorts): an admin creates two cohorts, puts companies in them,
opens the cohort comparison and downloads the portfolio export of one cohort."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import check_screen, sign_in


def _company(admin, coach_id: int, name: str, days_ago: int) -> int:
    joined = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    response = admin.post("/api/v1/companies", json={"name": name, "joined_at": joined})
    assert response.status_code == 201, response.text
    company_id = response.json()["id"]
    assert admin.put(f"/api/v1/companies/{company_id}/coaches/{coach_id}").status_code == 204
    return company_id


def _achieve_value_baseline(coach, company_id: int) -> None:
    base = f"/api/v1/companies/{company_id}/milestones/value_baseline"
    evidence = {"evidence_type": "link", "title": "Pricing page", "url": "https://example.test/p"}
    assert coach.post(f"{base}/evidence", json=evidence).status_code == 201
    response = coach.put(base, json={"achieved": True, "reason": "Pricing live"})
    assert response.status_code == 200, response.text


def _put_in_cohort(page, company: str, cohort: str) -> None:
    page.get_by_role("button", name=f"Edit {company}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Cohort").click()
    page.get_by_role("option", name=cohort).click()
    dialog.get_by_role("button", name="Save company").click()
    expect(dialog).to_be_hidden()
    row = page.get_by_role("row").filter(has_text=company)
    expect(row.get_by_role("cell", name=cohort, exact=True)).to_be_visible()


def test_admin_compares_cohorts_and_downloads_the_portfolio(stack, new_page):
    stack.create_user("admin.cohorts@example.test", "Ines Admin", "admin")
    coach = stack.create_user("coach.cohorts@example.test", "Olga Coach", "coach")
    admin_api = stack.session("admin.cohorts@example.test")
    coach_api = stack.session(coach["email"])
    ids = {
        "Kestrel Robotics": _company(admin_api, coach["id"], "Kestrel Robotics", 40),
        "Lumen Foods": _company(admin_api, coach["id"], "Lumen Foods", 12),
        "Marlin Data": _company(admin_api, coach["id"], "Marlin Data", 25),
    }
    for name in ("Kestrel Robotics", "Lumen Foods", "Marlin Data"):
        _achieve_value_baseline(coach_api, ids[name])

    page = new_page()
    sign_in(page, "admin.cohorts@example.test")
    page.goto("/admin/cohorts")
    expect(page.get_by_text("No cohorts yet")).to_be_visible()
    for name, starts in (("Spring 2026", "2026-03-02"), ("Autumn 2026", "2026-09-07")):
        page.get_by_role("button", name="New cohort").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Cohort name").fill(name)
        dialog.get_by_label("Starts on").fill(starts)
        dialog.get_by_role("button", name="Save cohort").click()
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()

    page.goto("/admin/companies")
    _put_in_cohort(page, "Kestrel Robotics", "Spring 2026")
    _put_in_cohort(page, "Marlin Data", "Spring 2026")
    _put_in_cohort(page, "Lumen Foods", "Autumn 2026")
    page.goto("/admin/cohorts")
    spring = page.get_by_role("row").filter(has_text="Spring 2026")
    expect(spring.get_by_role("cell", name="2", exact=True)).to_be_visible()
    check_screen(page, "admin-cohorts", spring.get_by_role("cell", name="2", exact=True))

    page.goto("/analytics/cohorts")
    expect(page.get_by_role("heading", name="Median days to each milestone")).to_be_visible()
    figures = page.get_by_role("table")
    # Spring: 40 and 25 days (median 32.5); Autumn: 12 days.
    expect(figures.get_by_text("2 / 2 achieved · median 32.5 days")).to_be_visible()
    expect(figures.get_by_text("1 / 1 achieved · median 12 days")).to_be_visible()
    expect(page.locator(".recharts-bar-rectangle").first).to_be_visible()
    check_screen(
        page,
        "cohort-comparison",
        figures.get_by_text("2 / 2 achieved · median 32.5 days"),
        page.locator(".recharts-bar-rectangle").first,
    )

    page.goto("/")
    page.get_by_label("Cohort").click()
    page.get_by_role("option", name="Spring 2026").click()
    expect(page).to_have_url(re.compile(r"cohort=\d+"))
    expect(page.get_by_role("link", name="Kestrel Robotics")).to_be_visible()
    expect(page.get_by_role("link", name="Lumen Foods")).to_have_count(0)
    check_screen(page, "portfolio-by-cohort", page.get_by_role("link", name="Kestrel Robotics"))
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as info:
        page.get_by_role("menuitem", name="CSV (.csv)").click()
    download = info.value
    assert re.fullmatch(r"milestones-portfolio-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == ["Kestrel Robotics", "Marlin Data"]
    assert {r["current_milestone"] for r in rows} == {"first_customer"}
