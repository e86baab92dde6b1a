"""Invitations and password resets: links from real mails, single use, expiring."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import OutboxMessage, PasswordToken, TokenPurpose, User
from tests.factories import Factory
from tests.fixtures.mail import SmtpServer, body_of

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
NEW_PASSWORD = "a-brand-new-password"
LINK = re.compile(r"http://app\.test/set-password\?token=([A-Za-z0-9_\-]+)")


def link_in(message: Any) -> str:
    text = body_of(message, "plain")
    html = body_of(message, "html")
    found = LINK.search(text)
    assert found, text
    assert f'href="{found.group(0)}"' in html
    return found.group(1)


def invite(client: Any, email: str = "newbie@acme.test") -> dict[str, Any]:
    response = client.post("/users", json={"email": email, "name": "New Bie", "role": "member"})
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def test_invitation_link_sets_password_once(
    factory: Factory, client_for: Any, anon: Any, deliver: Any, smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    admin = client_for(factory.admin())
    invite(admin)
    deliver()
    (message,) = smtp.messages
    assert message["To"] == "newbie@acme.test"
    assert message["Subject"] == "You are invited to Milestone Tracker"
    assert "until 11 May 2026, 08:00 UTC" in body_of(message, "plain")
    token = link_in(message)

    # No password yet: cannot sign in.
    assert anon.login("newbie@acme.test", NEW_PASSWORD).status_code == 401
    first = anon.post("/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert first.status_code == 204, first.get_json()
    assert anon.login("newbie@acme.test", NEW_PASSWORD).status_code == 200

    again = anon.post("/auth/password", json={"token": token, "password": "another-password-1"})
    assert again.status_code == 400
    assert again.get_json()["code"] == "token_used"
    assert client_for_login(anon, "newbie@acme.test", NEW_PASSWORD) == 200


def client_for_login(client: Any, email: str, password: str) -> int:
    return int(client.login(email, password).status_code)


def test_invitation_expires(
    factory: Factory, client_for: Any, anon: Any, deliver: Any, smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    invite(client_for(factory.admin()))
    deliver()
    token = link_in(smtp.messages[0])
    time_machine.move_to(T0 + timedelta(days=7, seconds=1), tick=False)
    response = anon.post("/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.get_json()["code"] == "token_expired"
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "newbie@acme.test"))
    assert user is not None and user.password_hash is None


def test_reset_link_works_once_and_ends_sessions(
    factory: Factory, client_for: Any, anon: Any, deliver: Any, smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    user = factory.coach(email="coach@acme.test")
    signed_in = client_for(user)
    assert signed_in.get("/auth/me").status_code == 200

    requested = anon.post("/auth/password-reset", json={"email": " Coach@ACME.test "})
    assert requested.status_code == 202
    deliver()
    (message,) = smtp.messages
    assert message["To"] == "coach@acme.test"
    assert message["Subject"] == "Reset your Milestone Tracker password"
    assert "until 04 May 2026, 09:00 UTC" in body_of(message, "plain")
    token = link_in(message)

    time_machine.move_to(T0 + timedelta(minutes=59), tick=False)
    done = anon.post("/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 204
    assert anon.login("coach@acme.test", "correct-horse-battery").status_code == 401
    assert anon.login("coach@acme.test", NEW_PASSWORD).status_code == 200
    assert signed_in.get("/auth/me").status_code == 401  # old sessions end
    reused = anon.post("/auth/password", json={"token": token, "password": "yet-another-pass"})
    assert reused.status_code == 400 and reused.get_json()["code"] == "token_used"


def test_reset_link_expires_after_an_hour(
    factory: Factory, anon: Any, deliver: Any, smtp: SmtpServer, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    factory.member(email="m@acme.test")
    anon.post("/auth/password-reset", json={"email": "m@acme.test"})
    deliver()
    token = link_in(smtp.messages[0])
    time_machine.move_to(T0 + timedelta(minutes=60), tick=False)
    response = anon.post("/auth/password", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 400 and response.get_json()["code"] == "token_expired"
    assert anon.login("m@acme.test", "correct-horse-battery").status_code == 200


def test_a_new_password_voids_other_outstanding_links(
    factory: Factory, anon: Any, deliver: Any, smtp: SmtpServer
) -> None:
    factory.member(email="m@acme.test")
    anon.post("/auth/password-reset", json={"email": "m@acme.test"})
    anon.post("/auth/password-reset", json={"email": "m@acme.test"})
    deliver()
    first, second = (link_in(m) for m in smtp.messages)
    assert first != second
    assert (
        anon.post("/auth/password", json={"token": second, "password": NEW_PASSWORD}).status_code
        == 204
    )
    older = anon.post("/auth/password", json={"token": first, "password": "other-password-9"})
    assert older.status_code == 400 and older.get_json()["code"] == "token_used"


def test_reset_answers_the_same_for_unknown_and_inactive_addresses(
    factory: Factory, client_for: Any, anon: Any
) -> None:
    factory.member(email="known@acme.test")
    gone = factory.member(email="gone@acme.test")
    client_for(factory.admin()).patch(f"/users/{gone.id}", json={"active": False})
    answers = [
        anon.post("/auth/password-reset", json={"email": email})
        for email in ("known@acme.test", "nobody@acme.test", "gone@acme.test")
    ]
    assert {r.status_code for r in answers} == {202}
    assert len({r.get_data() for r in answers}) == 1
    assert "If an account uses this address" in answers[0].get_json()["message"]
    assert {r.headers.get("Content-Type") for r in answers} == {
        answers[0].headers.get("Content-Type")
    }
    rows = db.session.scalars(sa.select(OutboxMessage.recipient)).all()
    assert rows == ["known@acme.test"]


def test_reset_is_lightly_throttled_per_account(
    factory: Factory, anon: Any, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    factory.member(email="m@acme.test")
    for _ in range(5):
        assert anon.post("/auth/password-reset", json={"email": "m@acme.test"}).status_code == 202
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3
    time_machine.move_to(T0 + timedelta(hours=1, seconds=1), tick=False)
    assert anon.post("/auth/password-reset", json={"email": "m@acme.test"}).status_code == 202
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 4


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"token": "forged-token-value", "password": NEW_PASSWORD}, 400, "invalid_token"),
        ({"token": "x" * 300, "password": NEW_PASSWORD}, 422, None),
        ({"token": "abc", "password": "short"}, 422, None),
        ({"password": NEW_PASSWORD}, 422, None),
        ({"token": "abc", "password": NEW_PASSWORD, "extra": 1}, 422, None),
    ],
)
def test_bad_set_password_requests(
    app: Any, anon: Any, body: dict[str, Any], status: int, code: str | None
) -> None:
    response = anon.post("/auth/password", json=body)
    assert response.status_code == status
    payload = response.get_json()
    assert payload["message"]
    if code:
        assert payload["code"] == code


def test_tokens_are_stored_hashed(
    factory: Factory, anon: Any, deliver: Any, smtp: SmtpServer
) -> None:
    factory.member(email="m@acme.test")
    anon.post("/auth/password-reset", json={"email": "m@acme.test"})
    deliver()
    token = link_in(smtp.messages[0])
    (row,) = db.session.scalars(sa.select(PasswordToken)).all()
    assert row.purpose == TokenPurpose.PASSWORD_RESET
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_password_routes_need_no_session_or_csrf(anon: Any, app: Any) -> None:
    assert anon.post("/auth/password-reset", json={"email": "x@y.test"}).status_code == 202
    assert anon.post("/auth/password-reset", json={"email": ""}).status_code == 422
