"""Creating, listing and revoking a company's share links (admins and assigned coaches)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from milestones.auth.policies import Action, company_or_404, row_for_company
from milestones.errors import Conflict, Unprocessable
from milestones.extensions import db
from milestones.models import ShareLink, User
from milestones.sharing import tokens
from milestones.timeutil import utcnow


def _active(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        ShareLink.revoked_at.is_(None),
        sa.or_(ShareLink.expires_at.is_(None), ShareLink.expires_at > now),
    )


def list_links(company_id: int, actor: User) -> Sequence[ShareLink]:
    company_or_404(company_id, Action.SHARE, actor)
    return db.session.scalars(
        sa.select(ShareLink)
        .where(ShareLink.company_id == company_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    ).all()


def create_link(company_id: int, actor: User, data: dict[str, Any]) -> ShareLink:
    """A new link; the returned object carries `token` and `url` (shown this once)."""
    company_or_404(company_id, Action.SHARE, actor)
    now = utcnow()
    expires_at = data.get("expires_at")
    if expires_at is not None and expires_at <= now:
        raise Unprocessable(
            "The expiry must be in the future.",
            errors={"json": {"expires_at": ["Must be in the future."]}},
        )
    for_stakeholders = bool(data.get("for_stakeholders"))
    if for_stakeholders:
        existing = db.session.scalar(
            sa.select(ShareLink.id)
            .where(ShareLink.company_id == company_id, ShareLink.for_stakeholders, _active(now))
            .with_for_update()
        )
        if existing is not None:
            raise Conflict(
                "This company already has an active link for stakeholders' mails; revoke it first.",
                code="stakeholder_link_exists",
                errors={"json": {"for_stakeholders": ["An active one exists."]}},
            )
    salt = tokens.new_salt() if for_stakeholders else None
    token = tokens.derived_token(salt) if salt else tokens.random_token()
    link = ShareLink(
        company_id=company_id,
        label=data.get("label") or "",
        token_hash=tokens.token_hash(token),
        salt=salt,
        include_reasons=bool(data.get("include_reasons")),
        for_stakeholders=for_stakeholders,
        created_by_id=actor.id,
        created_at=now,
        expires_at=expires_at,
        view_count=0,
    )
    db.session.add(link)
    db.session.commit()
    link.token = token  # type: ignore[attr-defined]
    link.url = tokens.page_url(token)  # type: ignore[attr-defined]
    return link


def revoke_link(link_id: int, actor: User) -> None:
    link = row_for_company(
        sa.select(ShareLink).where(ShareLink.id == link_id),
        Action.SHARE,
        "Share link not found.",
        actor,
    )
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.session.commit()


def stakeholder_page_urls(company_ids: Sequence[int]) -> dict[int, str]:
    """{company id: URL of its active stakeholders' share page} (one statement)."""
    if not company_ids:
        return {}
    rows = db.session.execute(
        sa.select(ShareLink.company_id, ShareLink.salt).where(
            ShareLink.company_id.in_(list(company_ids)),
            ShareLink.for_stakeholders,
            ShareLink.salt.is_not(None),
            _active(utcnow()),
        )
    ).all()
    return {cid: tokens.page_url(tokens.derived_token(salt)) for cid, salt in rows if salt}
