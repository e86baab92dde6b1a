"""A coach shares a company's page; it opens in a fresh, signed-out browser, and stops
working once revoked."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import check_screen, sign_in


def test_coach_shares_a_page_that_opens_signed_out(stack, new_page):
    coach = stack.create_user("coach.share@example.test", "Sasha Sharewell", "coach")
    company = stack.create_company(
        "Northwind Drones", "Delivery drones for rural clinics", coaches=[coach["id"]]
    )
    api = stack.session(coach["email"])
    evidence = api.post(
        f"/api/v1/companies/{company['id']}/milestones/value_baseline/evidence",
        json={
            "evidence_type": "link",
            "title": "Pricing one-pager",
            "url": "https://northwind.example/pricing",
        },
    )
    assert evidence.status_code == 201, evidence.text
    toggled = api.put(
        f"/api/v1/companies/{company['id']}/milestones/value_baseline",
        json={"achieved": True, "reason": "Sasha's private note on pricing"},
    )
    assert toggled.status_code == 200, toggled.text

    # The coach creates a link in the Share panel and copies it.
    page = new_page()
    sign_in(page, coach["email"])
    page.goto(f"/companies/{company['id']}?tab=share")
    expect(page.get_by_text("No share links yet")).to_be_visible()
    page.get_by_label("Label").fill("Board, March")
    page.get_by_role("button", name="Create link").click()
    link_box = page.get_by_role("textbox", name="Share link", exact=True)
    expect(page.get_by_text("Link created: copy it now")).to_be_visible()
    url = link_box.input_value()
    assert "/shared/" in url
    table = page.get_by_role("region", name="Share links")
    expect(table.get_by_text("Board, March")).to_be_visible()
    expect(table.get_by_text("Active")).to_be_visible()
    check_screen(page, "share-panel", table.get_by_text("Board, March"))

    # Someone without an account opens it in a fresh browser context.
    visitor = new_page()
    visitor.goto(urlsplit(url).path)
    expect(visitor.get_by_role("heading", name="Northwind Drones")).to_be_visible()
    expect(visitor.get_by_text("Delivery drones for rural clinics")).to_be_visible()
    evidence_link = visitor.get_by_role("link", name="Pricing one-pager")
    expect(evidence_link).to_have_attribute("href", "https://northwind.example/pricing")
    expect(evidence_link).to_have_attribute("rel", "noopener noreferrer")
    expect(visitor.get_by_text("Value Baseline reached")).to_be_visible()
    content = visitor.content()
    assert "Sasha" not in content and coach["email"] not in content
    assert "private note" not in content  # reasons are off for this link
    expect(visitor.get_by_role("button", name="Sign in")).to_have_count(0)
    check_screen(
        visitor, "shared-page", visitor.get_by_text("Value Baseline reached"), evidence_link
    )

    # The coach sees the view and revokes the link; the page stops working at once.
    page.reload()
    table = page.get_by_role("region", name="Share links")
    expect(table.get_by_role("cell", name="1", exact=True)).to_be_visible()
    table.get_by_role("button", name="Revoke share link Board, March").click()
    expect(table.get_by_text("Revoked")).to_be_visible()
    visitor.reload()
    check_screen(visitor, "shared-page-revoked", visitor.get_by_text("This link does not work"))
