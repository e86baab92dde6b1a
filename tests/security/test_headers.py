"""Headers and cookies: the session cookie, CSRF on every unsafe operation of the spec,
downloads as attachments with nosniff, and the security headers nginx adds."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask

from milestones.config import load_config
from tests.security.conftest import WorldKeeper
from tests.security.spec import Operation, operations
from tests.security.test_authz_matrix import RULES, Setup, fill, snapshot
from tests.security.world import World, sign_in

ROOT = Path(__file__).resolve().parents[2]
# Routes whose request carries its own credential (SPEC.md: login, unsubscribe; and the
# set-password / reset links of the notifications issue): no CSRF header needed.
CSRF_EXEMPT = {
    ("POST", "/auth/login"),
    ("POST", "/unsubscribe/{}"),
    ("POST", "/auth/password-reset"),
    ("POST", "/auth/password"),
}
UNSAFE = [op for op in operations() if op.method != "GET"]


def _cookie(header_values: list[str], name: str) -> str:
    found = [h for h in header_values if h.startswith(f"{name}=")]
    assert found, header_values
    return found[-1]


def test_session_cookie_flags(security_app: Flask, secworld: World, keeper: WorldKeeper) -> None:
    client = sign_in(security_app, None)
    response = client.login(secworld.user("coach_a").email)
    assert response.status_code == 200
    name = security_app.config["SESSION_COOKIE_NAME"]
    cookie = _cookie(response.headers.getlist("Set-Cookie"), name)
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert "httponly" in attributes, cookie
    assert attributes.get("samesite", "").split("=")[1].lower() in {"lax", "strict"}, cookie
    assert attributes.get("path", "Path=/").split("=")[1] == "/"
    # the CSRF token travels in the body, never in a cookie readable by scripts
    assert all("csrf" not in c.lower() for c in response.headers.getlist("Set-Cookie"))
    assert response.get_json()["csrf_token"]
    logout = client.post("/auth/logout")
    assert logout.status_code == 204
    cleared = _cookie(logout.headers.getlist("Set-Cookie"), name)
    assert "expires=thu, 01 jan 1970" in cleared.lower() or "max-age=0" in cleared.lower()
    keeper.dirty = False  # a login only clears failed attempts


def test_session_cookie_is_secure_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    cfg = load_config(str(tmp_path))
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["SESSION_COOKIE_HTTPONLY"] is True
    assert cfg["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}


def test_login_renews_the_session(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    """Session fixation: the cookie held before signing in is not the one after."""
    client = sign_in(security_app, None)
    client.get("/auth/me")  # anonymous visit
    name = security_app.config["SESSION_COOKIE_NAME"]
    with client.client.session_transaction() as session:
        session["planted"] = "by-attacker"
    client.login(secworld.user("coach_a").email)
    with client.client.session_transaction() as session:
        assert "planted" not in session
    assert client.client.get_cookie(name) is not None
    keeper.dirty = False


@pytest.mark.parametrize("op", UNSAFE, ids=lambda op: op.id)
def test_csrf_is_enforced_on_every_unsafe_operation(
    security_app: Flask, secworld: World, keeper: WorldKeeper, op: Operation
) -> None:
    rule = RULES.get(op.key)
    assert rule is not None, f"{op.id} has no rule in test_authz_matrix.RULES"
    role = next((r for r in ("coach_a", "admin", "member_a") if r in rule.allowed), "admin")
    made = rule.call(Setup(security_app, secworld, role))
    client = sign_in(security_app, secworld.user(role))
    client.csrf = None
    before = snapshot()
    kwargs = {"json": made.json} if made.json is not None else {}
    response = client.open(op.method, fill(op.path, made.path), **kwargs)
    if op.key in CSRF_EXEMPT:
        assert response.get_json(silent=True) is None or (
            (response.get_json() or {}).get("code") != "csrf_failed"
        ), f"{op.id} carries its own credential and must not ask for the CSRF header"
        return  # the call may have succeeded: the world stays dirty
    assert response.status_code == 403, (op.id, response.status_code, response.data[:200])
    assert response.get_json()["code"] == "csrf_failed"
    assert snapshot() == before
    keeper.dirty = False


def test_documents_download_as_attachments_with_nosniff(
    security_app: Flask, fresh_world: World
) -> None:
    coach = sign_in(security_app, fresh_world.user("coach_a"))
    member = sign_in(security_app, fresh_world.user("member_a"))
    html_as_text = b"quarter,revenue\nQ1,12000\n"  # (HTML named .txt is refused: hostile tests)
    response = coach.post(
        f"/companies/{fresh_world.a_id}/milestones/value_baseline/evidence",
        data={
            "evidence_type": "document",
            "title": "Notes",
            "file": (io.BytesIO(html_as_text), "notes.txt"),
        },
        content_type="multipart/form-data",
    )
    if response.status_code != 201:
        pytest.fail(f"upload of a text file refused: {response.get_json()}")
    evidence_id = response.get_json()["id"]
    download = member.get(f"/evidence/{evidence_id}/download")
    if download.status_code == 302:  # S3: a presigned URL that forces attachment
        location = download.headers["Location"]
        assert "response-content-disposition=attachment" in location.replace("%3B", ";")
        return
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment"), disposition
    assert "notes.txt" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "text/plain", download.mimetype
    assert download.data == html_as_text


def test_api_errors_are_json_not_html(security_app: Flask, secworld: World) -> None:
    anon = sign_in(security_app, None)
    for path in ("/api/v1/no-such-route", "/api/v1/companies/not-a-number", "/api/v1/auth/me"):
        response = anon.open("GET", path)
        assert response.status_code in {401, 404}, path
        assert response.mimetype == "application/json", (path, response.mimetype)
        assert set(response.get_json()) >= {"code", "message", "status"}
    response = anon.open("DELETE", "/api/v1/healthz")
    assert response.status_code == 405
    assert response.get_json()["code"] == "method_not_allowed"


NGINX = ROOT / "nginx" / "templates" / "default.conf.template"


@pytest.mark.skipif(not NGINX.is_file(), reason="no nginx config in the repository")
def test_nginx_adds_csp_and_nosniff() -> None:
    """CSP and friends are nginx's job (checked live by the deploy smoke test); here: the config."""
    text = NGINX.read_text()
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
    ):
        assert re.search(rf"add_header\s+{header}\s+\S+\s+always;", text), header
    csp = re.search(r"map \$upstream_http_content_security_policy .*?\{(.*?)\}", text, re.S)
    assert csp, "the CSP value"
    policy = csp.group(1)
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert re.search(r'""\s+"nosniff"', text), "nosniff by default"
