"""Stakeholder frequency and the weekly stakeholder digest; unsubscribing cancels what
is still queued. Hand-worked under a frozen clock: digests on Mondays at 08:00 UTC."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from milestones.extensions import db
from milestones.models import (
    Company,
    OutboxMessage,
    OutboxPayload,
    OutboxStatus,
    Stakeholder,
    StakeholderFrequency,
    User,
)
from milestones.notifications import digests, stakeholder_digests, stakeholders, tokens, worker
from milestones.services import evidence as evidence_service
from milestones.services import milestones as milestones_service
from milestones.sharing import links
from tests.factories import Factory
from tests.fixtures.mail import in_app_context

MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # ISO week 2026-W11, the digest hour
WEEK = "2026-W11"


def due(**kw: Any) -> int | None:
    """How many stakeholder digests send_due() queued now (None: not due)."""
    result = digests.send_due(**kw)
    return result.queued.get(stakeholder_digests.KIND) if result.due else None


def toggle(company: Company, coach: User, key: str, achieved: bool, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        if achieved:
            evidence_service.add_evidence(
                company,
                key,
                {"evidence_type": "link", "title": "Proof", "url": "https://example.com/p"},
                coach,
            )
        company = db.session.get(Company, company.id)  # type: ignore[assignment]
        milestones_service.toggle(company, key, achieved, coach, reason="why")


def follow(company: Company, email: str, frequency: str = "weekly") -> Stakeholder:
    row = Stakeholder(company_id=company.id, email=email, frequency=StakeholderFrequency(frequency))
    db.session.add(row)
    db.session.commit()
    return row


def rows(kind: str | None = None) -> list[tuple[str, str, str]]:
    """(recipient, kind, status) of every outbox row."""
    db.session.expire_all()
    stmt = (
        sa.select(OutboxMessage.recipient, OutboxPayload.kind, OutboxMessage.status)
        .join(OutboxPayload, OutboxPayload.id == OutboxMessage.payload_id)
        .order_by(OutboxMessage.recipient, OutboxMessage.id)
    )
    if kind:
        stmt = stmt.where(OutboxPayload.kind == kind)
    found = [(r, k, str(s)) for r, k, s in db.session.execute(stmt).all()]
    db.session.rollback()
    return found


def digest_of(email: str) -> OutboxPayload:
    payload = db.session.scalar(
        sa.select(OutboxPayload)
        .join(OutboxMessage, OutboxMessage.payload_id == OutboxPayload.id)
        .where(OutboxPayload.kind == stakeholder_digests.KIND, OutboxMessage.recipient == email)
    )
    assert payload is not None
    return payload


@pytest.fixture
def programme(factory: Factory) -> dict[str, Any]:
    coach = factory.coach(name="Coach Carter", email="carter@coach.test")
    with time_machine.travel(MONDAY - timedelta(days=60), tick=False):
        alpha = factory.company("Alpha", coaches=[coach])
        beta = factory.company("Beta", coaches=[coach])
        calm = factory.company("Calm", coaches=[coach])
        echo = factory.company("Echo", coaches=[coach])
    for company in (alpha, beta, calm):
        follow(company, "ivy@fund.test")  # weekly for three companies...
    follow(echo, "ivy@fund.test", "immediate")  # ...and immediate for a fourth
    follow(alpha, "olga@fund.test", "immediate")
    follow(calm, "quiet@fund.test")  # weekly, but Calm does not change this week
    follow(alpha, "carter@coach.test")  # the coach's own address: gets the people's mail
    toggle(alpha, coach, "value_baseline", True, MONDAY - timedelta(days=5))
    toggle(beta, coach, "value_baseline", True, MONDAY - timedelta(days=3))
    toggle(beta, coach, "value_baseline", False, MONDAY - timedelta(days=2))
    toggle(echo, coach, "value_baseline", True, MONDAY - timedelta(days=1))
    toggle(calm, coach, "value_baseline", True, MONDAY - timedelta(days=8))  # last week
    return {"coach": coach, "alpha": alpha, "beta": beta, "calm": calm, "echo": echo}


def test_immediate_stakeholders_unchanged_weekly_ones_wait(programme: dict[str, Any]) -> None:
    mails = rows("milestone_changed.stakeholder")
    assert mails == [
        ("ivy@fund.test", "milestone_changed.stakeholder", "pending"),  # Echo, immediate
        ("olga@fund.test", "milestone_changed.stakeholder", "pending"),  # Alpha
    ]
    assert rows(stakeholder_digests.KIND) == []


def test_one_digest_per_address_over_its_weekly_companies(programme: dict[str, Any]) -> None:
    with time_machine.travel(MONDAY - timedelta(minutes=1), tick=False):
        assert due() is None  # not yet: Monday 08:00
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        assert due() == 1
    assert rows(stakeholder_digests.KIND) == [
        ("ivy@fund.test", stakeholder_digests.KIND, "pending")
    ]  # not quiet@ (Calm changed last week), not the coach (a person of Alpha)
    payload = digest_of("ivy@fund.test")
    assert payload.subject == "Milestones this week: Alpha, Beta"
    assert payload.company_id is None  # covers two companies
    text = payload.body_text
    assert "== Alpha ==\n- Value Baseline reached on 04 Mar 2026, 08:00 UTC" in text
    assert (
        "== Beta ==\n- Value Baseline reached on 06 Mar 2026, 08:00 UTC\n"
        "- Value Baseline reverted on 07 Mar 2026, 08:00 UTC" in text
    )
    assert "Calm" not in text and "Echo" not in text
    alpha_track = text.split("== Alpha ==")[1].split("== Beta ==")[0]
    assert "[x] Value Baseline" in alpha_track
    assert "[>] First Customer (current)" in alpha_track
    assert "[ ] $1M ARR" in alpha_track
    beta_track = text.split("== Beta ==")[1]
    assert "[>] Value Baseline (current)" in beta_track
    assert "/companies/" not in text and "/companies/" not in (payload.body_html or "")
    # each company its own unsubscribe link, for this address
    links_found = re.findall(r"Stop following (\w+): http://app.test/unsubscribe/(\S+)", text)
    assert [name for name, _ in links_found] == ["Alpha", "Beta"]
    alpha, beta = programme["alpha"], programme["beta"]
    assert [tokens.read_unsubscribe_token(t) for _, t in links_found] == [
        (alpha.id, "ivy@fund.test"),
        (beta.id, "ivy@fund.test"),
    ]
    header = payload.headers["List-Unsubscribe"]
    token = re.fullmatch(r"<http://app.test/api/v1/unsubscribe/(\S+)>", header)
    assert token and tokens.read_weekly_unsubscribe_token(token[1]) == "ivy@fund.test"
    assert payload.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = payload.body_html or ""
    assert "<table" in html and "current" in html and "Stop following Alpha" in html


def test_the_share_page_is_linked_when_there_is_one(
    programme: dict[str, Any], factory: Factory
) -> None:
    alpha = programme["alpha"]
    link = links.create_link(alpha.id, programme["coach"], {"for_stakeholders": True})
    page = f"http://app.test/shared/{link.token}"  # type: ignore[attr-defined]
    toggle(alpha, programme["coach"], "first_customer", True, MONDAY - timedelta(hours=1))
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        digests.send_due()
    text = digest_of("ivy@fund.test").body_text
    assert f"See Alpha: {page}" in text
    assert "See Beta" not in text
    immediate = db.session.scalars(
        sa.select(OutboxPayload)
        .where(OutboxPayload.kind == "milestone_changed.stakeholder")
        .order_by(OutboxPayload.id.desc())
    ).first()
    assert immediate is not None and f"See the company: {page}" in immediate.body_text
    first = db.session.scalars(
        sa.select(OutboxPayload)
        .where(OutboxPayload.kind == "milestone_changed.stakeholder")
        .order_by(OutboxPayload.id)
    ).first()
    assert first is not None and "See the company" not in first.body_text


def test_reruns_and_later_passes_send_nothing_new(programme: dict[str, Any]) -> None:
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        assert due() == 1
        assert due() == 0  # a rerun: nothing new
        assert due(force=True) == 0  # the CLI again
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        assert due() == 0
    assert len(rows(stakeholder_digests.KIND)) == 1


def test_nothing_when_nothing_changed(factory: Factory) -> None:
    coach = factory.coach()
    company = factory.company("Still", coaches=[coach])
    follow(company, "ivy@fund.test")
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        assert due() == 0
    assert rows() == []


def test_force_runs_before_the_digest_hour(programme: dict[str, Any]) -> None:
    with time_machine.travel(MONDAY - timedelta(hours=3), tick=False):
        assert due(force=True) == 1


def test_digest_is_sent_with_its_headers(programme: dict[str, Any], app: Flask) -> None:
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        digests.send_due()
    message = db.session.scalars(
        sa.select(OutboxMessage)
        .join(OutboxPayload, OutboxPayload.id == OutboxMessage.payload_id)
        .where(OutboxPayload.kind == stakeholder_digests.KIND)
    ).one()
    built = worker.to_message(message)
    assert built.recipients == ["ivy@fund.test"]
    assert built.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert built.extra_headers["List-Unsubscribe"].startswith("<http://app.test/api/v1/unsub")
    db.session.rollback()


@pytest.mark.postgres
def test_two_workers_racing_queue_one_digest(programme: dict[str, Any], app: Flask) -> None:
    barrier = threading.Barrier(2)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
                results.append(in_app_context(app, due))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(results) == [0, 1]
    assert len(rows(stakeholder_digests.KIND)) == 1


def test_unsubscribe_cancels_that_stakeholders_pending_mail_for_that_company(
    programme: dict[str, Any], anon: Any
) -> None:
    alpha, echo = programme["alpha"], programme["echo"]
    follow(echo, "olga@fund.test", "immediate")
    follow(alpha, "pia@fund.test", "immediate")
    toggle(alpha, programme["coach"], "first_customer", True, MONDAY)
    toggle(echo, programme["coach"], "first_customer", True, MONDAY)
    before = rows("milestone_changed.stakeholder")
    assert before.count(("olga@fund.test", "milestone_changed.stakeholder", "pending")) == 3
    token = tokens.unsubscribe_token(alpha.id, "OLGA@fund.test")
    assert anon.post(f"/unsubscribe/{token}").status_code == 204
    by_company = db.session.execute(
        sa.select(OutboxMessage.recipient, OutboxPayload.company_id, OutboxMessage.status)
        .join(OutboxPayload, OutboxPayload.id == OutboxMessage.payload_id)
        .where(OutboxPayload.kind == "milestone_changed.stakeholder")
        .order_by(OutboxMessage.id)
    ).all()
    db.session.rollback()
    olga_alpha = [s for r, c, s in by_company if r == "olga@fund.test" and c == alpha.id]
    assert olga_alpha == [OutboxStatus.CANCELLED, OutboxStatus.CANCELLED]
    others = [s for r, c, s in by_company if not (r == "olga@fund.test" and c == alpha.id)]
    assert set(others) == {OutboxStatus.PENDING} and len(others) == 4  # ivy/echo x2, olga/echo, pia
    # the worker skips them; the admin's outbox shows them as cancelled
    pending = [r for r in rows() if r[2] == "pending"]
    assert worker.deliver_until_idle().sent == len(pending)
    statuses = [status for _, _, status in rows()]
    assert statuses.count("cancelled") == 2 and statuses.count("pending") == 0


def test_digest_unsubscribe_cancels_the_pending_digest(
    programme: dict[str, Any], anon: Any
) -> None:
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        digests.send_due()
    header = digest_of("ivy@fund.test").headers["List-Unsubscribe"]
    url = header.strip("<>").replace("http://app.test/api/v1", "")
    assert anon.post(url).status_code == 204
    assert rows(stakeholder_digests.KIND) == [
        ("ivy@fund.test", stakeholder_digests.KIND, "cancelled")
    ]
    follows = db.session.execute(
        sa.select(Stakeholder.company_id, Stakeholder.subscribed, Stakeholder.frequency).where(
            Stakeholder.email == "ivy@fund.test"
        )
    ).all()
    assert {(c, bool(s)) for c, s, f in follows if f == "weekly"} == {
        (programme[n].id, False) for n in ("alpha", "beta", "calm")
    }
    assert [bool(s) for c, s, f in follows if f == "immediate"] == [True]  # Echo still


def test_a_company_unsubscribe_cancels_a_digest_only_about_it(
    programme: dict[str, Any], anon: Any
) -> None:
    alpha = programme["alpha"]
    follow(alpha, "solo@fund.test")
    with time_machine.travel(MONDAY + timedelta(seconds=5), tick=False):
        digests.send_due()
    assert digest_of("solo@fund.test").company_id == alpha.id
    token = tokens.unsubscribe_token(alpha.id, "solo@fund.test")
    assert anon.post(f"/unsubscribe/{token}").status_code == 204
    token = tokens.unsubscribe_token(alpha.id, "ivy@fund.test")
    assert anon.post(f"/unsubscribe/{token}").status_code == 204
    assert rows(stakeholder_digests.KIND) == [
        ("ivy@fund.test", stakeholder_digests.KIND, "pending"),  # Beta is still in it
        ("solo@fund.test", stakeholder_digests.KIND, "cancelled"),
    ]


def test_frequency_through_the_api(factory: Factory, client_for: Any) -> None:
    coach = factory.coach()
    member = factory.member()
    company = factory.company("Freq", coaches=[coach], members=[member])
    c = client_for(coach)
    made = c.post(
        f"/companies/{company.id}/stakeholders",
        json={"email": "w@fund.test", "frequency": "weekly"},
    )
    assert made.status_code == 201 and made.get_json()["frequency"] == "weekly"
    plain = c.post(f"/companies/{company.id}/stakeholders", json={"email": "i@fund.test"})
    assert plain.get_json()["frequency"] == "immediate"
    sid = plain.get_json()["id"]
    changed = c.patch(f"/stakeholders/{sid}", json={"frequency": "weekly", "name": "Ines"})
    assert changed.status_code == 200
    assert (changed.get_json()["frequency"], changed.get_json()["name"]) == ("weekly", "Ines")
    bad = c.patch(f"/stakeholders/{sid}", json={"frequency": "hourly"})
    assert bad.status_code == 422 and "frequency" in bad.get_json()["errors"]["json"]
    assert c.patch(f"/stakeholders/{sid}", json={"email": "x@y.test"}).status_code == 422
    assert client_for(member).patch(f"/stakeholders/{sid}", json={"name": "M"}).status_code == 403
    assert c.patch("/stakeholders/99999", json={"name": "M"}).status_code == 404


def test_cancel_pending_is_narrow(programme: dict[str, Any]) -> None:
    alpha = programme["alpha"]
    assert stakeholders.cancel_pending("nobody@fund.test", alpha.id) == 0
    db.session.rollback()


def test_the_digest_time_is_the_programme_settings(
    programme: dict[str, Any], factory: Factory
) -> None:
    from milestones.services import settings

    settings.update(factory.admin(), {"digest_weekday": 3, "digest_hour_utc": 10})
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        assert due() is None
    with time_machine.travel(MONDAY + timedelta(days=2, hours=1, minutes=59), tick=False):
        assert due() is None  # Wednesday 09:59
    with time_machine.travel(MONDAY + timedelta(days=2, hours=2), tick=False):
        assert due() == 1  # Wednesday 10:00
    # the window is the 7 days before the run: Alpha (Wed 4 Mar 08:00) fell out of it
    assert "== Alpha ==" not in digest_of("ivy@fund.test").body_text
    assert "== Beta ==" in digest_of("ivy@fund.test").body_text
