"""A small, fixed world for the security suite: two companies (A and B), one person per role
and relation, and one of every resource in company A, each marked so a leak is visible.

Rows are written through the shared builder (milestones.seeds.factory; fast: one password
hash for everyone, no dependence on routes still being written); sessions are opened by
writing the Flask-Login identity into the cookie, as a login would, so each test costs a
few inserts and no argon2 round.
"""

from __future__ import annotations

import contextvars
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from flask import Flask

from milestones.auth.passwords import hash_password
from milestones.catalogue import KEYS
from milestones.extensions import db
from milestones.models import (
    Cohort,
    Company,
    EvidenceType,
    HistoryEventType,
    OutboxMessage,
    OutboxPayload,
    OutboxStatus,
    PasswordToken,
    ReviewStatus,
    Role,
    ShareLink,
    TaskStatus,
    TokenPurpose,
    User,
    Webhook,
    WebhookDelivery,
)
from milestones.seeds.factory import Builder
from milestones.timeutil import utcnow
from tests.conftest import PASSWORD, ApiClient

# Every string that belongs to company A carries this marker (checked case-insensitively).
MARKER = "aardvark"
ROLES = ("anonymous", "member_a", "member_b", "coach_a", "coach_b", "admin")
OUTSIDERS = ("anonymous", "member_b", "coach_b")  # may not see company A


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    identity: str  # what Flask-Login keeps in the session


@dataclass
class World:
    """Plain values only, so a world outlives the session that built it."""

    a_id: int
    b_id: int
    users: dict[str, Person]  # role name -> person, plus spare_* people
    ids: dict[str, int] = field(default_factory=dict)  # resource name -> id (in company A)
    tokens: dict[str, str] = field(default_factory=dict)  # raw single-use tokens

    def user(self, role: str) -> Person:
        return self.users[role]


def build_world() -> World:
    """Commit the world and return it (ids loaded, objects usable in the test's session)."""
    build = Builder()

    def user(name: str, role: Role, email: str) -> User:
        return build.user(role, email=email, name=name, password_hash=_password_hash())

    people = {
        "admin": user("Ada Admin", Role.ADMIN, "admin@example.test"),
        "coach_a": user("Cora Coach-Aardvark", Role.COACH, "coach.aardvark@example.test"),
        "coach_b": user("Carl Coach-B", Role.COACH, "coach.b@example.test"),
        "member_a": user("Mia Aardvark-Member", Role.MEMBER, "member.aardvark@example.test"),
        "member_b": user("Max Member-B", Role.MEMBER, "member.b@example.test"),
        "spare_coach": user("Sam Spare-Coach", Role.COACH, "spare.coach@example.test"),
        "spare_member": user("Sue Spare-Member", Role.MEMBER, "spare.member@example.test"),
    }
    joined = utcnow() - timedelta(days=30)
    a = build.company(
        "Aardvark Secret Labs",
        description="Aardvark: contracts and revenue",
        joined_at=joined,
        coaches=[people["coach_a"]],
        members=[people["member_a"]],
    )
    b = build.company(
        "Beta Widgets",
        description="B's own description",
        joined_at=joined,
        coaches=[people["coach_b"]],
        members=[people["member_b"]],
    )
    world = World(
        a_id=a.id,
        b_id=b.id,
        users={k: Person(u.id, u.email, u.get_id()) for k, u in people.items()},
    )
    for company, tag in ((a, "Aardvark"), (b, "Beta")):
        _resources(build, world, company, tag, primary=company is a)
    _cohorts(world, a, b)
    db.session.commit()
    return world


def _cohorts(world: World, a: Company, b: Company) -> None:
    """A's cohort (its name marked: B's people must not see it), B's, and an empty one."""
    made = {
        "cohort_a": Cohort(name="Aardvark intake 2026", starts_on=date(2026, 1, 5)),
        "cohort_b": Cohort(name="Beta intake 2026", starts_on=date(2026, 1, 5)),
        "cohort_empty": Cohort(name="Empty intake", starts_on=date(2027, 1, 4)),
    }
    db.session.add_all(made.values())
    db.session.flush()
    a.cohort_id, b.cohort_id = made["cohort_a"].id, made["cohort_b"].id
    world.ids.update({name: cohort.id for name, cohort in made.items()})


def _resources(build: Builder, world: World, company: Company, tag: str, *, primary: bool) -> None:
    coach = world.users["coach_a" if primary else "coach_b"]
    member = world.users["member_a" if primary else "member_b"]
    now = utcnow()
    first = KEYS[0]
    link = build.evidence(
        company, first, now, author=coach, title=f"{tag} signed term sheet",
        description=f"{tag} confidential", url=f"https://{tag.lower()}.example.test/term-sheet",
    )  # fmt: skip
    metric = build.evidence(
        company, first, now, author=coach, kind=EvidenceType.METRIC,
        title=f"{tag} monthly revenue", metric=(12345.0, "EUR", None),
    )  # fmt: skip
    proposed = build.evidence(
        company, first, now, author=member, title=f"{tag} proposed invoice",
        url=f"https://{tag.lower()}.example.test/invoice", review_status=ReviewStatus.PROPOSED,
    )  # fmt: skip
    task_open = build.task(
        company, first, created=now, author=coach, title=f"{tag} open task",
        description=f"{tag} task details",
    )  # fmt: skip
    task_submitted = build.task(
        company, first, TaskStatus.SUBMITTED, now, author=coach, title=f"{tag} submitted task",
        submitted_by=member,
    )  # fmt: skip
    update = build.update(
        company, first, created=now, author=member, body=f"{tag} progress update body"
    )
    stakeholder = build.stakeholder(
        company, f"investor.{tag.lower()}@example.test", name=f"{tag} VC"
    )
    payload = OutboxPayload(
        kind="milestone_changed",
        subject=f"{tag} reached Value Baseline",
        body_text=f"{tag} mail body",
        company_id=company.id,
    )
    db.session.add(payload)
    db.session.flush()
    outbox = OutboxMessage(
        payload_id=payload.id,
        recipient=f"investor.{tag.lower()}@example.test",
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="SMTP down",
    )
    db.session.add(outbox)
    db.session.flush()
    build.history(
        company, first, HistoryEventType.EVIDENCE_ADDED, coach, now,
        reason=f"{tag} evidence added", evidence_id=link.id,
    )  # fmt: skip
    if primary:
        world.ids.update(
            company=company.id,
            evidence_link=link.id,
            evidence_metric=metric.id,
            evidence_proposed=proposed.id,
            task_open=task_open.id,
            task_submitted=task_submitted.id,
            update_pending=update.id,
            stakeholder=stakeholder.id,
            outbox_failed=outbox.id,
        )
        raw = secrets.token_urlsafe(32)
        db.session.add(
            PasswordToken(
                user_id=member.id,
                purpose=TokenPurpose.PASSWORD_RESET,
                token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                expires_at=now + timedelta(hours=1),
            )
        )
        world.tokens["password_reset"] = raw
        _sharing_and_webhooks(world, company, coach.id)


def _sharing_and_webhooks(world: World, company: Company, coach_id: int) -> None:
    """A share link of company A (its token kept) and a webhook with one delivery."""
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        company_id=company.id,
        label="Aardvark board link",
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by_id=coach_id,
    )
    webhook = Webhook(
        url="https://hooks.example.test/in",
        event_types=" milestone.achieved ",
        description="CRM",
        secret="whsec_" + "A" * 32,
    )
    db.session.add_all([link, webhook])
    db.session.flush()
    delivery = WebhookDelivery(webhook_id=webhook.id, event_id="evt_1", type="x", body="{}")
    db.session.add(delivery)
    db.session.flush()
    world.tokens["share"] = token
    world.ids.update(share_link=link.id, webhook=webhook.id, delivery=delivery.id)


def sign_in(app: Flask, user: Person | None) -> ApiClient:
    """An ApiClient with the user's session cookie and CSRF token (None: anonymous)."""
    client = ApiClient(app.test_client())
    if user is None:
        return client
    token = secrets.token_urlsafe(16)
    identity = user.identity

    def write() -> None:
        with client.client.session_transaction() as session:
            session["_user_id"] = identity
            session["_fresh"] = True
            session["csrf_token"] = token

    contextvars.Context().run(write)
    client.csrf = token
    return client


def clients(app: Flask, world: World) -> dict[str, ApiClient]:
    return {role: sign_in(app, None if role == "anonymous" else world.user(role)) for role in ROLES}


def leaks(body: bytes, world: World) -> list[str]:
    """What of company A's data a response body shows (empty when nothing)."""
    found: list[str] = []
    text = body.decode("utf-8", "replace")
    if MARKER in text.lower():
        at = text.lower().index(MARKER)
        found.append(f"marker {MARKER!r} in ...{text[max(0, at - 60) : at + 60]}...")
    try:
        import json

        data: Any = json.loads(text) if text.strip() else None
    except ValueError:
        return found
    a_id = world.a_id

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            if value.get("company_id") == a_id:
                found.append(f"{path}.company_id == {a_id}")
            if a_id in (value.get("company_ids") or []):
                found.append(f"{path}.company_ids holds {a_id}")
            for key, sub in value.items():
                walk(sub, f"{path}.{key}")
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(sub, f"{path}[{i}]")

    walk(data, "$")
    return found
