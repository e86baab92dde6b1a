"""The coach's weekly digest and the digest machinery, under a frozen clock (NOW: Wednesday
2026-01-07 12:00 UTC, ISO week 2026-W02; digests due from Monday 08:00 by default)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from milestones.catalogue import MilestoneKey
from milestones.extensions import db
from milestones.models import (
    DigestSend,
    HistoryEvent,
    HistoryEventType,
    OutboxMessage,
    OutboxPayload,
    TaskStatus,
    UpdateStatus,
)
from milestones.notifications import digests
from milestones.notifications.coach_digest import KIND
from tests.fixtures.mail import body_of, in_app_context
from tests.fixtures.metrics import NOW, add_task, add_update, set_statuses

DAY = timedelta(days=1)


def _toggle_event(company, coach, milestone, achieved, when):
    db.session.add(
        HistoryEvent(
            company_id=company.id,
            milestone=MilestoneKey(milestone),
            event=HistoryEventType.TOGGLED,
            previous=not achieved,
            achieved=achieved,
            actor_id=coach.id,
            created_at=when,
        )
    )
    db.session.commit()


def _digest_mails():
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            OutboxMessage.recipient,
            OutboxPayload.subject,
            OutboxPayload.body_text,
            OutboxPayload.body_html,
        )
        .join(OutboxPayload, OutboxPayload.id == OutboxMessage.payload_id)
        .where(OutboxPayload.kind == KIND)
        .order_by(OutboxMessage.id)
    ).all()
    return rows


@pytest.fixture
def coaches(factory, frozen):
    """Ada: one stalled company (Stuck: 100 days in First Customer, no median: threshold
    30), a review waiting 3 days there, First Customer... reached at Quick 2 days ago and
    a change 8 days ago (outside the 7 days). Bea: a quiet, fresh company. Cy: like Ada
    but turned the digest off."""
    ada = factory.coach(name="Ada Coach", email="ada@coach.test")
    bea = factory.coach(name="Bea Coach", email="bea@coach.test")
    cy = factory.coach(name="Cy Coach", email="cy@coach.test")
    member = factory.member(name="Mo Member")
    stuck = factory.company("Stuck", coaches=[ada, cy], members=[member])
    set_statuses(stuck, [(NOW - 130 * DAY, NOW - 100 * DAY), (NOW - 100 * DAY, None)])
    add_update(stuck, "first_customer", UpdateStatus.PENDING, NOW - 3 * DAY, author=member)
    add_task(stuck, "first_customer", TaskStatus.SUBMITTED, NOW - DAY, author=member)
    quick = factory.company("Quick", coaches=[ada], joined_at=NOW - 20 * DAY)
    set_statuses(quick, [(NOW - 20 * DAY, NOW - 2 * DAY), (NOW - 2 * DAY, None)])
    _toggle_event(quick, ada, "value_baseline", True, NOW - 2 * DAY)
    _toggle_event(stuck, ada, "value_baseline", True, NOW - 8 * DAY)
    fresh = factory.company("Fresh", coaches=[bea], joined_at=NOW - DAY)
    set_statuses(fresh, [(NOW - DAY, None)])
    cy.weekly_digest = False
    db.session.commit()
    return ada, bea, cy


def test_week_and_due_time(app):
    week = digests.week_of(NOW)
    assert week.label == "2026-W02"
    assert week.starts_at == datetime(2026, 1, 5, tzinfo=UTC)
    assert week.due_at == datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert digests.week_of(datetime(2026, 1, 4, 23, 59, tzinfo=UTC)).label == "2026-W01"


def test_coach_digest_content(coaches):
    _ada, _bea, _cy = coaches
    result = digests.send_due(NOW)
    assert (result.week, result.due, result.queued[KIND]) == ("2026-W02", True, 1)
    [(recipient, subject, text, html)] = _digest_mails()
    assert recipient == "ada@coach.test"
    assert subject == "Your week: 1 stalled, 2 reviews waiting, 1 milestone changed"
    assert "Hello Ada Coach," in text
    assert "STALLED COMPANIES (1)\n- Stuck: 100 days in First Customer; threshold 30 days\n" in text
    assert (
        "Track: Value Baseline [reached] > First Customer [current] > X Customers [upcoming]"
        in text
    )
    assert "REVIEWS WAITING (2)" in text
    assert 'The oldest: "progress" at Stuck, waiting 3 days (since 04 Jan 2026, 12:00 UTC).' in text
    assert (
        "MILESTONES CHANGED SINCE 31 Dec 2025, 12:00 UTC\n- Quick: Value Baseline reached" in text
    )
    assert "Stuck: Value Baseline" not in text  # 8 days ago
    assert "http://app.test/portfolio?attention=true" in text
    assert "<td>First Customer</td>" in html and "<td>current</td>" in html
    assert "Quick: Value Baseline reached" in html


def test_nothing_for_an_empty_week_or_an_opted_out_coach(coaches):
    digests.send_due(NOW)
    assert [r.recipient for r in _digest_mails()] == ["ada@coach.test"]  # not Bea, not Cy


def test_rerun_sends_nothing_new_and_next_week_sends_again(coaches, time_machine):
    assert digests.send_due(NOW).total == 1
    assert digests.send_due(NOW + timedelta(hours=5)).total == 0
    assert digests.send_due(NOW, force=True).total == 0
    assert len(_digest_mails()) == 1
    keys = db.session.execute(sa.select(DigestSend.kind, DigestSend.recipient, DigestSend.iso_week))
    assert keys.all() == [(KIND, "ada@coach.test", "2026-W02")]
    later = NOW + 7 * DAY
    time_machine.move_to(later, tick=False)
    assert digests.send_due(later).queued[KIND] == 1
    assert len(_digest_mails()) == 2


def test_not_due_before_the_weekday_and_hour(coaches, factory, client_for):
    admin = client_for(factory.admin())
    assert (
        admin.patch("/settings", json={"digest_weekday": 3, "digest_hour_utc": 13}).status_code
        == 200
    )
    early = NOW  # Wednesday 12:00, due at 13:00
    result = digests.send_due(early)
    assert (result.due, result.total) == (False, 0)
    assert digests.send_due(early + timedelta(minutes=59, seconds=59)).due is False
    assert digests.send_due(early + timedelta(hours=1)).total == 1
    # --now: whatever the hour, but still once a week.
    assert digests.send_due(early, force=True).total == 0


def test_cli_send_now(coaches, app, factory, client_for):
    runner = app.test_cli_runner()
    admin = client_for(factory.admin())
    admin.patch("/settings", json={"digest_weekday": 7})  # Sunday: not due on Wednesday
    out = runner.invoke(args=["digests", "send"])
    assert out.exit_code == 0 and "2026-W02: digests not due yet" in out.output
    out = runner.invoke(args=["digests", "send", "--now"])
    assert out.exit_code == 0, out.output
    assert "2026-W02: queued coach_digest 1" in out.output
    out = runner.invoke(args=["digests", "send", "--now"])
    assert "queued coach_digest 0" in out.output
    assert len(_digest_mails()) == 1


def test_the_worker_schedule_checks_once_a_minute_and_once_a_week(coaches, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(digests.time, "monotonic", lambda: clock[0])
    schedule = digests.Schedule(every=60)
    first = schedule.tick(NOW)
    assert first is not None and first.total == 1
    assert schedule.tick(NOW) is None  # within the minute
    clock[0] += 61
    assert schedule.tick(NOW) is None  # this week is done
    assert schedule.done_week == "2026-W02"


def test_delivered_through_the_outbox(coaches, deliver, smtp):
    digests.send_due(NOW)
    deliver()
    [message] = [m for m in smtp.messages if "Your week" in str(m["Subject"])]
    assert str(message["To"]) == "ada@coach.test"
    assert "STALLED COMPANIES (1)" in body_of(message, "plain")


@pytest.mark.postgres
def test_two_workers_racing_queue_one_digest_per_coach(coaches, mail_app, factory):
    # More coaches with something to say, so the two runs overlap on many recipients.
    for i in range(6):
        member = factory.member()
        coach = factory.coach(email=f"extra{i}@coach.test")
        company = factory.company(f"Extra {i}", coaches=[coach], members=[member])
        add_update(company, "value_baseline", UpdateStatus.PENDING, NOW - DAY, author=member)
    db.session.commit()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(in_app_context(mail_app, digests.send_due, NOW))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sum(r.total for r in results) == 7
    recipients = [r.recipient for r in _digest_mails()]
    assert sorted(recipients) == sorted({*recipients}) and len(recipients) == 7
    assert db.session.scalar(sa.select(sa.func.count(DigestSend.id))) == 7
