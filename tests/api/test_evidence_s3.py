"""Evidence documents against a real S3 server (moto's ThreadedMotoServer on 127.0.0.1)."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Attachment, Evidence, HistoryEvent
from tests.fixtures.storage import S3_BUCKET, MotoServer

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"

pytestmark = pytest.mark.usefixtures("empty_bucket")


def upload(client, world, content, filename, key="value_baseline", **fields):
    return client.post(
        f"/companies/{world.cid}/milestones/{key}/evidence",
        data={"file": (io.BytesIO(content), filename), **fields},
        content_type="multipart/form-data",
    )


def rows(model) -> int:
    db.session.expire_all()
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_upload_list_download_and_remove(world, s3_client_for, s3, s3_objects):
    coach = s3_client_for(world.coach)
    r = upload(coach, world, PDF, "Déjà vu report.pdf", title="Customer report")
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert item["attachment"] == {
        "filename": "Déjà vu report.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }
    objects = s3_objects()
    assert len(objects) == 1
    key, stored = next(iter(objects.items()))
    assert stored == PDF
    assert key.startswith(f"evidence/{world.cid}/")
    assert "report" not in key
    head = s3.head_object(Bucket=S3_BUCKET, Key=key)
    assert head["ContentType"] == "application/pdf"
    db.session.expire_all()
    assert db.session.scalar(sa.select(Attachment.storage_key)) == key

    member = s3_client_for(world.member)
    listed = member.get(f"/companies/{world.cid}/milestones/value_baseline/evidence")
    assert [(e["id"], e["title"]) for e in listed.get_json()] == [(item["id"], "Customer report")]

    r = member.get(f"/evidence/{item['id']}/download")
    assert r.status_code == 302
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    location = r.headers["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == s3.meta.endpoint_url
    assert parts.path == f"/{S3_BUCKET}/{key}"  # path-style addressing
    query = parse_qs(parts.query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''D%C3%A9j%C3%A0%20vu%20report.pdf" in disposition

    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert fetched.headers["Content-Type"] == "application/pdf"

    # an outsider cannot get a link
    assert (
        s3_client_for(world.other_coach).get(f"/evidence/{item['id']}/download").status_code == 404
    )

    r = coach.delete(f"/evidence/{item['id']}")
    assert r.status_code == 204
    assert coach.get(f"/companies/{world.cid}/milestones/value_baseline/evidence").get_json() == []
    assert coach.get(f"/evidence/{item['id']}/download").status_code == 404
    assert s3_objects() == {key: PDF}  # soft removal keeps the file for the history
    history = coach.get(f"/companies/{world.cid}/history").get_json()
    assert [(h["event"], h["evidence_id"]) for h in history] == [
        ("evidence_removed", item["id"]),
        ("evidence_added", item["id"]),
    ]


def test_multipart_upload_of_a_large_file(world, s3_client_for, s3_objects):
    content = PDF + b"x" * (9 * 1024 * 1024)  # over the 8 MB part size
    r = upload(s3_client_for(world.coach), world, content, "big.pdf")
    assert r.status_code == 201, r.get_json()
    assert list(s3_objects().values()) == [content]


def test_refusals_store_nothing(world, s3_client_for, s3_objects, s3_app, monkeypatch):
    coach = s3_client_for(world.coach)
    r = upload(coach, world, b"<html><script>alert(1)</script></html>", "invoice.pdf")
    assert r.status_code == 415
    assert "not allowed" in r.get_json()["message"]
    monkeypatch.setitem(s3_app.config, "MAX_UPLOAD_MB", 1)
    r = upload(coach, world, PDF + b"0" * (1024 * 1024), "big.pdf")
    assert r.status_code == 413
    assert r.get_json()["message"] == "The file is larger than the 1 MB limit."
    r = upload(s3_client_for(world.admin), world, PDF, "a.pdf")  # admins add no evidence
    assert r.status_code == 403
    assert s3_objects() == {}
    assert rows(Evidence) == 0


def test_storage_down_is_503_and_writes_no_row(world, s3_client_for, s3_app, monkeypatch):
    dead = MotoServer()
    dead.start()
    monkeypatch.setitem(s3_app.config, "S3_ENDPOINT_URL", dead.endpoint)
    coach = s3_client_for(world.coach)
    assert upload(coach, world, PDF, "ok.pdf").status_code == 201  # it works while up
    dead.stop()

    r = upload(coach, world, PDF, "down.pdf")
    assert r.status_code == 503
    assert r.get_json() == {
        "code": "storage_unavailable",
        "status": 503,
        "message": "File storage is not reachable; try again shortly.",
    }
    assert r.headers["Retry-After"] == "5"
    assert rows(Evidence) == 1
    assert rows(Attachment) == 1
    assert rows(HistoryEvent) == 1

    with s3_app.app_context():
        from milestones import storage

        with pytest.raises(storage.StorageUnavailable):
            storage.check()


def test_database_failure_after_upload_deletes_the_object(
    world, s3_client_for, s3_objects, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from milestones.services import evidence as evidence_service

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database went away"))

    monkeypatch.setattr(evidence_service, "_record", broken)
    r = upload(s3_client_for(world.coach), world, PDF, "a.pdf")
    assert r.status_code == 503
    assert r.get_json()["code"] == "database_unavailable"
    assert s3_objects() == {}
    assert rows(Evidence) == 0
    assert rows(Attachment) == 0
