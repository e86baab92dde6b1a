"""`milestones seed bench` (being written: metrics issue)."""

from __future__ import annotations

import click


@click.command("bench")
def bench_command() -> None:
    """Bulk benchmark data."""
    raise click.ClickException("not written yet")
