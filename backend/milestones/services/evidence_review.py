"""Members' proposed evidence and the coach's review of it.

A member's evidence is `proposed` until an assigned coach accepts or rejects it; a
coach's is `accepted` at once. Only accepted evidence counts (evidence_count, the
evidence required to achieve, criteria, suggestions, metric series). Rejected items
leave the lists and stay in the history; a member may remove only their own proposed
item.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from milestones.auth.policies import Action, relation, row_for_company
from milestones.errors import Conflict, Forbidden, NotFound
from milestones.extensions import db
from milestones.models import (
    Company,
    Evidence,
    HistoryEvent,
    HistoryEventType,
    ReviewStatus,
    Role,
    User,
)
from milestones.timeutil import utcnow


def initial_review(actor: User, company_id: int) -> tuple[ReviewStatus, HistoryEventType]:
    """(review status, history event) of evidence this actor adds to this company."""
    if actor.role == Role.COACH and relation(actor, company_id) == "coach":
        return ReviewStatus.ACCEPTED, HistoryEventType.EVIDENCE_ADDED
    return ReviewStatus.PROPOSED, HistoryEventType.EVIDENCE_PROPOSED


def check_removal(evidence: Evidence, actor: User) -> None:
    """A coach removes any item; a member only their own proposed one (403 otherwise)."""
    if actor.role == Role.COACH:
        return
    if evidence.created_by_id != actor.id:
        raise Forbidden("You can remove only evidence you proposed yourself.")
    if evidence.review_status != ReviewStatus.PROPOSED:
        raise Forbidden(
            "This evidence was already reviewed by a coach; only a coach can remove it now."
        )


def _locked(evidence: Evidence) -> Evidence:
    """The item again, locked (two coaches reviewing it at once: the second sees the first's
    decision)."""
    found = db.session.scalar(
        sa.select(Evidence)
        .where(Evidence.id == evidence.id, Evidence.removed_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if found is None:
        db.session.rollback()
        raise NotFound("Evidence not found.")
    if found.review_status != ReviewStatus.PROPOSED:
        db.session.rollback()
        raise Conflict(
            f"This evidence is already {found.review_status.value}; only proposed evidence "
            "can be reviewed.",
            code="not_pending",
        )
    return found


def review(evidence: Evidence, actor: User, accept: bool, comment: str | None) -> Evidence:
    """Accept or reject a proposed item (409 `not_pending` unless proposed)."""
    item = _locked(evidence)
    now = utcnow()
    item.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
    item.reviewed_by_id = actor.id
    item.reviewed_at = now
    item.review_comment = (comment or "").strip() or None
    db.session.add(
        HistoryEvent(
            company_id=item.company_id,
            milestone=item.milestone,
            event=(
                HistoryEventType.EVIDENCE_ACCEPTED if accept else HistoryEventType.EVIDENCE_REJECTED
            ),
            reason=item.review_comment,
            actor_id=actor.id,
            evidence_id=item.id,
            created_at=now,
        )
    )
    db.session.commit()
    return reload(item.id)


def decide(*, accept: bool) -> Any:
    """The review queue's decision on one proposed item (services/reviews.py): as
    POST /evidence/{id}/accept or /reject, for `actor`."""

    def run(actor: User, evidence_id: int, comment: str | None) -> Evidence:
        live = sa.select(Evidence).where(Evidence.id == evidence_id, Evidence.removed_at.is_(None))
        item = row_for_company(live, Action.MANAGE_EVIDENCE, "Evidence not found.", actor)
        return review(item, actor, accept, comment)

    return run


def reload(evidence_id: int) -> Evidence:
    return db.session.execute(
        sa.select(Evidence)
        .where(Evidence.id == evidence_id)
        .options(
            joinedload(Evidence.attachment),
            joinedload(Evidence.created_by),
            joinedload(Evidence.reviewed_by),
        )
        .execution_options(populate_existing=True)
    ).scalar_one()


def proposals(company: Company, review_status: str | None = None) -> sa.Select[Any]:
    """The company's proposed evidence, reviewed or not (not removed), newest first: what
    members proposed, with the coach's decision and comment. A SELECT for the paginator."""
    went_through_review = sa.or_(
        Evidence.review_status != ReviewStatus.ACCEPTED, Evidence.reviewed_by_id.is_not(None)
    )
    stmt = (
        sa.select(Evidence)
        .where(
            Evidence.company_id == company.id,
            Evidence.removed_at.is_(None),
            went_through_review,
        )
        .options(
            joinedload(Evidence.attachment),
            joinedload(Evidence.created_by),
            joinedload(Evidence.reviewed_by),
        )
        .order_by(Evidence.created_at.desc(), Evidence.id.desc())
    )
    if review_status:
        stmt = stmt.where(Evidence.review_status == ReviewStatus(review_status))
    return stmt
