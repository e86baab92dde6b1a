"""The benchmark's yardstick: a bare Flask app with one route returning a five-item JSON
list (no database, no session, no extensions), served by gunicorn with the same settings
as the real app (`gunicorn --pythonpath scripts/bench bare_app:app`)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

ITEMS = [{"id": n, "name": f"item {n}"} for n in range(1, 6)]


@app.get("/items")
def items() -> list[dict[str, object]]:
    return ITEMS
