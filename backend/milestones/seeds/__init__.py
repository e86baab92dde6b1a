"""`milestones seed ...`: demo data and benchmark data."""

from __future__ import annotations

import click

from milestones.seeds.bench import bench_command
from milestones.seeds.demo import demo_command


@click.group("seed")
def seed_cli() -> None:
    """Load demo or benchmark data."""


seed_cli.add_command(demo_command)
seed_cli.add_command(bench_command)
