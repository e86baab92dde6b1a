"""Serving the built single-page app (embedded default; nginx does this in production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from flask import Flask, Response, abort, request, send_from_directory
from flask.typing import ResponseReturnValue

# The API docs page (flask-smorest's Swagger UI) runs an inline bootstrap script; it gets
# its own policy, which nginx keeps since the response already carries one.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)


def init_docs(app: Flask) -> None:
    """Serve Swagger UI's files from the installed bundle: no CDN, works offline."""
    assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get("/api/docs/assets/<path:filename>")
    def swagger_assets(filename: str) -> ResponseReturnValue:
        return send_from_directory(assets, filename)

    @app.after_request
    def docs_policy(response: Response) -> Response:
        if request.path.startswith("/api/docs"):
            response.headers["Content-Security-Policy"] = DOCS_CSP
        return response


def init_assets(app: Flask, dist: Path) -> None:
    """The hashed build output, served by WhiteNoise in front of Flask: precompressed
    files (`.br`, `.gz`, written by the build) chosen by Accept-Encoding, cached for a
    year as immutable, with ETag and Last-Modified; no Python request handling at all.
    Files added after start (a rebuild) still fall through to the route below."""
    assets = dist / "assets"
    if not assets.is_dir():
        return
    from whitenoise import WhiteNoise

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(assets),
        prefix="assets/",
        max_age=IMMUTABLE_MAX_AGE,
        immutable_file_test=lambda _path, _url: True,  # every file there is content-hashed
        allow_all_origins=False,
        add_headers_function=_nosniff,
    )


def _nosniff(headers: Any, _path: str, _url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


IMMUTABLE_MAX_AGE = 31536000


def init_app(app: Flask) -> None:
    init_docs(app)
    dist = Path(app.config["FRONTEND_DIST"] or Path(app.root_path).parents[1] / "frontend" / "dist")
    init_assets(app, dist)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def spa(path: str) -> ResponseReturnValue:
        if path == "api" or path.startswith("api/"):
            abort(404)
        if path.startswith("assets/") and not (dist / path).is_file():
            abort(404)  # a missing asset is a 404, as through nginx, never index.html
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
                response.cache_control.max_age = IMMUTABLE_MAX_AGE
                response.cache_control.immutable = True
            return response
        response = send_from_directory(dist, "index.html")
        response.cache_control.no_cache = True
        return response
