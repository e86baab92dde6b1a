"""Session sign-in, CSRF, throttling and deactivation."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import User
from tests.conftest import PASSWORD, ApiClient


def _cookie(client: ApiClient, name: str = "mt_session"):
    return client.client.get_cookie(name)


def test_login_returns_user_and_csrf_and_sets_a_safe_cookie(factory, anon):
    coach = factory.coach(name="Casey")
    company = factory.company("Acme", coaches=[coach])
    response = anon.login(coach.email.upper())  # e-mail is case-insensitive
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == coach.id
    assert body["email"] == coach.email
    assert body["name"] == "Casey"
    assert body["role"] == "coach"
    assert body["company_ids"] == [company.id]
    assert body["active"] is True
    assert len(body["csrf_token"]) >= 32
    assert "password" not in body and "password_hash" not in body
    set_cookie = next(c for c in response.headers.getlist("Set-Cookie") if "mt_session=" in c)
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_me_requires_a_session(anon):
    response = anon.get("/auth/me")
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"
    assert response.get_json()["message"]


def test_member_me_lists_their_company(factory, client_for):
    member = factory.member()
    company = factory.company(members=[member])
    me = client_for(member).get("/auth/me").get_json()
    assert me["role"] == "member"
    assert me["company_ids"] == [company.id]


def test_bad_credentials_do_not_reveal_whether_the_account_exists(factory, anon):
    user = factory.coach()
    wrong_password = anon.login(user.email, "not-the-password")
    unknown = anon.login("nobody@example.test", "not-the-password")
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.get_json() == unknown.get_json()
    assert wrong_password.get_json()["message"] == "Incorrect e-mail or password."


def test_login_validation_errors(anon):
    missing = anon.post("/auth/login", json={"email": "a@b.test"})
    assert missing.status_code == 422
    assert "password" in missing.get_json()["errors"]["json"]
    extra = anon.post("/auth/login", json={"email": "a@b.test", "password": "x", "admin": True})
    assert extra.status_code == 422
    assert "admin" in extra.get_json()["errors"]["json"]
    not_json = anon.post("/auth/login", data="email=a", content_type="text/plain")
    assert not_json.status_code in (415, 422)
    assert not_json.get_json()["message"]


def test_throttling_after_five_failures_and_its_reset(factory, anon, time_machine):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    user = factory.coach()
    for _ in range(5):
        assert anon.login(user.email, "wrong-password").status_code == 401
    blocked = anon.login(user.email)  # even the right password is refused now
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == str(15 * 60)
    assert blocked.get_json()["code"] == "too_many_requests"
    # The same answer for an address that does not exist: nothing is revealed.
    for _ in range(5):
        anon.login("ghost@example.test", "wrong-password")
    ghost = anon.login("ghost@example.test", "wrong-password")
    assert ghost.status_code == 429
    assert ghost.get_json()["message"] == blocked.get_json()["message"]
    # Other accounts are unaffected.
    other = factory.coach()
    assert anon.login(other.email).status_code == 200

    time_machine.move_to(start + timedelta(minutes=10), tick=False)
    later = anon.login(user.email)
    assert later.status_code == 429
    assert later.headers["Retry-After"] == str(5 * 60)

    time_machine.move_to(start + timedelta(minutes=15, seconds=1), tick=False)
    assert anon.login(user.email, "wrong-password").status_code == 401
    assert anon.login(user.email).status_code == 200
    # A successful login clears the failures of that account: five more before a 429.
    for _ in range(5):
        assert anon.login(user.email, "wrong-password").status_code == 401
    assert anon.login(user.email).status_code == 429


def test_throttling_counts_the_failures_of_the_last_window(factory, anon, time_machine):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    user = factory.coach()
    for minute in (0, 5, 10, 11, 12):
        time_machine.move_to(start + timedelta(minutes=minute), tick=False)
        assert anon.login(user.email, "wrong-password").status_code == 401
    time_machine.move_to(start + timedelta(minutes=14), tick=False)
    blocked = anon.login(user.email)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == str(60)  # when the first failure leaves
    assert blocked.get_json()["errors"] == {"retry_after": 60}
    assert blocked.get_json()["message"] == (
        "Too many failed sign-in attempts. Try again in 1 minute(s)."
    )
    # a sliding window: one failure has left, four remain, one more is allowed
    time_machine.move_to(start + timedelta(minutes=15, seconds=1), tick=False)
    assert anon.login(user.email, "wrong-password").status_code == 401
    later = anon.login(user.email)
    assert later.status_code == 429
    assert later.headers["Retry-After"] == str(5 * 60 - 1)  # the failure at minute 5


def test_session_is_renewed_at_login(factory, anon):
    first = factory.coach()
    second = factory.coach()
    anon.login(first.email)
    old_cookie = _cookie(anon).value
    old_csrf = anon.csrf
    anon.login(second.email)
    assert _cookie(anon).value != old_cookie
    assert anon.csrf != old_csrf
    # The old CSRF token no longer works.
    response = anon.post("/auth/logout", headers={"X-CSRF-Token": old_csrf})
    assert response.status_code == 403
    assert anon.get("/auth/me").get_json()["id"] == second.id


def test_writes_need_the_csrf_header(factory, client_for):
    admin = factory.admin()
    client = client_for(admin)
    payload = {"name": "Acme"}
    missing = client.post("/companies", json=payload, headers={"X-CSRF-Token": ""})
    assert missing.status_code == 403
    assert missing.get_json()["code"] == "csrf_failed"
    forged = client.post("/companies", json=payload, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    assert client.get("/companies").get_json() == []
    ok = client.post("/companies", json=payload)
    assert ok.status_code == 201


def test_logout_ends_the_session(factory, client_for):
    client = client_for(factory.coach())
    assert client.post("/auth/logout").status_code == 204
    assert client.get("/auth/me").status_code == 401


def test_deactivated_user_cannot_log_in_and_their_session_stops(factory, client_for, anon):
    admin = factory.admin()
    member = factory.member()
    member_client = client_for(member)
    assert member_client.get("/auth/me").status_code == 200
    response = client_for(admin).patch(f"/users/{member.id}", json={"active": False})
    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert member_client.get("/auth/me").status_code == 401
    denied = anon.login(member.email, PASSWORD)
    assert denied.status_code == 401
    assert denied.get_json()["message"] == "Incorrect e-mail or password."
    # Reactivated, they can sign in again (with a new session).
    client_for(admin).patch(f"/users/{member.id}", json={"active": True})
    assert anon.login(member.email).status_code == 200
    assert member_client.get("/auth/me").status_code == 401


def test_passwords_are_hashed_with_argon2(factory):
    user = factory.coach()
    stored = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2")
    assert PASSWORD not in stored


def test_api_docs_are_served_without_a_cdn(anon):
    page = anon.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "script-src 'self' 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    bundle = anon.get("/api/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.get_data()) > 100_000
    spec = anon.get("/api/openapi.json").get_json()
    assert spec["info"]["title"] == "Milestone Tracker API"
    assert "/api/v1/auth/login" in spec["paths"]
