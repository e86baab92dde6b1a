"""A member proposes a document, the coach accepts it, ticks two criteria and achieves the
milestone (Chromium, through nginx). Screenshots are taken once the data shows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_screen, sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TITLE = "Pricing model one-pager"


def test_member_proposes_coach_accepts_ticks_criteria_and_achieves(stack, new_page, tmp_path):
    coach = stack.create_user("coach.review@example.test", "Riley Reviewer", "coach")
    member = stack.create_user("member.review@example.test", "Pat Proposer", "member")
    company = stack.create_company("Northwind Farms", coaches=[coach["id"]], members=[member["id"]])
    company_url = f"/companies/{company['id']}"

    # The member proposes a document on the current milestone.
    member_page = new_page()
    sign_in(member_page, member["email"])
    expect(member_page).to_have_url(re.compile(company_url + "$"))
    expect(member_page.get_by_text("Add evidence for your coach to review")).to_be_visible()
    document = tmp_path / "pricing.pdf"
    document.write_bytes(PDF)
    member_page.get_by_label("Choose a document to upload").set_input_files(str(document))
    member_page.get_by_label("Document title").fill(TITLE)
    member_page.get_by_role("button", name="Upload document").click()
    evidence = member_page.get_by_role("list", name="Evidence", exact=True)
    expect(evidence.get_by_text(TITLE)).to_be_visible()
    expect(evidence.get_by_text("Proposed, waiting for review")).to_be_visible()
    proposals = member_page.get_by_role("list", name="Proposed evidence")
    expect(proposals.get_by_text("Waiting for review")).to_be_visible()
    expect(member_page.get_by_role("button", name=re.compile("Mark as achieved"))).to_have_count(0)
    expect(member_page.get_by_role("checkbox")).to_have_count(0)
    check_screen(
        member_page, "member-proposed-evidence", proposals.get_by_text("Waiting for review")
    )

    # The coach sees it waiting and accepts it.
    page = new_page()
    sign_in(page, coach["email"])
    page.goto(company_url)
    waiting = page.get_by_role("list", name="Proposed evidence")
    check_screen(page, "coach-proposal-waiting", waiting.get_by_text(TITLE))
    waiting.get_by_role("button", name=f"Accept evidence {TITLE}").click()
    expect(page.get_by_role("list", name="Proposed evidence")).to_have_count(0)
    evidence = page.get_by_role("list", name="Evidence", exact=True)
    expect(evidence.get_by_text(TITLE)).to_be_visible()
    expect(evidence.get_by_text("Proposed, waiting for review")).to_have_count(0)

    # Ticks two criteria.
    criteria = page.get_by_role("list", name="Criteria for Value Baseline")
    for text in ("Clear value proposition documented", "Initial pricing model defined"):
        box = criteria.get_by_role("checkbox", name=f"{text}: met")
        box.click()  # controlled: checked once the API has answered
        expect(box).to_be_checked()
    expect(criteria.get_by_text(re.compile("Met · Riley Reviewer"))).to_have_count(2)
    expect(page.get_by_text("2 of 4 met")).to_be_visible()
    check_screen(page, "coach-criteria-ticked", page.get_by_text("2 of 4 met"))

    # Achieves the milestone: the dialog lists the two criteria still unmet first.
    page.get_by_role("button", name="Mark as achieved…").click()
    dialog = page.get_by_role("dialog")
    unmet = dialog.get_by_role("list", name="Criteria not met yet")
    expect(unmet.get_by_role("listitem")).to_have_count(2)
    expect(unmet).to_contain_text("Target market identified")
    expect(unmet).to_contain_text("MVP features outlined")
    dialog.get_by_label("Reason").fill("Pricing one-pager accepted; market work continues.")
    dialog.get_by_role("button", name="Mark achieved").click()
    expect(dialog).to_be_hidden()
    track = page.get_by_role("navigation", name="Milestone track")
    expect(track.get_by_role("button", name="1. Value Baseline: Achieved")).to_be_visible()

    # History shows the proposal, the acceptance, the checks and the toggle.
    page.get_by_role("tab", name="History").click()
    for text in (
        f"Evidence “{TITLE}” proposed for Value Baseline",
        f"Evidence “{TITLE}” accepted for Value Baseline",
        "Value Baseline achieved",
    ):
        expect(page.get_by_text(text).first).to_be_visible()
    check_screen(page, "coach-history-review", page.get_by_text("Value Baseline achieved").first)

    # The member sees the proposal accepted and the milestone reached.
    member_page.reload()
    track = member_page.get_by_role("navigation", name="Milestone track")
    expect(track.get_by_role("button", name="1. Value Baseline: Achieved")).to_be_visible()
    member_page.get_by_role("button", name=re.compile("1. Value Baseline")).click()
    proposals = member_page.get_by_role("list", name="Proposed evidence")
    check_screen(
        member_page, "member-proposal-accepted", proposals.get_by_text("Accepted", exact=True)
    )
