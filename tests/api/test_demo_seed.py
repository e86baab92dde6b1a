"""`milestones seed demo` (what `make run` loads): a demo that looks alive today, the
same after a second run, its documents readable through the storage backend."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from milestones import catalogue
from milestones.extensions import db
from milestones.models import (
    Attachment,
    CoachAssignment,
    Company,
    Evidence,
    HistoryEvent,
    Membership,
    ProgressUpdate,
    Stakeholder,
    Task,
    TaskReview,
    User,
)
from milestones.seeds.demo import PASSWORD
from milestones.storage import get_storage
from tests.conftest import ApiClient

TABLES = (
    User, Company, CoachAssignment, Membership, Task, TaskReview, ProgressUpdate, Evidence,
    Attachment, HistoryEvent, Stakeholder,
)  # fmt: skip


def _counts() -> dict[str, int]:
    return {
        m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in TABLES
    }


def _seed(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_is_seeded_once_and_a_second_run_changes_nothing(app):
    output = _seed(app)
    for email in (
        "admin@demo.test", "coach@demo.test", "coach2@demo.test", "founder@demo.test",
        "member@demo.test",
    ):  # fmt: skip
        assert email in output
    assert PASSWORD in output
    counts = _counts()
    assert counts["companies"] == 12
    assert counts["users"] == 15  # admin, two coaches, a member per company
    assert counts["coach_assignments"] == 13  # Kestrel Drones has both coaches
    assert counts["memberships"] == 12
    assert counts["stakeholders"] == 5
    kinds = {
        f"{kind}:{review}": n
        for kind, review, n in db.session.execute(
            sa.select(Evidence.evidence_type, Evidence.review_status, sa.func.count()).group_by(
                Evidence.evidence_type, Evidence.review_status
            )
        )
    }
    assert kinds == {
        "link:accepted": 8,
        "document:accepted": 19,
        "metric:accepted": 27,
        "link:proposed": 5,
    }
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Evidence.metric_key.is_not(None))) == 27
    )
    assert _seed(app) == output
    db.session.expire_all()
    assert _counts() == counts


def test_the_portfolio_has_every_stage_and_some_stalled_companies(app, anon):
    _seed(app)
    assert anon.login("admin@demo.test", PASSWORD).status_code == 200
    rows = anon.get("/portfolio?page_size=100").get_json()
    assert len(rows) == 12
    stages = {row["current_milestone"] for row in rows}
    assert stages == {*catalogue.KEYS, None}  # every milestone, and finished companies
    stalled = sorted(row["name"] for row in rows if "stalled" in row["attention"])
    assert stalled == ["Birch Health", "Granite Security", "Indigo Learning", "Juniper Bio"]
    assert [row["name"] for row in rows if "inactive" in row["attention"]] == ["Granite Security"]
    assert sum(not row["attention"] for row in rows) >= 4
    days = sorted(row["days_in_milestone"] for row in rows if row["current_milestone"])
    assert days[0] <= 8 and days[-1] >= 90  # fast and clearly stuck


def test_the_two_coaches_have_their_own_portfolios(app):
    _seed(app)
    seen = {}
    for email in ("coach@demo.test", "coach2@demo.test"):
        client = ApiClient(app.test_client())
        assert client.login(email, PASSWORD).status_code == 200
        seen[email] = {row["name"] for row in client.get("/portfolio").get_json()}
    assert len(seen["coach@demo.test"]) == 6
    assert len(seen["coach2@demo.test"]) == 7
    assert seen["coach@demo.test"] & seen["coach2@demo.test"] == {"Kestrel Drones"}


def test_reviews_wait_for_different_ages(app, anon):
    _seed(app)
    assert anon.login("admin@demo.test", PASSWORD).status_code == 200
    items = anon.get("/reviews/pending?page_size=200").get_json()
    assert {item["kind"] for item in items} == {"task", "update", "evidence"}
    ages = {item["age_days"] for item in items}
    assert min(ages) <= 1 and max(ages) >= 30
    assert len(ages) >= 8


def test_the_trends_and_analytics_have_data(app, anon):
    _seed(app)
    assert anon.login("coach@demo.test", PASSWORD).status_code == 200
    acme = db.session.scalar(sa.select(Company.id).where(Company.name == "Acme Analytics"))
    trend = anon.get(f"/companies/{acme}/metrics").get_json()["trend"]
    assert len(trend) == 12
    active = [w for w in trend if w["completed_tasks"] or w["approved_updates"]]
    assert len(active) >= 6
    assert trend[-1]["approved_updates"] + trend[-2]["approved_updates"] >= 1  # recent
    analytics = anon.get("/analytics/milestones").get_json()["milestones"]
    medians = [m["median_days"] for m in analytics]
    assert all(m is not None for m in medians[:3])


def test_the_documents_are_stored_and_readable(app, anon):
    _seed(app)
    attachments = db.session.scalars(sa.select(Attachment)).all()
    assert {a.content_type for a in attachments} == {"application/pdf", "image/png"}
    storage = get_storage()
    for attachment in attachments:
        with storage.open(attachment.storage_key) as stream:
            data = stream.read()
        assert len(data) == attachment.size
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        magic = b"%PDF-1.4" if attachment.content_type == "application/pdf" else b"\x89PNG"
        assert data.startswith(magic), attachment.filename
    assert anon.login("coach@demo.test", PASSWORD).status_code == 200
    evidence = db.session.scalars(
        sa.select(Evidence)
        .join(CoachAssignment, CoachAssignment.company_id == Evidence.company_id)
        .join(User, User.id == CoachAssignment.user_id)
        .where(User.email == "coach@demo.test", Evidence.attachment_id.is_not(None))
    ).first()
    assert evidence is not None
    download = anon.get(f"/evidence/{evidence.id}/download")
    assert download.status_code == 200
    assert download.data.startswith((b"%PDF-1.4", b"\x89PNG"))
