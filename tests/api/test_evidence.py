"""Evidence with the default local storage: links, metrics, documents, removal, download."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Attachment, Evidence, HistoryEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
OOXML = "application/vnd.openxmlformats-officedocument."


def url(world, key="value_baseline"):
    return f"/companies/{world.cid}/milestones/{key}/evidence"


def upload(client, world, content, filename, key="value_baseline", **fields):
    data = {"file": (io.BytesIO(content), filename), **fields}
    return client.post(url(world, key), data=data, content_type="multipart/form-data")


def count(model) -> int:
    db.session.expire_all()
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def office_zip(kind: str) -> bytes:
    folder, main = {
        "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
        "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
        "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
    }[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/x" ContentType='
            f'"application/vnd.openxmlformats-officedocument.{main}"/></Types>',
        )
        z.writestr(folder, "<x/>")
    return buf.getvalue()


# --- link and metric ---------------------------------------------------------------------


def test_link_evidence_created_listed_and_recorded(world):
    r = world.as_coach.post(
        url(world),
        json={
            "evidence_type": "link",
            "title": "  Value proposition doc ",
            "description": "Reviewed\nwith the founders",
            "url": "https://docs.example.com/vp",
            "criterion": "value_proposition",
        },
    )
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert item["title"] == "Value proposition doc"
    assert item["milestone"] == "value_baseline"
    assert item["evidence_type"] == "link"
    assert item["url"] == "https://docs.example.com/vp"
    assert item["criterion"] == "value_proposition"
    assert item["attachment"] is None
    assert item["metric_value"] is None
    assert item["created_by"] == world.coach.id
    assert item["created_at"].endswith("+00:00")

    listed = world.client(world.member).get(url(world))
    assert listed.status_code == 200
    assert [e["id"] for e in listed.get_json()] == [item["id"]]
    assert world.as_coach.get(url(world, "first_customer")).get_json() == []

    history = world.as_coach.get(f"/companies/{world.cid}/history").get_json()
    assert [(h["event"], h["evidence_id"]) for h in history] == [("evidence_added", item["id"])]


def test_metric_evidence(world):
    r = world.as_coach.post(
        url(world, "first_customer"),
        json={
            "evidence_type": "metric",
            "title": "First invoice",
            "metric_value": 1250.5,
            "metric_unit": "EUR",
            "criterion": "payment_received",
        },
    )
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert (item["metric_value"], item["metric_unit"]) == (1250.5, "EUR")
    assert item["url"] is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"evidence_type": "link", "title": "x", "url": "javascript:alert(1)"},
            "url",
            "Must be an http or https URL.",
        ),
        (
            {"evidence_type": "link", "title": "x", "url": "ftp://example.com/a"},
            "url",
            "Must be an http or https URL.",
        ),
        ({"evidence_type": "link", "title": "x"}, "url", "Required for link evidence."),
        (
            {"evidence_type": "metric", "title": "x", "metric_value": "lots"},
            "metric_value",
            "Not a valid number.",
        ),
        (
            {"evidence_type": "metric", "title": "x", "metric_value": True},
            "metric_value",
            "Not a valid number.",
        ),
        (
            {"evidence_type": "metric", "title": "x", "metric_value": "NaN"},
            "metric_value",
            "Special numeric values (nan or infinity) are not permitted.",
        ),
        (
            {"evidence_type": "metric", "title": "x"},
            "metric_value",
            "Required for metric evidence.",
        ),
        (
            {
                "evidence_type": "link",
                "title": "x",
                "url": "https://example.com/a",
                "metric_value": 3,
            },
            "metric_value",
            "Only for metric evidence.",
        ),
        (
            {"evidence_type": "link", "title": "", "url": "https://example.com/a"},
            "title",
            "Must not be blank.",
        ),
        (
            {
                "evidence_type": "link",
                "title": "x",
                "url": "https://example.com/a",
                "colour": "red",
            },
            "colour",
            "Unknown field.",
        ),
        ({"evidence_type": "video", "title": "x"}, "evidence_type", None),
    ],
)
def test_invalid_bodies_are_refused(world, body, field, message):
    r = world.as_coach.post(url(world), json=body)
    assert r.status_code == 422, r.get_json()
    errors = r.get_json()["errors"]["json"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert f"json.{field}" in r.get_json()["message"]
    assert count(Evidence) == 0


def test_criterion_must_belong_to_the_milestone(world):
    r = world.as_coach.post(
        url(world),
        json={
            "evidence_type": "link",
            "title": "x",
            "url": "https://example.com/a",
            "criterion": "signed_contract",
        },
    )
    assert r.status_code == 422
    body = r.get_json()
    assert body["message"].startswith(
        "'signed_contract' is not a criterion of Value Baseline; expected one of "
        "value_proposition, target_market"
    )
    assert "criterion" in body["errors"]["json"]
    assert count(Evidence) == 0


def test_document_type_needs_multipart(world):
    r = world.as_coach.post(url(world), json={"evidence_type": "document", "title": "x"})
    assert r.status_code == 422
    assert "multipart" in r.get_json()["message"]
    r = world.as_coach.post(url(world), data="hello", content_type="text/plain")
    assert r.status_code == 415


def test_unknown_milestone_is_404(world):
    r = world.as_coach.get(url(world, "unicorn"))
    assert r.status_code == 404
    r = world.as_coach.post(
        url(world, "unicorn"),
        json={"evidence_type": "link", "title": "x", "url": "https://example.com/a"},
    )
    assert r.status_code == 404


def test_admins_neither_add_nor_remove(world):
    body = {"evidence_type": "link", "title": "x", "url": "https://example.com/a"}
    r = world.client(world.admin).post(url(world), json=body)
    assert r.status_code == 403
    assert r.get_json()["message"] == "Only the company's coaches and members can add evidence."
    r = upload(world.client(world.admin), world, PDF, "a.pdf")
    assert r.status_code == 403
    item = world.link("value_baseline")
    r = world.client(world.admin).delete(f"/evidence/{item['id']}")
    assert r.status_code == 403
    assert count(Evidence) == 1
    # but they can read it
    assert [e["id"] for e in world.client(world.admin).get(url(world)).get_json()] == [item["id"]]


def test_members_propose_but_remove_only_their_own_proposals(world):
    item = world.link("value_baseline")
    member = world.client(world.member)
    r = member.delete(f"/evidence/{item['id']}")
    assert r.status_code == 403
    r = upload(member, world, PDF, "a.pdf")
    assert r.status_code == 201
    assert r.get_json()["review_status"] == "proposed"
    assert count(Evidence) == 2


def test_invisible_company_is_404(world):
    item = world.link("value_baseline")
    other = world.client(world.other_coach)
    body = {"evidence_type": "link", "title": "x", "url": "https://example.com/a"}
    for r in (
        other.get(url(world)),
        other.post(url(world), json=body),
        other.delete(f"/evidence/{item['id']}"),
        other.get(f"/evidence/{item['id']}/download"),
    ):
        assert r.status_code == 404
        assert r.get_json()["code"] == "not_found"
    assert count(Evidence) == 1


# --- removal -------------------------------------------------------------------------------


def test_soft_removal(world, time_machine):
    first = world.link("value_baseline", title="First")
    second = world.link("value_baseline", title="Second")
    r = world.as_coach.delete(f"/evidence/{first['id']}")
    assert r.status_code == 204
    assert [e["id"] for e in world.as_coach.get(url(world)).get_json()] == [second["id"]]
    db.session.expire_all()
    row = db.session.get(Evidence, first["id"])
    assert row.removed_at is not None
    assert row.removed_by_id == world.coach.id
    history = world.as_coach.get(f"/companies/{world.cid}/history").get_json()
    assert (history[0]["event"], history[0]["evidence_id"]) == ("evidence_removed", first["id"])
    assert history[0]["evidence_title"] == "First"

    r = world.as_coach.delete(f"/evidence/{first['id']}")
    assert r.status_code == 404
    assert world.as_coach.delete("/evidence/999999").status_code == 404


def test_last_evidence_of_an_achieved_milestone_stays(world):
    world.achieve("value_baseline")
    only = world.as_coach.get(url(world)).get_json()[0]
    r = world.as_coach.delete(f"/evidence/{only['id']}")
    assert r.status_code == 409
    body = r.get_json()
    assert body["code"] == "last_evidence"
    assert "last evidence of Value Baseline" in body["message"]
    assert len(world.as_coach.get(url(world)).get_json()) == 1

    extra = world.link("value_baseline", title="Extra")
    assert world.as_coach.delete(f"/evidence/{only['id']}").status_code == 204
    assert world.as_coach.delete(f"/evidence/{extra['id']}").status_code == 409

    assert world.toggle("value_baseline", False, reason="Redo").status_code == 200
    assert world.as_coach.delete(f"/evidence/{extra['id']}").status_code == 204
    assert count(HistoryEvent) == 6  # 2 added, 2 removed, 2 toggles


# --- documents (local storage) --------------------------------------------------------------


def test_document_upload_and_streamed_download(world, upload_dir):
    before = set(stored_files(upload_dir))
    r = upload(
        world.as_coach,
        world,
        PDF,
        "Contract (signed).pdf",
        key="first_customer",
        title="Signed contract",
        criterion="signed_contract",
    )
    assert r.status_code == 201, r.get_json()
    item = r.get_json()
    assert item["evidence_type"] == "document"
    assert item["title"] == "Signed contract"
    assert item["criterion"] == "signed_contract"
    assert item["attachment"] == {
        "filename": "Contract (signed).pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }
    assert item["download_url"] == f"/api/v1/evidence/{item['id']}/download"
    new = set(stored_files(upload_dir)) - before
    assert len(new) == 1
    path = new.pop()
    assert path.read_bytes() == PDF
    assert "Contract" not in str(path)  # unguessable key, no file name in it
    db.session.expire_all()
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.storage_key.startswith(f"evidence/{world.cid}/")
    assert len(attachment.storage_key.rsplit("/", 1)[1]) >= 32

    r = world.client(world.member).get(f"/evidence/{item['id']}/download")
    assert r.status_code == 200
    assert r.data == PDF
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert "Contract" in r.headers["Content-Disposition"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Length"] == str(len(PDF))
    assert "no-store" in r.headers["Cache-Control"]

    listed = world.as_coach.get(url(world, "first_customer")).get_json()
    assert [e["attachment"]["filename"] for e in listed] == ["Contract (signed).pdf"]

    # removal is soft: the file stays for the history, the download is gone
    assert world.as_coach.delete(f"/evidence/{item['id']}").status_code == 204
    assert path.exists()
    assert world.as_coach.get(f"/evidence/{item['id']}/download").status_code == 404


def test_download_of_a_link_is_404(world):
    item = world.link("value_baseline")
    r = world.as_coach.get(f"/evidence/{item['id']}/download")
    assert r.status_code == 404
    assert r.get_json()["message"] == "This evidence has no file to download."


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "stored_name"),
    [
        (PDF, "report.pdf", "application/pdf", "report.pdf"),
        (PNG, "chart.PNG", "image/png", "chart.PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo.jpg", "image/jpeg", "photo.jpg"),
        (b"GIF89a" + b"\x00" * 16, "anim.gif", "image/gif", "anim.gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "pic.webp", "image/webp", "pic.webp"),
        ("Notes: café ✓\n".encode(), "notes.txt", "text/plain; charset=utf-8", "notes.txt"),
        (b"a,b\n1,2\n", "table.csv", "text/csv; charset=utf-8", "table.csv"),
        (b"# Plan\n\n- a < b\n", "plan.md", "text/markdown; charset=utf-8", "plan.md"),
        (OLE, "old.doc", "application/msword", "old.doc"),
        (office_zip("docx"), "plan.docx", OOXML + "wordprocessingml.document", "plan.docx"),
        (office_zip("xlsx"), "sheet.xlsx", OOXML + "spreadsheetml.sheet", "sheet.xlsx"),
        (office_zip("pptx"), "deck.pptx", OOXML + "presentationml.presentation", "deck.pptx"),
        (PDF, "no-extension", "application/pdf", "no-extension.pdf"),
        (PDF, "../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
        (PDF, "tab\there.pdf", "application/pdf", "tabhere.pdf"),
        (PDF, ".hidden.pdf", "application/pdf", "hidden.pdf"),
    ],
)  # fmt: skip
def test_allowed_types_are_checked_by_content(world, content, filename, content_type, stored_name):
    r = upload(world.as_coach, world, content, filename)
    assert r.status_code == 201, r.get_json()
    attachment = r.get_json()["attachment"]
    assert attachment["content_type"] == content_type
    assert attachment["filename"] == stored_name
    assert r.get_json()["title"] == stored_name


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"<html><body><script>alert(1)</script></body></html>", "report.pdf", "not allowed"),
        (b"<!DOCTYPE html><p>hi</p>", "notes.txt", "not allowed"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "logo.svg", "not allowed"),
        (b'<?xml version="1.0"?><svg/>', "logo.txt", "not allowed"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "setup.pdf", "not allowed"),
        (b"\xff\xfe\x00\x00bad utf", "notes.txt", "not allowed"),
        (PDF, "report.exe", "Files named .exe are not allowed"),
        (PDF, "report.html", "Files named .html are not allowed"),
        (PNG, "report.pdf", "named .pdf but its content is not PDF"),
        (b"plain words", "report.pdf", "named .pdf but its content is not PDF"),
        (office_zip("docx"), "sheet.xlsx", "named .xlsx but its content is not XLSX"),
        (b"PK\x03\x04" + b"\x00" * 40, "archive.docx", "not allowed"),
    ],
)
def test_disallowed_types_get_415(world, upload_dir, content, filename, message):
    before = set(stored_files(upload_dir))
    r = upload(world.as_coach, world, content, filename)
    assert r.status_code == 415, r.get_json()
    body = r.get_json()
    assert body["code"] in {"file_type_not_allowed", "file_type_mismatch"}
    assert message in body["message"]
    assert count(Evidence) == 0
    assert set(stored_files(upload_dir)) == before


def test_plain_zip_is_refused(world):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    r = upload(world.as_coach, world, buf.getvalue(), "bundle.docx")
    assert r.status_code == 415


def test_multipart_validation(world):
    r = world.as_coach.post(
        url(world), data={"title": "No file"}, content_type="multipart/form-data"
    )
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"files": {"file": ["Missing data for required field."]}}
    r = upload(world.as_coach, world, PDF, "a.pdf", colour="red")
    assert r.status_code == 422
    assert r.get_json()["errors"] == {"form": {"colour": ["Unknown field."]}}
    r = upload(world.as_coach, world, PDF, "a.pdf", criterion="arr_1m")
    assert r.status_code == 422
    assert "not a criterion of Value Baseline" in r.get_json()["message"]
    r = upload(world.as_coach, world, b"", "empty.pdf")
    assert r.status_code == 422
    assert r.get_json()["message"] == "The file is empty."
    r = upload(world.as_coach, world, PDF, "a.pdf", evidence_type="link")
    assert r.status_code == 422
    assert count(Evidence) == 0


def test_over_the_limit_is_413(world, app, upload_dir, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    limit = 1024 * 1024
    before = set(stored_files(upload_dir))
    exact = PDF + b"0" * (limit - len(PDF))
    r = upload(world.as_coach, world, exact, "exact.pdf")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["attachment"]["size"] == limit

    r = upload(world.as_coach, world, exact + b"0", "big.pdf")
    assert r.status_code == 413
    body = r.get_json()
    assert body == {
        "code": "file_too_large",
        "status": 413,
        "message": "The file is larger than the 1 MB limit.",
    }
    # far over: refused from the Content-Length, before the body is read
    r = upload(world.as_coach, world, exact * 3, "huge.pdf")
    assert r.status_code == 413
    assert r.get_json()["message"] == "The file is larger than the 1 MB limit."
    assert count(Evidence) == 1
    assert len(set(stored_files(upload_dir)) - before) == 1


def test_a_25_mb_upload_is_streamed_not_held_in_memory(world, upload_dir):
    size = 25 * 1024 * 1024
    content = PDF + b"0" * (size - len(PDF))
    body = io.BytesIO(content)
    del content
    tracemalloc.start()
    try:
        r = world.as_coach.post(
            url(world),
            data={"file": (body, "big.pdf")},
            content_type="multipart/form-data",
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["attachment"]["size"] == size
    # the test client itself spools the request body; the app adds chunks, not the file
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_database_failure_after_upload_deletes_the_file(world, upload_dir, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from milestones.services import evidence as evidence_service

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database went away"))

    monkeypatch.setattr(evidence_service, "_record", broken)
    before = set(stored_files(upload_dir))
    r = upload(world.as_coach, world, PDF, "a.pdf")
    assert r.status_code == 503
    assert r.get_json()["code"] == "database_unavailable"
    assert set(stored_files(upload_dir)) == before
    assert count(Evidence) == 0
    assert count(Attachment) == 0
