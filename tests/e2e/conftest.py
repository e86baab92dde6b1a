"""Browser journeys: Chromium (Playwright) against the production stack of scripts/stack.py
(PostgreSQL, an S3 server, an SMTP server, gunicorn, the mail worker and nginx)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from scripts.stack import DEFAULT_PASSWORD, Stack

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-results" / "screens"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    dist = ROOT / "frontend" / "dist"
    if not (dist / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run `make frontend-build` (make test does)")
    with Stack(frontend_dist=dist) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, stack: Stack) -> Iterator[Any]:
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=stack.base_url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


_axe = Axe()


def wait_for_data(page: Page, *shows: Locator) -> None:
    """Until the screen shows its data: each of `shows` visible, and no loader left (a
    spinner, a busy region, a "Loading ..." or "Checking your session ..." line)."""
    assert shows, "say what the screen shows once its data is there"
    for locator in shows:
        expect(locator).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(
        page.locator(".mantine-Loader-root, [aria-busy='true']").filter(visible=True)
    ).to_have_count(0)
    loading = page.get_by_text(re.compile(r"^(Loading|Checking your session)\b"))
    expect(loading.filter(visible=True)).to_have_count(0)


def check_screen(page: Page, name: str, *shows: Locator) -> None:
    """Save a screenshot once the screen shows its data (`shows`: what it must show, see
    wait_for_data) and fail on serious or critical axe violations."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    wait_for_data(page, *shows)
    # Judge the screen at rest: a toast still fading in has, mid-transition, the contrast
    # of its opacity, not the one people read. Endless animations (spinners) are ignored.
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity
        )"""
    )
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not bad, f"accessibility violations on {name}:\n" + "\n".join(bad)
