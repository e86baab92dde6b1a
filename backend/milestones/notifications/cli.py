"""`milestones notifications ...` (being written: notifications issue)."""

from __future__ import annotations

import click


@click.group("notifications")
def notifications_cli() -> None:
    """Deliver queued mail."""
