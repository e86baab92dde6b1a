"""Serving the built single-page app (embedded default; nginx does this in production)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, send_from_directory
from flask.typing import ResponseReturnValue


def init_app(app: Flask) -> None:
    dist = Path(app.config["FRONTEND_DIST"] or Path(app.root_path).parents[1] / "frontend" / "dist")

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def spa(path: str) -> ResponseReturnValue:
        if path.startswith("api/") or path == "api":
            abort(404)
        if not (dist / "index.html").is_file():
            return (
                "The web app is not built. Run `make run` (or `npm run build` in frontend/).",
                404,
                {"Content-Type": "text/plain; charset=utf-8"},
            )
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):
                response.cache_control.public = True
                response.cache_control.max_age = 31536000
                response.cache_control.immutable = True
            return response
        response = send_from_directory(dist, "index.html")
        response.cache_control.no_cache = True
        return response
