"""Hostile input: each answer a 4xx with a clear JSON message, and nothing stored that
should not be (rows and files compared before and after)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.security.conftest import WorldKeeper
from tests.security.spec import Operation, normalise, openapi, operations
from tests.security.test_authz_matrix import RULES, Setup, fill, snapshot
from tests.security.world import World, sign_in

EVIDENCE = "/companies/{a}/milestones/value_baseline/evidence"


VALIDATION = "validation_error"


def assert_refused(
    response: Any, status: int, *words: str, code: str | None = None
) -> dict[str, Any]:
    """The stated 4xx, JSON {code, message} (the stated code when given), the body naming
    the problem (each of `words`)."""
    body = response.get_json(silent=True)
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    assert response.mimetype == "application/json"
    assert isinstance(body, dict) and body.get("code") and body.get("message"), body
    if code is not None:
        assert body["code"] == code, body
    text = json.dumps(body).lower()
    for word in words:
        assert word.lower() in text, f"{word!r} not in {body}"
    return body


def files_in(app: Flask) -> list[str]:
    root = Path(app.config["STORAGE_LOCAL_PATH"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def coach(security_app: Flask, secworld: World, keeper: WorldKeeper) -> Iterator[Any]:
    """Company A's coach on the shared world, kept for the next test if nothing changed."""
    before = snapshot()
    yield sign_in(security_app, secworld.user("coach_a"))
    keeper.dirty = snapshot() != before


# --- sizes, content types, structure -----------------------------------------------------


def test_oversized_upload_is_413_and_leaves_nothing(
    security_app: Flask, secworld: World, coach: Any
) -> None:
    before, stored = snapshot(), files_in(security_app)
    old = security_app.config["MAX_UPLOAD_MB"]
    security_app.config["MAX_UPLOAD_MB"] = 1
    try:
        response = coach.post(
            EVIDENCE.format(a=secworld.a_id),
            data={
                "evidence_type": "document",
                "title": "Too big",
                "file": (io.BytesIO(b"a,b\n" * (400 * 1024)), "big.csv"),  # 1.6 MB
            },
            content_type="multipart/form-data",
        )
    finally:
        security_app.config["MAX_UPLOAD_MB"] = old
    assert_refused(response, 413, "MB", code="file_too_large")
    assert snapshot() == before
    assert files_in(security_app) == stored


@pytest.mark.parametrize(
    "content, filename, status, code",
    [
        (b"<!doctype html><script>alert(1)</script>", "contract.pdf", 415, "file_type_not_allowed"),
        (b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "big.pdf", 413, "file_too_large"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "invoice.pdf", 415, "file_type_mismatch"),
    ],
    ids=["html-named-pdf", "oversize", "png-named-pdf"],
)
@pytest.mark.parametrize("role", ["member_a", "coach_a"])
def test_a_members_hostile_upload_is_refused_as_a_coachs(
    security_app: Flask,
    secworld: World,
    keeper: WorldKeeper,
    role: str,
    content: bytes,
    filename: str,
    status: int,
    code: str,
) -> None:
    client = sign_in(security_app, secworld.user(role))
    before, stored = snapshot(), files_in(security_app)
    old = security_app.config["MAX_UPLOAD_MB"]
    security_app.config["MAX_UPLOAD_MB"] = 1
    try:
        response = client.post(
            EVIDENCE.format(a=secworld.a_id),
            data={"file": (io.BytesIO(content), filename)},
            content_type="multipart/form-data",
        )
    finally:
        security_app.config["MAX_UPLOAD_MB"] = old
    assert_refused(response, status, code=code)
    assert snapshot() == before
    assert files_in(security_app) == stored
    keeper.dirty = False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"metric_key": "paying_customers", "metric_value": 1e308 * 10}, "metric_value"),
        ({"metric_key": "'; DROP TABLE evidence; --", "metric_value": 1}, "metric_key"),
        ({"metric_key": ["arr_usd"], "metric_value": 1}, "metric_key"),
        ({"metric_key": "arr_usd", "metric_value": "1e999"}, "metric_value"),
    ],
)
def test_hostile_metric_keys_and_values(
    security_app: Flask, secworld: World, coach: Any, body: dict[str, Any], field: str
) -> None:
    before = snapshot()
    response = coach.post(
        EVIDENCE.format(a=secworld.a_id), json={"evidence_type": "metric", "title": "m", **body}
    )
    assert_refused(response, 422, field, code=VALIDATION)
    assert snapshot() == before


@pytest.mark.parametrize(
    "path, body",
    [
        ("/companies/{a}/tasks", {"title": "x" * 2_000_000}),
        ("/companies/{a}/updates", {"body": "y" * 2_000_000}),
        ("/companies/{a}/milestones/value_baseline", {"achieved": True, "reason": "z" * 2001}),
        (
            "/companies/{a}/milestones/value_baseline/criteria/value_proposition",
            {"met": True, "note": "n" * 2001},
        ),
    ],
    ids=["task-title-2MB", "update-body-2MB", "toggle-reason-2001", "criterion-note-2001"],
)
def test_oversized_text_is_refused(
    security_app: Flask, secworld: World, coach: Any, path: str, body: dict[str, Any]
) -> None:
    before = snapshot()
    method = coach.put if "milestones/" in path else coach.post
    response = method(path.format(a=secworld.a_id), json=body)
    field = next(iter(k for k, v in body.items() if isinstance(v, str)))
    assert_refused(response, 422, field, code=VALIDATION)
    assert snapshot() == before


def test_oversized_login_password_is_refused_quickly(security_app: Flask, secworld: World) -> None:
    anon = sign_in(security_app, None)
    response = anon.post(
        "/auth/login", json={"email": secworld.user("member_a").email, "password": "p" * 100_000}
    )
    assert_refused(response, 422, "password", code=VALIDATION)


# A body that is not JSON reads as no JSON: the required title is missing (422). JSON that
# does not parse is a 400; JSON that is not an object fails the schema as a whole (422).
MISSING_TITLE = (422, VALIDATION, "title")
NOT_JSON = (400, "bad_request", "Invalid JSON body")
NOT_AN_OBJECT = (422, VALIDATION, "_schema")


@pytest.mark.parametrize(
    "data, content_type, expected",
    [
        ("title=Hello", "application/x-www-form-urlencoded", MISSING_TITLE),
        ("title: Hello", "text/plain", MISSING_TITLE),
        ("<task><title>Hello</title></task>", "application/xml", MISSING_TITLE),
        ('{"title": "Hello"', "application/json", NOT_JSON),  # truncated JSON
        ("\xff\xfe{}", "application/json", NOT_JSON),  # not UTF-8
        ("[1, 2, 3]", "application/json", NOT_AN_OBJECT),
        ('"just a string"', "application/json", NOT_AN_OBJECT),
        ("null", "application/json", NOT_AN_OBJECT),
    ],
)
def test_wrong_content_type_or_malformed_json(
    security_app: Flask,
    secworld: World,
    coach: Any,
    data: str,
    content_type: str,
    expected: tuple[int, str, str],
) -> None:
    before = snapshot()
    response = coach.post(
        f"/companies/{secworld.a_id}/tasks", data=data.encode("latin-1"), content_type=content_type
    )
    status, code, word = expected
    assert_refused(response, status, word, code=code)
    assert snapshot() == before


@pytest.mark.parametrize(
    "depth, expected",
    [
        (100, (422, VALIDATION, "description")),  # parsed: a list is not a string
        (5_000, (400, "too_deeply_nested", "nested too deeply")),
        (100_000, (400, "too_deeply_nested", "nested too deeply")),
    ],
)
def test_deeply_nested_json(
    security_app: Flask, secworld: World, coach: Any, depth: int, expected: tuple[int, str, str]
) -> None:
    before = snapshot()
    nested = "[" * depth + "]" * depth
    response = coach.post(
        f"/companies/{secworld.a_id}/tasks",
        data=f'{{"title": "deep", "description": {nested}}}',
        content_type="application/json",
    )
    status, code, word = expected
    assert_refused(response, status, word, code=code)
    assert snapshot() == before


def test_duplicate_keys_and_unknown_fields(
    security_app: Flask, secworld: World, coach: Any
) -> None:
    before = snapshot()
    response = coach.post(
        f"/companies/{secworld.a_id}/tasks", json={"title": "ok", "status": "approved"}
    )
    assert_refused(response, 422, "status", code=VALIDATION)
    response = coach.put(
        f"/companies/{secworld.a_id}/milestones/value_baseline",
        json={"achieved": "yes please", "reason": "x"},
    )
    assert_refused(response, 422, "achieved", code=VALIDATION)
    assert snapshot() == before


# --- every text field of every JSON write: control characters and unicode ---------------

CONTROL = {"NUL": "nul\x00byte", "BEL": "bell\x07ring", "ESC": "esc\x1b[31m", "DEL": "del\x7f"}
# accents, emoji, CJK, a right-to-left override, a combining accent, markup: kept as text
UNICODE = "Zoë ☕🚀 日本 \u202eRTL\u202c e\u0301 <b>&\"'</b>"
# Credentials and look-ups: any character may be part of a password; a reset request answers
# 202 for any address (so nothing is revealed) and must simply store nothing.
SECRETS = {"password", "token"}
LOOKUPS = {("POST", "/auth/password-reset"), ("POST", "/auth/login")}


def _json_text_fields() -> list[tuple[str, str, str]]:
    """(method, spec path, field) for each string property of each JSON request body."""
    spec = openapi()
    schemas = spec["components"]["schemas"]
    found = []
    for op in operations():
        body = op.spec.get("requestBody", {}).get("content", {}).get("application/json")
        if not body or op.key not in RULES:
            continue
        schema = body.get("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        for name, prop in schema.get("properties", {}).items():
            if prop.get("type") == "string" and not prop.get("enum"):
                found.append((op.method, op.path, name))
    return found


TEXT_FIELDS = _json_text_fields()
ROLE_PREFERENCE = ("coach_a", "admin", "member_a", "anonymous")


def _call_with(app: Flask, world: World, method: str, path: str, field: str, value: str) -> Any:
    rule = RULES[(method, normalise(path))]
    role = next(r for r in ROLE_PREFERENCE if r in rule.allowed)
    made = rule.call(Setup(app, world, role))
    body = dict(made.json or {})
    body[field] = value
    client = sign_in(app, None if role == "anonymous" else world.user(role))
    return client.open(method, fill(path, made.path), json=body)


def test_text_fields_are_found() -> None:
    assert len(TEXT_FIELDS) >= 10, TEXT_FIELDS


def _control_answer(method: str, path: str, field: str, name: str) -> tuple[int, str | None]:
    """The stated answer to a control character in a field: a NUL fails validation in
    every field; of the others, a reset request answers 202 for any address, a login with
    such an e-mail matches nobody (401), a webhook's URL is refused by its own check, and
    everything else fails validation."""
    key = (method, normalise(path))
    if name == "NUL":
        return 422, VALIDATION
    if key == ("POST", "/auth/password-reset"):
        return 202, None
    if key == ("POST", "/auth/login") and field == "email":
        return 401, "bad_credentials"
    if normalise(path).startswith("/webhooks") and field == "url":
        return 422, "webhook_url_refused"
    return 422, VALIDATION


@pytest.mark.parametrize("method, path, field", TEXT_FIELDS, ids=lambda v: str(v))
def test_control_characters_are_refused(
    security_app: Flask, secworld: World, keeper: WorldKeeper, method: str, path: str, field: str
) -> None:
    before = snapshot()
    for name, value in CONTROL.items():
        if field in SECRETS and name != "NUL":
            continue
        status, code = _control_answer(method, path, field, name)
        response = _call_with(security_app, secworld, method, path, field, value)
        if code is None:
            assert response.status_code == status, (name, response.status_code, response.data)
        else:
            assert_refused(response, status, *([field] if status == 422 else []), code=code)
        assert snapshot() == before, f"{name} in {field}: something was stored"
    keeper.dirty = False


# Fields where the unicode sample is refused, with the stated answer; everywhere else it is
# stored as sent (the operation's documented success status).
UNICODE_REFUSED: dict[tuple[str, str, str], tuple[int, str]] = {
    ("POST", "/auth/login", "email"): (401, "bad_credentials"),
    ("POST", "/auth/login", "password"): (401, "bad_credentials"),
    ("POST", "/auth/password", "token"): (400, "invalid_token"),
    ("POST", "/users", "email"): (422, VALIDATION),
    ("PATCH", "/users/{}", "email"): (422, VALIDATION),
    ("POST", "/companies", "joined_at"): (422, VALIDATION),
    ("PATCH", "/companies/{}", "joined_at"): (422, VALIDATION),
    ("POST", "/cohorts", "starts_on"): (422, VALIDATION),
    ("POST", "/cohorts", "ends_on"): (422, VALIDATION),
    ("PATCH", "/cohorts/{}", "starts_on"): (422, VALIDATION),
    ("PATCH", "/cohorts/{}", "ends_on"): (422, VALIDATION),
    ("POST", "/companies/{}/milestones/{}/evidence", "criterion"): (422, VALIDATION),
    ("POST", "/companies/{}/milestones/{}/evidence", "url"): (422, VALIDATION),
    # the sample body is a link: a unit belongs to metrics only
    ("POST", "/companies/{}/milestones/{}/evidence", "metric_unit"): (422, VALIDATION),
    ("POST", "/companies/{}/stakeholders", "email"): (422, VALIDATION),
    ("POST", "/companies/{}/share-links", "expires_at"): (422, VALIDATION),
    ("POST", "/webhooks", "url"): (422, "webhook_url_refused"),
    ("PATCH", "/webhooks/{}", "url"): (422, "webhook_url_refused"),
}
OPERATIONS = {op.key: op for op in operations()}


@pytest.mark.parametrize("method, path, field", TEXT_FIELDS, ids=lambda v: str(v))
def test_unicode_is_stored_as_sent_or_refused_cleanly(
    security_app: Flask, secworld: World, method: str, path: str, field: str
) -> None:
    response = _call_with(security_app, secworld, method, path, field, UNICODE)
    refused = UNICODE_REFUSED.get((method, normalise(path), field))
    if refused is not None:
        status, code = refused
        assert_refused(response, status, *([field] if status == 422 else []), code=code)
        return
    expected = OPERATIONS[(method, normalise(path))].success_status()
    assert response.status_code == expected, response.get_data()[:300]
    body = response.get_json(silent=True)
    if isinstance(body, dict) and field in body and field not in SECRETS:
        assert body[field] == UNICODE, (field, body[field])


# --- uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    ["../../../../tmp/evil.txt", "..\\..\\windows\\evil.txt", "/etc/passwd.txt", "a/../../b.txt"],
)
def test_path_traversal_in_file_names(
    security_app: Flask, secworld: World, coach: Any, filename: str
) -> None:
    root = Path(security_app.config["STORAGE_LOCAL_PATH"]).resolve()
    response = coach.post(
        EVIDENCE.format(a=secworld.a_id),
        data={
            "evidence_type": "document",
            "title": "Traversal",
            "file": (io.BytesIO(b"plain text\n"), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_data()[:300]  # stored under a clean name
    stored = response.get_json()["attachment"]["filename"]
    assert "/" not in stored and "\\" not in stored and not stored.startswith(".."), stored
    for path in root.parent.rglob("evil.txt"):
        pytest.fail(f"a file landed at {path}")
    assert all(not p.name.startswith("passwd") for p in root.rglob("*"))


HOSTILE_FILES = [
    ("page.html", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("page.htm", b"<html><body onload=alert(1)></body></html>"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("report.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("script.js", b"alert(document.cookie)"),
    ("archive.docx", b"PK\x03\x04 not really a docx"),
    ("noext", b"<html><script>alert(1)</script></html>"),
]


def test_html_svg_and_disguised_uploads_are_refused(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    coach = sign_in(security_app, secworld.user("coach_a"))
    before, stored = snapshot(), files_in(security_app)
    for filename, content in HOSTILE_FILES:
        response = coach.post(
            EVIDENCE.format(a=secworld.a_id),
            data={
                "evidence_type": "document",
                "title": "Hostile",
                "file": (io.BytesIO(content), filename),
            },
            content_type="multipart/form-data",
        )
        assert_refused(response, 415, code="file_type_not_allowed")
        assert snapshot() == before, filename
        assert files_in(security_app) == stored, filename
    keeper.dirty = False


DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://",
]


def test_dangerous_links_are_refused(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    coach = sign_in(security_app, secworld.user("coach_a"))
    before = snapshot()
    for url in DANGEROUS_URLS:
        response = coach.post(
            EVIDENCE.format(a=secworld.a_id),
            json={"evidence_type": "link", "title": "Click me", "url": url},
        )
        assert_refused(response, 422, "url", code=VALIDATION)
        assert snapshot() == before, url
    keeper.dirty = False


# --- CSRF and sessions ------------------------------------------------------------------


def _write(client: Any, world: World, **headers: str) -> Any:
    return client.post(
        f"/companies/{world.a_id}/tasks", json={"title": "CSRF probe"}, headers=headers
    )


def test_csrf_missing_forged_and_foreign_tokens(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    before = snapshot()
    coach = sign_in(security_app, secworld.user("coach_a"))
    other = sign_in(security_app, secworld.user("member_a"))
    coach.csrf = None  # send exactly what each case says
    for headers in (
        {},
        {"X-CSRF-Token": ""},
        {"X-CSRF-Token": "forged-token"},
        {"X-CSRF-Token": str(other.csrf)},  # valid, but another session's
        {"X-CSRF-Token": "A" * 10_000},
    ):
        response = _write(coach, secworld, **headers)
        assert_refused(response, 403, "X-CSRF-Token", code="csrf_failed")
    assert snapshot() == before
    keeper.dirty = False


def test_stale_csrf_token_after_new_login(security_app: Flask, fresh_world: World) -> None:
    client = sign_in(security_app, None)
    assert client.login(fresh_world.user("coach_a").email).status_code == 200
    stale = client.csrf
    assert client.post("/auth/logout").status_code == 204
    assert client.login(fresh_world.user("coach_a").email).status_code == 200
    assert client.csrf != stale
    before = snapshot()
    assert_refused(
        _write(client, fresh_world, **{"X-CSRF-Token": str(stale)}), 403, code="csrf_failed"
    )
    assert snapshot() == before
    assert _write(client, fresh_world).status_code == 201  # the fresh token works


def test_login_and_unsubscribe_need_no_csrf_but_logout_does(
    security_app: Flask, fresh_world: World
) -> None:
    client = sign_in(security_app, fresh_world.user("coach_a"))
    client.csrf = None
    assert_refused(client.post("/auth/logout"), 403, "X-CSRF-Token", code="csrf_failed")
    anon = sign_in(security_app, None)
    response = anon.post(
        "/auth/login", json={"email": fresh_world.user("coach_a").email, "password": "wrong"}
    )
    assert_refused(response, 401, code="bad_credentials")  # on the merits, not for CSRF


def test_session_of_a_deactivated_user_is_dead(security_app: Flask, fresh_world: World) -> None:
    member = sign_in(security_app, fresh_world.user("member_a"))
    assert member.get("/auth/me").status_code == 200
    admin = sign_in(security_app, fresh_world.user("admin"))
    response = admin.patch(f"/users/{fresh_world.user('member_a').id}", json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert_refused(member.get("/auth/me"), 401, code="unauthorized")
    assert_refused(member.get(f"/companies/{fresh_world.a_id}"), 401, code="unauthorized")
    before = snapshot()
    response = member.post(f"/companies/{fresh_world.a_id}/updates", json={"body": "x"})
    assert_refused(response, 401, code="unauthorized")
    assert snapshot() == before
    # and signing in again is refused too
    again = sign_in(security_app, None)
    assert_refused(again.login(fresh_world.user("member_a").email), 401, code="bad_credentials")


def test_session_ends_when_an_admin_resets_the_password(
    security_app: Flask, fresh_world: World
) -> None:
    member = sign_in(security_app, fresh_world.user("member_a"))
    admin = sign_in(security_app, fresh_world.user("admin"))
    response = admin.patch(
        f"/users/{fresh_world.user('member_a').id}", json={"password": "a-brand-new-password"}
    )
    assert response.status_code == 200
    assert_refused(member.get("/auth/me"), 401, code="unauthorized")


def test_forged_and_tampered_session_cookies(security_app: Flask, secworld: World) -> None:
    from flask.sessions import SecureCookieSessionInterface

    other = security_app.test_client()
    forged_app = Flask("forger")
    forged_app.secret_key = "not-the-real-secret"
    serializer = SecureCookieSessionInterface().get_signing_serializer(forged_app)
    assert serializer is not None
    forged = serializer.dumps({"_user_id": secworld.user("admin").identity, "csrf_token": "t"})
    name = security_app.config["SESSION_COOKIE_NAME"]
    for value in (forged, forged[:-3] + "abc", "garbage", ""):
        other.set_cookie(name, value)
        response = other.get("/api/v1/users")
        assert_refused(response, 401, code="unauthorized")
    # a genuine cookie naming a session version that was ended
    real = security_app.session_interface.get_signing_serializer(security_app)  # type: ignore[attr-defined]
    admin = secworld.user("admin")
    stale = real.dumps({"_user_id": f"{admin.id}:{int(admin.identity.split(':')[1]) + 7}"})
    other.set_cookie(name, stale)
    assert_refused(other.get("/api/v1/users"), 401, code="unauthorized")


def test_control_characters_in_multipart_fields_and_query_strings(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    coach = sign_in(security_app, secworld.user("coach_a"))
    before, stored = snapshot(), files_in(security_app)
    for title in ("nul\x00title", "esc\x1b[2Jtitle"):
        response = coach.post(
            EVIDENCE.format(a=secworld.a_id),
            data={
                "evidence_type": "document",
                "title": title,
                "file": (io.BytesIO(b"a,b\n1,2\n"), "ok.csv"),
            },
            content_type="multipart/form-data",
        )
        assert_refused(response, 422, "title", code=VALIDATION)
    for path, field in (
        ("/companies?q=%00", "q"),
        ("/users?q=%00", "q"),  # validated before the role is checked
        (f"/companies/{secworld.a_id}/tasks?status=%00", "status"),
    ):
        assert_refused(coach.get(path), 422, field, "NUL", code=VALIDATION)
    assert snapshot() == before
    assert files_in(security_app) == stored
    keeper.dirty = False


# --- numbers out of range -------------------------------------------------------------

INT_PATH_OPS = [
    op
    for op in operations()
    if any(
        p.get("in") == "path" and p.get("schema", {}).get("type") == "integer"
        for p in openapi()["paths"][op.path].get("parameters", [])
    )
]
PAGINATED_OPS = [
    op for op in operations() if any(p.get("name") == "page" for p in op.spec.get("parameters", []))
]


@pytest.mark.parametrize("op", INT_PATH_OPS, ids=lambda op: op.id)
def test_ids_beyond_the_database_range_are_404(
    security_app: Flask, secworld: World, keeper: WorldKeeper, op: Operation
) -> None:
    client = sign_in(security_app, secworld.user("admin"))
    before = snapshot()
    for huge in (2**31, 2**63, 10**30):
        path = re.sub(r"\{[^}]+\}", str(huge), op.path)
        response = client.open(op.method, path, json={})
        assert_refused(response, 404, code="not_found")
    assert snapshot() == before
    keeper.dirty = False


@pytest.mark.parametrize("op", [pytest.param(op, id=op.id) for op in PAGINATED_OPS])
def test_huge_page_numbers_are_refused(
    security_app: Flask, secworld: World, keeper: WorldKeeper, op: Operation
) -> None:
    client = sign_in(security_app, secworld.user("admin"))
    path = re.sub(r"\{[^}]+\}", str(secworld.a_id), op.path.replace("{key}", "value_baseline"))
    keeper.dirty = False
    try:
        response = client.open("GET", path + "?page=99999999999999999999")
    except Exception as exc:  # TESTING propagates the server error: that is the 500
        pytest.fail(f"500: {type(exc).__name__}: {str(exc)[:200]}")
    assert_refused(response, 422, "page", code=VALIDATION)


# --- webhook URLs and share tokens ------------------------------------------------------

HOSTILE_WEBHOOK_URLS = [
    "http://hooks.example.test/in",  # http without the private-networks setting
    "https://127.0.0.1/in",
    "https://127.1/in",
    "https://2130706433/in",  # 127.0.0.1 as one number
    "https://0x7f000001/in",
    "https://localhost/in",
    "https://app.localhost/in",
    "https://[::1]/in",
    "https://[::ffff:169.254.169.254]/in",
    "https://169.254.169.254/latest/meta-data/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://10.0.0.1/in",
    "https://172.16.0.1/in",
    "https://192.168.1.1/in",
    "https://100.64.0.1/in",  # carrier-grade NAT
    "https://0.0.0.0/in",
    "https://[fe80::1]/in",
    "https://user:secret@hooks.example.test/in",
    "https://hooks.example.test:99999/in",
    "gopher://hooks.example.test/in",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "https://",
    "//hooks.example.test/in",
    "https://hooks.example.test/in#frag",
]


def test_hostile_webhook_urls_are_refused(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    admin = sign_in(security_app, secworld.user("admin"))
    before = snapshot()
    for url in HOSTILE_WEBHOOK_URLS:
        response = admin.post("/webhooks", json={"url": url, "events": ["task.approved"]})
        assert_refused(response, 422, "url", code="webhook_url_refused")
        response = admin.patch(f"/webhooks/{secworld.ids['webhook']}", json={"url": url})
        assert_refused(response, 422, "url", code="webhook_url_refused")
    assert snapshot() == before
    keeper.dirty = False


HOSTILE_SHARE_TOKENS = [
    "",
    "x",
    "A" * 43,
    "A" * 5000,
    "..%252F..%252Fetc%252Fpasswd",
    "%2E%2E",
    "%00",
    "' OR '1'='1",
    "%E2%98%95%F0%9F%9A%80",
    "%25",
]


def test_hostile_share_tokens_all_answer_the_same_404(
    security_app: Flask, secworld: World, keeper: WorldKeeper
) -> None:
    anon = sign_in(security_app, None)
    before = snapshot()
    answers = set()
    for token in HOSTILE_SHARE_TOKENS:
        response = anon.get(f"/shared/{token}")  # "" included: /shared/ is the public page too
        assert_refused(response, 404, code="not_shared")
        assert response.headers["Cache-Control"] == "no-store"
        answers.add(response.get_data())
    assert len(answers) == 1
    assert snapshot() == before
    keeper.dirty = False


# --- dates at the ends of the calendar --------------------------------------------------

EDGE_MOMENTS = [
    ("until=9999-12-31", "until", "before 9999-12-31"),  # its end, the next day, does not exist
    ("since=0001-01-01T00:00:00%2B01:00", "since", "out of range"),  # before year 1 in UTC
    ("until=9999-12-31T23:59:59-01:00", "until", "out of range"),  # after year 9999 in UTC
    ("since=10000-01-01", "since", "not a valid"),
]


@pytest.mark.parametrize("path", ["/activity", "/exports/activity.csv", "/exports/activity.xlsx"])
@pytest.mark.parametrize("query, field, words", EDGE_MOMENTS, ids=[q for q, _, _ in EDGE_MOMENTS])
def test_moments_past_the_calendar_are_422(
    security_app: Flask, secworld: World, keeper: WorldKeeper, path: str, query: str, field: str,
    words: str,
) -> None:  # fmt: skip
    admin = sign_in(security_app, secworld.user("admin"))
    assert_refused(admin.get(f"{path}?{query}"), 422, field, words, code=VALIDATION)
    keeper.dirty = False


# (value, words of the answer): times whose UTC lies before year 1 or after 9999 are out
# of range; a time after 9999 is not a time at all.
EDGE_TIMES = [
    ("0001-01-01T00:00:00+01:00", "out of range"),
    ("9999-12-31T23:59:59-01:00", "out of range"),
    ("10000-01-01T00:00:00Z", "not a valid datetime"),
]


@pytest.mark.parametrize("value, words", EDGE_TIMES, ids=[v for v, _ in EDGE_TIMES])
def test_times_past_the_calendar_are_422(
    security_app: Flask, secworld: World, keeper: WorldKeeper, value: str, words: str
) -> None:
    admin = sign_in(security_app, secworld.user("admin"))
    before = snapshot()
    response = admin.post("/companies", json={"name": "Overflow Ltd", "joined_at": value})
    assert_refused(response, 422, "joined_at", words, code=VALIDATION)
    response = admin.patch(f"/companies/{secworld.a_id}", json={"joined_at": value})
    assert_refused(response, 422, "joined_at", words, code=VALIDATION)
    response = admin.post(f"/companies/{secworld.a_id}/share-links", json={"expires_at": value})
    assert_refused(response, 422, "expires_at", words, code=VALIDATION)
    assert snapshot() == before
    keeper.dirty = False
