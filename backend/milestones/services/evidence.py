"""Evidence on a milestone: documents (uploaded files), metrics and links.

Documents are streamed in chunks (never whole in memory), checked by content against an
allow-list, stored under an unguessable key, and only then recorded; if the database
write fails the stored object is deleted again. Removal is soft and recorded in history.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from milestones import catalogue
from milestones.auth.policies import Action, row_for_company
from milestones.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
)
from milestones.extensions import db
from milestones.models import (
    Attachment,
    Company,
    Evidence,
    EvidenceType,
    HistoryEvent,
    HistoryEventType,
    MetricKey,
    MilestoneStatus,
    ReviewStatus,
    User,
)
from milestones.services.evidence_review import check_removal, initial_review
from milestones.services.file_types import CHUNK, detect_type, sanitize_filename
from milestones.services.milestones import lock_statuses, milestone_key
from milestones.storage import PRESIGNED_TTL_SECONDS, get_storage, new_key
from milestones.timeutil import utcnow
from milestones.webhooks import events as webhook_events

log = logging.getLogger(__name__)

SPOOL_MEMORY = 1024 * 1024  # beyond this an upload copy goes to a temporary file

# --- reads --------------------------------------------------------------------------------


def _with_details(stmt: sa.Select[Any]) -> sa.Select[Any]:
    return stmt.options(
        joinedload(Evidence.attachment),
        joinedload(Evidence.created_by),
        joinedload(Evidence.reviewed_by),
    )


def list_evidence(company: Company, key: str) -> sa.Select[Any]:
    """Evidence items of one milestone still in force (accepted or proposed; rejected ones
    leave the list), oldest first (for the paginator)."""
    milestone_key(key)
    return _with_details(
        sa.select(Evidence)
        .where(
            Evidence.company_id == company.id,
            Evidence.milestone == catalogue.MilestoneKey(key),
            Evidence.removed_at.is_(None),
            Evidence.review_status != ReviewStatus.REJECTED,
        )
        .order_by(Evidence.created_at, Evidence.id)
    )


def get_evidence(evidence_id: int, action: Action = Action.VIEW) -> Evidence:
    """A live evidence item the user may see (404 otherwise), and may act on (403)."""
    live = sa.select(Evidence).where(Evidence.id == evidence_id, Evidence.removed_at.is_(None))
    return row_for_company(_with_details(live), action, "Evidence not found.")


# --- writes -------------------------------------------------------------------------------


def _status(company: Company, key: str) -> MilestoneStatus:
    status = db.session.scalar(
        sa.select(MilestoneStatus).where(
            MilestoneStatus.company_id == company.id,
            MilestoneStatus.milestone == catalogue.MilestoneKey(key),
        )
    )
    if status is None:
        raise NotFound("Milestone status not found.")
    return status


def _check_criterion(key: str, criterion: str | None, location: str) -> None:
    if criterion and not catalogue.get(key).has_criterion(criterion):
        allowed = ", ".join(c.key for c in catalogue.get(key).criteria)
        raise Unprocessable(
            f"{criterion!r} is not a criterion of {catalogue.get(key).title}; "
            f"expected one of {allowed}.",
            code="validation_error",
            errors={location: {"criterion": [f"Must be one of: {allowed}."]}},
        )


def _record(evidence: Evidence, actor: User, event: HistoryEventType | None = None) -> None:
    """History of an added (or proposed) item, or of `event` (a removal)."""
    if event is None:
        event = initial_review(actor, evidence.company_id)[1]
    db.session.add(
        HistoryEvent(
            company_id=evidence.company_id,
            milestone=evidence.milestone,
            event=event,
            actor_id=actor.id,
            evidence_id=evidence.id,
            created_at=evidence.removed_at or evidence.created_at,
        )
    )
    webhook_events.evidence_recorded(evidence, actor, event)


def add_evidence(company: Company, key: str, data: dict[str, Any], actor: User) -> Evidence:
    """A `link` or `metric` evidence item (the body was validated by its schema)."""
    milestone_key(key)
    _check_criterion(key, data.get("criterion"), "json")
    evidence_type = EvidenceType(data["evidence_type"])
    if evidence_type == EvidenceType.DOCUMENT:
        raise Unprocessable(
            "Documents are uploaded as multipart/form-data with a `file` field.",
            errors={"json": {"evidence_type": ["Upload documents as multipart with a file."]}},
        )
    status = _status(company, key)
    metric_key = MetricKey(data["metric_key"]) if data.get("metric_key") else None
    evidence = Evidence(
        status_id=status.id,
        company_id=company.id,
        milestone=status.milestone,
        evidence_type=evidence_type,
        review_status=initial_review(actor, company.id)[0],
        metric_key=metric_key,
        title=data["title"],
        description=data.get("description") or "",
        url=data.get("url"),
        criterion=data.get("criterion"),
        metric_value=data.get("metric_value"),
        metric_unit=data.get("metric_unit"),
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(evidence)
    db.session.flush()
    _record(evidence, actor)
    db.session.commit()
    return evidence


@dataclass
class Upload:
    """An uploaded file, read once in chunks: size, digest and a seekable copy."""

    fileobj: IO[bytes]
    size: int
    sha256: str


def _read_upload(stream: IO[bytes], limit: int) -> Upload:
    """Read in chunks, stopping with 413 as soon as the limit is passed.

    Werkzeug already spools multipart files to disk; a non-seekable stream is copied to a
    spooled temporary file so the whole upload never sits in memory.
    """
    seekable = getattr(stream, "seekable", lambda: False)()
    target: IO[bytes] = stream if seekable else tempfile.SpooledTemporaryFile(SPOOL_MEMORY)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"The file is larger than the {limit // (1024 * 1024)} MB limit.",
                code="file_too_large",
            )
        digest.update(chunk)
        if not seekable:
            target.write(chunk)
    target.seek(0)
    return Upload(target, size, digest.hexdigest())


def upload_limit() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def add_document(
    company: Company,
    key: str,
    data: dict[str, Any],
    stream: IO[bytes],
    filename: str | None,
    actor: User,
) -> Evidence:
    """Check and store an uploaded file, then record it; no row when storage fails."""
    milestone_key(key)
    _check_criterion(key, data.get("criterion"), "form")
    upload = _read_upload(stream, upload_limit())
    if upload.size == 0:
        raise Unprocessable(
            "The file is empty.", errors={"files": {"file": ["The file is empty."]}}
        )
    content_type, name = detect_type(upload.fileobj, sanitize_filename(filename))
    status = _status(company, key)
    storage = get_storage()
    storage_key = new_key(f"evidence/{company.id}")
    db.session.rollback()  # no transaction (nor lock) held while the file travels
    storage.put(storage_key, upload.fileobj, size=upload.size, content_type=content_type)
    try:
        now = utcnow()
        attachment = Attachment(
            storage_key=storage_key,
            filename=name,
            content_type=content_type,
            size=upload.size,
            sha256=upload.sha256,
            created_at=now,
        )
        evidence = Evidence(
            status_id=status.id,
            company_id=company.id,
            milestone=status.milestone,
            evidence_type=EvidenceType.DOCUMENT,
            review_status=initial_review(actor, company.id)[0],
            title=data.get("title") or name,
            description=data.get("description") or "",
            criterion=data.get("criterion"),
            attachment=attachment,
            created_by_id=actor.id,
            created_at=now,
        )
        db.session.add(evidence)
        db.session.flush()
        _record(evidence, actor)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _discard(storage_key)
        raise
    return evidence


def _discard(storage_key: str) -> None:
    try:
        get_storage().delete(storage_key)
    except Exception:  # the original error matters more; the orphan is logged
        log.exception("could not delete orphaned upload %s", storage_key)


def remove_evidence(evidence: Evidence, actor: User) -> None:
    """Soft removal; the last accepted evidence of an achieved milestone stays (409). A
    member removes only their own proposed item (403 otherwise)."""
    check_removal(evidence, actor)
    # Same lock as the toggle: a concurrent "achieve" cannot count this item meanwhile.
    statuses = lock_statuses(evidence.company_id)
    db.session.refresh(evidence)
    if evidence.removed_at is not None:
        db.session.rollback()
        raise NotFound("Evidence not found.")
    status = next(s for s in statuses if s.id == evidence.status_id)
    check_removal(evidence, actor)  # again: a coach may have reviewed it meanwhile
    counted = evidence.review_status == ReviewStatus.ACCEPTED
    others = db.session.scalar(
        sa.select(sa.func.count(Evidence.id)).where(
            Evidence.status_id == status.id,
            Evidence.removed_at.is_(None),
            Evidence.review_status == ReviewStatus.ACCEPTED,
            Evidence.id != evidence.id,
        )
    )
    if status.achieved and counted and not others:
        db.session.rollback()
        title = catalogue.get(status.milestone.value).title
        raise Conflict(
            f"This is the last evidence of {title}, which is achieved; add other evidence "
            f"or revert the milestone first.",
            code="last_evidence",
        )
    evidence.removed_at = utcnow()
    evidence.removed_by_id = actor.id
    _record(evidence, actor, HistoryEventType.EVIDENCE_REMOVED)
    db.session.commit()


@dataclass
class Download:
    """Either a presigned `url` to redirect to, or a `stream` to send."""

    filename: str
    content_type: str
    size: int
    url: str | None = None
    stream: IO[bytes] | None = None


def download(evidence: Evidence) -> Download:
    attachment = evidence.attachment
    if attachment is None:
        raise NotFound("This evidence has no file to download.", code="no_file")
    storage = get_storage()
    url = storage.presigned_url(
        attachment.storage_key,
        filename=attachment.filename,
        content_type=attachment.content_type,
        expires_in=PRESIGNED_TTL_SECONDS,
    )
    if url:
        return Download(attachment.filename, attachment.content_type, attachment.size, url=url)
    return Download(
        attachment.filename,
        attachment.content_type,
        attachment.size,
        stream=storage.open(attachment.storage_key),
    )
