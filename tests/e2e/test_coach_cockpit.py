"""The coach's cockpit in Chromium: "Needs attention" first, then the review queue, where
two items are approved at once and each item's outcome is shown."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import check_screen, sign_in


def _stalled_company(stack, name: str, coach_id: int, member_id: int) -> int:
    from milestones.services import companies
    from milestones.timeutil import utcnow

    with stack.app().app_context():
        company = companies.create_company(name, "", joined_at=utcnow() - timedelta(days=60))
        companies.assign_coach(company, coach_id)
        companies.add_member(company, member_id)
        return company.id


def test_coach_needs_attention_and_bulk_review(stack, new_page):
    coach = stack.create_user("cockpit.coach@example.test", "Quinn Coach", "coach")
    member = stack.create_user("cockpit.member@example.test", "Riley Member", "member")
    company_id = _stalled_company(stack, "Slowpoke Systems", coach["id"], member["id"])
    stack.create_company("Fresh Start", coaches=[coach["id"]])  # nothing needs attention
    api = stack.session(member["email"])
    for title in ("Pricing page live", "Pilot contract signed", "Customer interviews"):
        task = api.post(f"/api/v1/companies/{company_id}/tasks", json={"title": title})
        assert task.status_code == 201, task.text
        submitted = api.post(f"/api/v1/tasks/{task.json()['id']}/submit", json={})
        assert submitted.status_code == 200, submitted.text

    page = new_page()
    sign_in(page, coach["email"])
    page.goto("/")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Slowpoke Systems")).to_be_visible()
    expect(table.get_by_role("link", name="Fresh Start")).to_have_count(0)
    stalled = page.get_by_label("Stalled: 60 days in Value Baseline", exact=False)
    expect(stalled).to_be_visible()
    stalled.focus()
    expect(page.get_by_role("tooltip")).to_contain_text("threshold 30")
    check_screen(page, "portfolio-needs-attention", stalled, page.get_by_role("tooltip"))
    page.get_by_text("All companies", exact=True).click()
    expect(table.get_by_role("link", name="Fresh Start")).to_be_visible()

    page.goto("/approvals")
    group = page.get_by_role("region", name="Waiting at Slowpoke Systems")
    expect(group.get_by_text("3 waiting")).to_be_visible()
    expect(group.get_by_text("Riley Member · Value Baseline · waiting today").first).to_be_visible()
    group.get_by_role("checkbox", name="Select Task “Pricing page live”").check()
    group.get_by_role("checkbox", name="Select Task “Pilot contract signed”").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    check_screen(page, "approvals-queue", group.get_by_text("3 waiting"))
    page.get_by_role("button", name="Approve selected").click()
    outcome = page.get_by_role("status", name="2 of 2 reviewed")
    expect(outcome).to_be_visible()
    expect(outcome).to_contain_text("approved Pricing page live")
    expect(outcome).to_contain_text("approved Pilot contract signed")
    check_screen(page, "approvals-outcome", outcome, group.get_by_text("1 waiting"))

    tasks = api.get(f"/api/v1/companies/{company_id}/tasks", params={"status": "approved"})
    assert sorted(t["title"] for t in tasks.json()) == [
        "Pilot contract signed",
        "Pricing page live",
    ]
