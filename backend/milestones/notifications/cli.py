"""`milestones notifications deliver [--once]`: the outbox worker."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

import click
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60


@click.group("notifications")
def notifications_cli() -> None:
    """Deliver queued mail."""


@notifications_cli.command("deliver")
@click.option("--once", is_flag=True, help="One pass over the due messages, then exit.")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds to sleep when nothing is due.",
)
@click.option("--batch-size", type=click.IntRange(min=1, max=1000), help="Messages per pass.")
@with_appcontext
def deliver_command(once: bool, interval: float, batch_size: int | None) -> None:
    """Send due messages (several workers may run at once on PostgreSQL)."""
    from milestones.extensions import db
    from milestones.notifications import worker
    from milestones.sql import rate_limits
    from milestones.webhooks import sender

    if once:
        result = worker.deliver_until_idle(batch_size)
        click.echo(f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}")
        hooks = sender.deliver_until_idle()
        click.echo(f"webhooks: delivered {hooks.delivered}, retrying {hooks.retrying}")
        return

    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        log.info("signal %s: stopping after this pass", signum)

    from milestones.notifications.digests import Schedule

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("outbox worker started (interval %ss)", interval)
    schedule = Schedule()  # the weekly digests, queued when due: no cron needed
    next_sweep = 0.0
    while not stopping:
        try:
            queued = schedule.tick()
            if time.monotonic() >= next_sweep:  # rate-limit hits that no longer count
                rate_limits.delete_expired()
                next_sweep = time.monotonic() + SWEEP_SECONDS
            result = worker.deliver_once(batch_size)
            if queued is not None and queued.total:
                result.claimed = max(result.claimed, 1)  # deliver them without sleeping
            hooks = sender.deliver_once()
        except Exception:  # the database went away: log, wait, try again
            log.exception("outbox pass failed")
            db.session.remove()
            result, hooks = worker.PassResult(), sender.PassResult()
        if result.claimed == 0 and hooks.claimed == 0:
            _sleep(interval, lambda: stopping)
    log.info("outbox worker stopped")


def _sleep(seconds: float, stopped: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stopped():
        time.sleep(min(0.2, seconds))


@click.group("digests")
def digests_cli() -> None:
    """Weekly digests."""


@digests_cli.command("send")
@click.option(
    "--now",
    "force",
    is_flag=True,
    help="Send this week's digests now, as if it were the digest hour of today's week.",
)
@with_appcontext
def send_digests_command(force: bool) -> None:
    """Queue the weekly digests that are due (each at most once per recipient and week)."""
    from milestones.notifications import digests

    result = digests.send_due(force=force)
    if not result.due:
        click.echo(f"{result.week}: digests not due yet (see GET /settings)")
        return
    counts = ", ".join(f"{kind} {n}" for kind, n in result.queued.items()) or "none"
    click.echo(f"{result.week}: queued {counts}")
