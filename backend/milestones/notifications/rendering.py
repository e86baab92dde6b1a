"""Mail bodies from Jinja templates (templates/email/<name>.txt and .html).

HTML templates are autoescaped: whatever a user typed (a company named `<script>`, a
reason with markup) stays text. Plain-text templates are not escaped, and subjects are
built here, on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
SUBJECT_MAX = 300


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = format_time
    return env


def format_time(value: datetime) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC")


def render(template: str, **context: Any) -> Rendered:
    env = _env()
    return Rendered(
        text=env.get_template(f"{template}.txt").render(**context),
        html=env.get_template(f"{template}.html").render(**context),
    )


def subject(text: str) -> str:
    """One line, bounded: a header never carries a line break from user input."""
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"
