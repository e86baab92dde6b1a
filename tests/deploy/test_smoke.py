"""Smoke test of the production topology, every request through nginx.

One stack per module (scripts/stack.py): PostgreSQL, moto S3, aiosmtpd, gunicorn with two
workers, the notification worker and nginx with the repository's own config. The tests
share one scenario (a coach, a member, a stakeholder, one company) and run in file order.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from scripts.stack import ApiSession, Stack

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]  # the stack runs on PostgreSQL

SPA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# The smallest valid PNG (1x1): an allowed type, recognised by its content.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def assert_security_headers(response: requests.Response) -> None:
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", headers
    assert headers.get("X-Frame-Options") == "DENY", headers
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", headers
    assert headers.get("Content-Security-Policy") == SPA_CSP, headers
    assert "Strict-Transport-Security" not in headers  # plain http: no HSTS


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    coach = stack.create_user(f"coach-{tag}@example.test", "Cora Coach", "coach")
    member = stack.create_user(f"member-{tag}@example.test", "Milo Member", "member")
    company = stack.create_company(
        f"Acme {tag}", "Rockets", coaches=[coach["id"]], members=[member["id"]]
    )
    return {"coach": coach, "member": member, "company": company, "tag": tag}


@pytest.fixture(scope="module")
def coach_api(stack: Stack, world: dict[str, Any]) -> ApiSession:
    return stack.session(world["coach"]["email"])


def gunicorn_access_line(stack: Stack, request_id: str, timeout: float = 10) -> dict[str, Any]:
    """The JSON access-log line gunicorn wrote for the request with this id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in stack.log("gunicorn").splitlines():
            if request_id in line and '"gunicorn.access"' in line:
                entry: dict[str, Any] = json.loads(line)
                return entry
        time.sleep(0.1)
    raise AssertionError(f"no access line for {request_id}:\n{stack.log('gunicorn')[-3000:]}")


def test_health_and_readiness(stack: Stack) -> None:
    health = requests.get(f"{stack.base_url}/api/v1/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "checks": {"database": "ok"}}
    ready = requests.get(f"{stack.base_url}/api/v1/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert_security_headers(ready)
    assert len(ready.headers["X-Request-ID"]) == 32  # nginx's $request_id, echoed by the app


def test_spa_deep_link_serves_index_with_headers(stack: Stack) -> None:
    index = (stack.frontend_dist / "index.html").read_bytes()
    for path in ("/", "/companies/1", "/companies/1/milestones/value_baseline", "/login"):
        response = requests.get(stack.base_url + path, timeout=10)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.content == index, path
        assert response.headers["Cache-Control"] == "no-cache"
        assert_security_headers(response)


def test_hashed_assets_cached_long_and_gzipped(stack: Stack) -> None:
    assets = sorted(
        Path(stack.frontend_dist, "assets").glob("*.js"), key=lambda p: p.stat().st_size
    )
    asset = assets[-1]
    response = requests.get(
        f"{stack.base_url}/assets/{asset.name}", headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    assert response.status_code == 200
    assert response.content == asset.read_bytes()  # requests un-gzips transparently
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert_security_headers(response)
    missing = requests.get(f"{stack.base_url}/assets/missing-0000.js", timeout=10)
    assert missing.status_code == 404  # never index.html for a missing asset


def test_hsts_only_behind_tls(stack: Stack) -> None:
    response = requests.get(
        f"{stack.base_url}/api/v1/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=10
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_session_cookie_and_api_headers(stack: Stack, world: dict[str, Any]) -> None:
    anon = requests.get(f"{stack.base_url}/api/v1/companies", timeout=10)
    assert anon.status_code == 401
    assert anon.json()["code"] == "unauthorized"
    assert_security_headers(anon)

    api = ApiSession(stack.base_url)
    login = api.login(world["member"]["email"])
    assert login.status_code == 200, login.text
    assert login.json()["email"] == world["member"]["email"]
    cookie = next(c for c in api.cookies if c.name == "mt_session")
    assert cookie.secure is False  # SESSION_COOKIE_SECURE=false: loopback is plain http
    assert "httponly" in login.headers["Set-Cookie"].lower()
    companies = api.get("/api/v1/companies")
    assert companies.status_code == 200
    assert [c["name"] for c in companies.json()] == [world["company"]["name"]]
    assert_security_headers(companies)
    # The member cannot toggle: 403 through nginx as well.
    company_id = world["company"]["id"]
    refused = api.put(
        f"/api/v1/companies/{company_id}/milestones/value_baseline", json={"achieved": True}
    )
    assert refused.status_code == 403


def test_toggle_with_reason_keeps_etag_and_sends_mail(
    stack: Stack, world: dict[str, Any], coach_api: ApiSession
) -> None:
    company_id = world["company"]["id"]
    stakeholder_email = f"investor-{world['tag']}@example.test"
    added = coach_api.post(
        f"/api/v1/companies/{company_id}/stakeholders",
        json={"email": stakeholder_email, "name": "Ivy Investor"},
    )
    assert added.status_code == 201, added.text
    evidence = coach_api.post(
        f"/api/v1/companies/{company_id}/milestones/value_baseline/evidence",
        json={
            "evidence_type": "link",
            "title": "Value proposition",
            "url": "https://example.test/value-proposition",
        },
    )
    assert evidence.status_code == 201, evidence.text
    assert evidence.json()["evidence_type"] == "link"

    before = coach_api.get(f"/api/v1/companies/{company_id}/milestones")
    assert before.status_code == 200
    stale = before.json()["milestones"][0]["etag"]
    stack.clear_mail()

    toggled = coach_api.put(
        f"/api/v1/companies/{company_id}/milestones/value_baseline",
        json={"achieved": True, "reason": "Value proposition validated with pilots"},
        headers={"If-Match": stale, "Accept-Encoding": "gzip"},
    )
    assert toggled.status_code == 200, toggled.text
    body = toggled.json()
    assert body["milestone"] == "value_baseline"
    assert body["achieved"] is True
    assert body["achieved_at"]
    etag = toggled.headers["ETag"]
    assert not etag.startswith("W/")  # nginx neither gzipped the JSON nor weakened the ETag
    assert "Content-Encoding" not in toggled.headers
    assert etag != stale

    # The old ETag is stale now: 412 through nginx, nothing changes.
    refused = coach_api.put(
        f"/api/v1/companies/{company_id}/milestones/value_baseline",
        json={"achieved": False, "reason": "stale"},
        headers={"If-Match": stale},
    )
    assert refused.status_code == 412, refused.text

    history = coach_api.get(f"/api/v1/companies/{company_id}/history").json()
    toggles = [item for item in history if item["event"] == "toggled"]
    assert toggles[0]["reason"] == "Value proposition validated with pilots"
    assert toggles[0]["achieved"] is True

    # One mail per recipient (member, coach, stakeholder), delivered by the worker.
    recipients = {world["member"]["email"], world["coach"]["email"], stakeholder_email}
    mails = stack.wait_for_mail(3, timeout=30)
    assert {r for m in mails for r in m.recipients} == recipients
    assert all(len(m.recipients) == 1 for m in mails)
    for mail in mails:
        assert world["company"]["name"] in mail.subject
        assert "Value Baseline" in mail.subject
        assert stack.base_url in mail.text()  # PUBLIC_BASE_URL is the nginx URL
    to_stakeholder = next(m for m in mails if stakeholder_email in m.recipients)
    assert to_stakeholder.message["List-Unsubscribe"]


def test_document_upload_and_presigned_download(
    stack: Stack, world: dict[str, Any], coach_api: ApiSession
) -> None:
    company_id = world["company"]["id"]
    uploaded = coach_api.post(
        f"/api/v1/companies/{company_id}/milestones/first_customer/evidence",
        files={"file": ("signed-contract.png", PNG, "image/png")},
        data={"title": "Signed contract"},
    )
    assert uploaded.status_code == 201, uploaded.text
    item = uploaded.json()
    assert item["evidence_type"] == "document"
    assert item["attachment"]["size"] == len(PNG)
    assert item["attachment"]["filename"] == "signed-contract.png"

    download = coach_api.get(f"/api/v1/evidence/{item['id']}/download", allow_redirects=False)
    assert download.status_code == 302, download.text
    location = download.headers["Location"]
    assert location.startswith(stack.s3_endpoint_url + "/")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PNG
    assert fetched.headers["Content-Disposition"].startswith("attachment")


def test_forwarded_headers_trusted_from_nginx_only(stack: Stack) -> None:
    # Through nginx: a client's forged X-Forwarded-For is appended to, and the app trusts
    # one hop only, so it sees nginx's view of the client.
    via_nginx = uuid.uuid4().hex
    requests.get(
        f"{stack.base_url}/api/v1/healthz",
        headers={
            "X-Forwarded-For": "203.0.113.66",
            "X-Forwarded-Proto": "https",
            "X-Request-ID": via_nginx,
        },
        timeout=10,
    )
    line = gunicorn_access_line(stack, via_nginx)
    assert line["remote_addr"] == "127.0.0.1"
    assert line["host"] == f"127.0.0.1:{stack.nginx_port}"  # X-Forwarded-Host/Port
    assert line["scheme"] == "http"  # the forged https is not believed either
    # The proxy's own headers are believed (TRUST_PROXY_HOPS=1): as if nginx sent them.
    direct = uuid.uuid4().hex
    requests.get(
        f"{stack.api_url}/api/v1/healthz",
        headers={
            "X-Forwarded-For": "198.51.100.7",
            "X-Forwarded-Proto": "https",
            "X-Request-ID": direct,
        },
        timeout=10,
    )
    line = gunicorn_access_line(stack, direct)
    assert line["remote_addr"] == "198.51.100.7"
    assert line["scheme"] == "https"


def test_logs_are_json_with_request_ids(stack: Stack) -> None:
    lines = [line for line in stack.log("gunicorn").splitlines() if line.startswith("{")]
    assert lines
    access = [json.loads(line) for line in lines if '"gunicorn.access"' in line]
    assert access and all(len(entry["request_id"]) >= 16 for entry in access)


def test_api_down_answers_json_503(stack: Stack) -> None:
    # Last: stops gunicorn. nginx still serves the SPA and answers the API's error shape.
    stack.stop_process("gunicorn")
    response = requests.get(f"{stack.base_url}/api/v1/companies", timeout=10)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["code"] == "service_unavailable"
    assert response.headers["Retry-After"] == "5"
    assert_security_headers(response)
    assert requests.get(f"{stack.base_url}/companies/1", timeout=10).status_code == 200
