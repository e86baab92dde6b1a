"""The long checks, behind --run-slow: load (locust, 50 users x 60 s against gunicorn +
PostgreSQL, then the database check) and the safe fault checks (connections killed, S3
stopped). The PostgreSQL restart is not run from here: it disrupts every other process
using the cluster; run `scripts/faults/run_faults.py --restart-postgres` on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> None:
    proc = subprocess.run(
        [sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.postgres
def test_load_loses_no_write() -> None:
    run("scripts/load/run_load.py")


@pytest.mark.slow
@pytest.mark.postgres
def test_faults_are_survived() -> None:
    run("scripts/faults/run_faults.py")
