"""What coaches, members and admins do every day, in Chromium, through nginx."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_screen, sign_in, wait_for_data

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_coach_and_member_journey(stack, new_page, tmp_path):
    coach = stack.create_user("coach.e2e@example.test", "Casey Coach", "coach")
    member = stack.create_user("member.e2e@example.test", "Morgan Member", "member")
    company = stack.create_company("Acme Robotics", coaches=[coach["id"]], members=[member["id"]])
    company_url = f"/companies/{company['id']}"
    mail_before = len(stack.smtp_messages())

    # The coach signs in, lands on the portfolio, opens the company.
    page = new_page()
    page.goto("/login")
    check_screen(page, "login", page.get_by_role("button", name="Sign in"))
    sign_in(page, coach["email"])
    page.get_by_text("All companies", exact=True).click()  # a new company needs no attention
    check_screen(page, "portfolio", page.get_by_role("table").get_by_text("Acme Robotics"))
    page.goto(company_url)
    check_screen(
        page,
        "company-coach",
        page.get_by_role("heading", name="Value Baseline"),
        page.get_by_role("navigation", name="Milestone track"),
    )

    # Uploads a document as evidence.
    document = tmp_path / "value-proposition.pdf"
    document.write_bytes(PDF)
    page.get_by_label("Choose a document to upload").set_input_files(str(document))
    page.get_by_label("Document title").fill("Value proposition one-pager")
    page.get_by_role("button", name="Upload document").click()
    expect(page.get_by_text("Value proposition one-pager").first).to_be_visible()

    # Marks the milestone achieved with a reason.
    page.get_by_role("button", name="Mark as achieved…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("Value proposition and pricing signed off.")
    dialog.get_by_role("button", name="Mark achieved").click()
    expect(dialog).to_be_hidden()
    track = page.get_by_role("navigation", name="Milestone track")
    expect(track.get_by_role("button", name="1. Value Baseline: Achieved")).to_be_visible()

    # Sees it in the history.
    page.get_by_role("tab", name="History").click()
    check_screen(page, "history", page.get_by_text("Value proposition and pricing signed off."))

    # The milestone e-mail reached the SMTP server, one message per recipient.
    received = stack.wait_for_mail(mail_before + 2)[mail_before:]
    recipients = sorted(r for mail in received for r in mail.recipients)
    assert recipients == sorted([coach["email"], member["email"]])
    for mail in received:
        assert "Acme Robotics" in mail.subject
        assert "Value Baseline" in mail.subject
        assert "Value proposition and pricing signed off." in mail.text()

    # The member sees the new status read-only, with no coach control, and posts an update.
    member_page = new_page()
    sign_in(member_page, member["email"])
    expect(member_page).to_have_url(re.compile(company_url + "$"))
    track = member_page.get_by_role("navigation", name="Milestone track")
    expect(track.get_by_role("button", name="1. Value Baseline: Achieved")).to_be_visible()
    expect(
        member_page.get_by_role("button", name=re.compile("Mark as achieved|Revert"))
    ).to_have_count(0)
    # Members propose evidence (a coach accepts it): the form says so; the toggle stays the coach's.
    check_screen(
        member_page,
        "member-portal",
        member_page.get_by_text("Add evidence for your coach to review"),
        track.get_by_role("button", name="1. Value Baseline: Achieved"),
    )
    member_page.get_by_role("tab", name="Updates").click()
    member_page.get_by_label(re.compile("Progress update for")).fill(
        "Two pilots signed this week; invoices go out Friday."
    )
    member_page.get_by_role("button", name="Post update").click()
    updates = member_page.get_by_role("list", name="Progress updates")
    expect(member_page.get_by_role("button", name=re.compile("^Approve update"))).to_have_count(0)
    check_screen(
        member_page,
        "member-updates",
        updates.get_by_text("Two pilots signed this week"),
        updates.get_by_text("Pending", exact=True),
    )

    # The coach approves it.
    page.goto(company_url)
    page.get_by_role("tab", name="Updates").click()
    page.get_by_role("button", name=re.compile("^Approve update")).first.click()
    expect(
        page.get_by_role("list", name="Progress updates").get_by_text("Approved", exact=True)
    ).to_be_visible()

    # The member sees it approved.
    member_page.reload()
    member_page.get_by_role("tab", name="Updates").click()
    expect(
        member_page.get_by_role("list", name="Progress updates").get_by_text("Approved", exact=True)
    ).to_be_visible()


def test_admin_creates_a_company_and_assigns_the_coach(stack, new_page):
    stack.create_user("admin.e2e@example.test", "Ada Admin", "admin")
    coach = stack.create_user("coach2.e2e@example.test", "Corey Coach", "coach")
    page = new_page()
    sign_in(page, "admin.e2e@example.test")
    page.goto("/admin/companies")
    # The list (companies of the other journeys) or, on a fresh stack, its empty state.
    listed = page.get_by_role("region", name="Companies", exact=True).or_(
        page.get_by_text("No companies yet")
    )
    check_screen(page, "admin-companies", listed)
    page.get_by_role("button", name="New company").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Company name").fill("Zephyr Labs")
    dialog.get_by_label("Description").fill("Wind tunnels as a service.")
    dialog.get_by_role("button", name=re.compile("Create|Save")).click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="People for Zephyr Labs").click()
    expect(page.get_by_role("heading", name=re.compile("Zephyr Labs"))).to_be_visible()
    page.get_by_label("Add to coaches").click()
    page.get_by_role("option", name=re.compile("Corey Coach")).click()
    page.get_by_role("button", name=re.compile("^(Add|Assign)")).first.click()
    assigned = page.get_by_role("list", name="Assigned coaches")
    check_screen(page, "admin-company-people", assigned.get_by_text("Corey Coach"))

    api = stack.session(coach["email"])
    names = [c["name"] for c in api.get("/api/v1/companies").json()]
    assert names == ["Zephyr Labs"]

    page.goto("/admin/users")
    check_screen(page, "admin-users", page.get_by_role("cell", name=coach["email"]))
    page.goto("/admin/outbox")
    failed = page.get_by_role("region", name="Outbox messages")
    check_screen(page, "admin-outbox", failed.or_(page.get_by_text("No failed messages")))
    page.goto("/analytics")
    counts = page.get_by_role("region", name="Company counts per milestone")
    check_screen(
        page,
        "analytics",
        counts.get_by_role("cell", name="Value Baseline"),
        page.locator(".recharts-surface").first,
    )


def test_coach_screens_and_small_screens(stack, new_page):
    coach = stack.create_user("coach3.e2e@example.test", "Cameron Coach", "coach")
    company = stack.create_company("Quartz Health", coaches=[coach["id"]])
    page = new_page()
    sign_in(page, coach["email"])
    page.goto("/approvals")
    check_screen(page, "approvals", page.get_by_text("Nothing waits for you"))
    page.goto("/analytics")
    counts = page.get_by_role("region", name="Company counts per milestone")
    check_screen(page, "analytics-coach", counts.get_by_role("cell", name="Value Baseline"))
    page.goto(f"/companies/{company['id']}")
    page.get_by_role("tab", name="Tasks").click()
    check_screen(page, "company-tasks", page.get_by_text("No tasks here"))
    page.get_by_role("tab", name="Metrics").click()
    check_screen(
        page,
        "company-metrics",
        page.get_by_role("heading", name="Value Baseline: metrics"),
        page.get_by_role("heading", name="Last 12 weeks"),
        page.locator(".recharts-surface").first,
    )
    phone = new_page(width=375, height=800)
    sign_in(phone, coach["email"])
    phone.goto(f"/companies/{company['id']}")
    wait_for_data(phone, phone.get_by_role("heading", name="Value Baseline"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"horizontal scroll at 375 px: {width}"
    check_screen(phone, "company-375px", phone.get_by_role("heading", name="Value Baseline"))
