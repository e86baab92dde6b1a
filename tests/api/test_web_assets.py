"""The embedded server's web app: hashed assets from WhiteNoise, precompressed and cached
for good; the SPA's index.html revalidated; the session hint cookie the app reads."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from flask import Flask

from milestones.extensions import db
from tests.conftest import make_app

SCRIPT = b"console.log('milestones');\n" * 200


@pytest.fixture
def web_app(database_url: str, tmp_path: Path) -> Flask:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>MT</title>")
    asset = dist / "assets" / "index-Ab12Cd34.js"
    asset.write_bytes(SCRIPT)
    (dist / "assets" / "index-Ab12Cd34.js.gz").write_bytes(gzip.compress(SCRIPT))
    (dist / "assets" / "index-Ab12Cd34.js.br").write_bytes(b"brotli bytes stand-in")
    return make_app(database_url, tmp_path, FRONTEND_DIST=str(dist))


def test_hashed_assets_are_precompressed_and_immutable(web_app):
    client = web_app.test_client()
    br = client.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip, br"})
    assert br.status_code == 200
    assert br.headers["Content-Encoding"] == "br"
    assert br.data == b"brotli bytes stand-in"
    assert "immutable" in br.headers["Cache-Control"]
    assert (
        "max-age=315360000" in br.headers["Cache-Control"]
        or "max-age=31536000" in (br.headers["Cache-Control"])
    )
    assert br.headers["Vary"] == "Accept-Encoding"
    assert br.headers["X-Content-Type-Options"] == "nosniff"
    assert br.headers["Content-Type"].startswith("text/javascript")
    gz = client.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == SCRIPT
    plain = client.get("/assets/index-Ab12Cd34.js")
    assert "Content-Encoding" not in plain.headers
    assert plain.data == SCRIPT
    etag = plain.headers["ETag"]
    again = client.get("/assets/index-Ab12Cd34.js", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_the_spa_shell_is_revalidated_and_api_paths_stay_api(web_app):
    client = web_app.test_client()
    page = client.get("/companies/12")
    assert page.status_code == 200
    assert b"<title>MT</title>" in page.data
    assert page.headers["Cache-Control"] == "no-cache"
    assert client.get("/assets/missing-0000.js").status_code == 404
    assert client.get("/api/v1/nothing-here").status_code in {401, 404}
    with web_app.app_context():
        db.engine.dispose()


def test_the_session_hint_follows_the_session(factory, client_for, anon):
    assert "mt_signed_in" not in " ".join(anon.get("/healthz").headers.getlist("Set-Cookie"))
    member = factory.member()
    client = client_for(member)
    assert client.client.get_cookie("mt_signed_in").value == "1"
    cookie = client.client.get_cookie("mt_signed_in")
    assert not cookie.http_only  # the web app reads it; it grants nothing
    assert client.client.get_cookie("mt_session").http_only
    # It holds no credential: alone, it signs nobody in.
    alone = anon.client
    alone.set_cookie("mt_signed_in", "1")
    assert anon.get("/auth/me").status_code == 401
    assert alone.get_cookie("mt_signed_in") is None  # and the 401 removed it
    assert client.post("/auth/logout").status_code == 204
    assert client.client.get_cookie("mt_signed_in") is None
