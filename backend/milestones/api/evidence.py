"""Evidence on a milestone: list, add (JSON or multipart upload), soft-remove, download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app, redirect, request, send_file
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from milestones.api.pagination import Blueprint, paginate
from milestones.auth.policies import Action, company_or_404, user
from milestones.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from milestones.models import Evidence
from milestones.schemas.evidence import (
    DocumentFormSchema,
    DocumentUploadDocSchema,
    EvidenceCreateSchema,
    EvidenceSchema,
)
from milestones.services import evidence as evidence_service
from milestones.services.milestones import milestone_key

blp = Blueprint("evidence", __name__, url_prefix="/api/v1", description="Evidence on milestones")

# Multipart overhead allowed on top of MAX_UPLOAD_MB before werkzeug stops reading.
FORM_OVERHEAD = 1024 * 1024
JSON_LIMIT = 256 * 1024


def _body(company_id: int, key: str) -> Evidence:
    """Route a create request to the JSON or the multipart path."""
    company = company_or_404(company_id, Action.PROPOSE_EVIDENCE)
    milestone_key(key)
    parser = blp.ARGUMENTS_PARSER
    if request.mimetype == "multipart/form-data":
        request.max_content_length = evidence_service.upload_limit() + FORM_OVERHEAD
        try:
            files = request.files
        except RequestEntityTooLarge as exc:
            raise PayloadTooLarge(
                f"The file is larger than the {current_app.config['MAX_UPLOAD_MB']} MB limit.",
                code="file_too_large",
            ) from exc
        extra = sorted(set(files) - {"file"})
        if extra or "file" not in files:
            errors = {name: ["Unknown field."] for name in extra}
            if "file" not in files:
                errors["file"] = ["Missing data for required field."]
            raise Unprocessable(
                "The request is not valid: send the document in the `file` field.",
                errors={"files": errors},
            )
        form = parser.parse(DocumentFormSchema(), request, location="form")
        upload = files["file"]
        return evidence_service.add_document(
            company, key, form, upload.stream, upload.filename, user()
        )
    if not request.is_json:
        raise UnsupportedMediaType(
            "Send link and metric evidence as JSON, documents as multipart/form-data.",
        )
    request.max_content_length = JSON_LIMIT
    body = parser.parse(EvidenceCreateSchema(), request, location="json")
    return evidence_service.add_evidence(company, key, body, user())


@blp.route("/companies/<int:company_id>/milestones/<string:key>/evidence")
class MilestoneEvidence(MethodView):
    @blp.response(200, EvidenceSchema(many=True))
    @blp.alt_response(404, description="No such company or milestone, or not visible to you")
    @blp.paginate()
    def get(self, company_id: int, key: str, pagination_parameters: Any) -> Sequence[Evidence]:
        """Evidence items of a milestone, oldest first (removed ones left out)"""
        return paginate(
            evidence_service.list_evidence(company_or_404(company_id, Action.VIEW), key),
            pagination_parameters,
        )

    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {"schema": EvidenceCreateSchema},
                "multipart/form-data": {"schema": DocumentUploadDocSchema},
            },
        }
    )
    @blp.response(201, EvidenceSchema)
    @blp.alt_response(
        403, description="Only the company's coaches (accepted) and members (proposed) add evidence"
    )
    @blp.alt_response(404, description="No such company or milestone, or not visible to you")
    @blp.alt_response(413, description="The file is over MAX_UPLOAD_MB")
    @blp.alt_response(415, description="The file type is not allowed (checked by content)")
    @blp.alt_response(422, description="Invalid fields (URL scheme, metric value, criterion)")
    @blp.alt_response(503, description="File storage is not reachable; nothing recorded")
    def post(self, company_id: int, key: str) -> Evidence:
        """Add evidence: JSON for `link`/`metric`, multipart with `file` for a document"""
        return _body(company_id, key)


@blp.route("/evidence/<int:evidence_id>")
class EvidenceById(MethodView):
    @blp.response(204)
    @blp.alt_response(
        403, description="A coach removes any item; a member only their own proposed item"
    )
    @blp.alt_response(404, description="No such evidence, or not visible to you")
    @blp.alt_response(409, description="The last evidence of an achieved milestone")
    def delete(self, evidence_id: int) -> None:
        """Soft-remove an evidence item (history keeps it)"""
        evidence_service.remove_evidence(
            evidence_service.get_evidence(evidence_id, Action.PROPOSE_EVIDENCE), user()
        )


@blp.route("/evidence/<int:evidence_id>/download")
class EvidenceDownload(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "the file, as an attachment (local storage)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            "302": {"description": "redirect to a presigned URL valid 5 minutes (S3 storage)"},
        }
    )
    @blp.alt_response(404, description="No such evidence or file, or not visible to you")
    @blp.alt_response(503, description="File storage is not reachable")
    def get(self, evidence_id: int) -> Response:
        """Download the document of an evidence item"""
        found = evidence_service.download(evidence_service.get_evidence(evidence_id))
        if found.url:
            response = redirect(found.url, 302)
        else:
            assert found.stream is not None
            response = send_file(
                found.stream,
                mimetype=found.content_type,
                as_attachment=True,
                download_name=found.filename,
                conditional=False,
                etag=False,
                max_age=0,
            )
            response.headers["Content-Length"] = str(found.size)
            response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response
