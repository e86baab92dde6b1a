"""Who may see and do what. Every view and every list query goes through here.

- anonymous: 401 (enforced by the gate in auth/session.py)
- a company the caller may not see: 404, its existence not revealed
- a visible company, an action the caller's role may not do: 403

One function per question: `company_or_404(company_id, action)` (this company, if I may do
the action on it), `row_for_company(stmt, action, not_found)` (this row of a company, the
same way), `scope(viewer)` (the WHERE clause of a list), `can(user, action, company_id)`
(a yes or no, for what the UI may show). What a role may do whatever the company (a
screen, a list no company owns) is auth/abilities.py's `require(name)`.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import g
from flask_login import current_user
from sqlalchemy.sql.elements import ColumnElement

from milestones.errors import Forbidden, NotFound
from milestones.extensions import db
from milestones.models import CoachAssignment, Company, Membership, Role, User

T = TypeVar("T")


class Action(enum.StrEnum):
    VIEW = "view"
    TOGGLE = "toggle"
    MANAGE_EVIDENCE = "manage_evidence"  # accept, reject, remove any item, check criteria
    PROPOSE_EVIDENCE = "propose_evidence"  # add evidence (a member's is a proposal)
    CREATE_TASK = "create_task"
    SUBMIT_TASK = "submit_task"
    REVIEW = "review"  # approve/reject tasks and updates, cancel tasks
    POST_UPDATE = "post_update"
    MANAGE_STAKEHOLDERS = "manage_stakeholders"
    MANAGE_COMPANY = "manage_company"
    SHARE = "share"  # share links of the company


# role -> relation to the company that allows the action ("any" = whatever the relation)
_RULES: dict[Action, dict[Role, str]] = {
    Action.VIEW: {Role.ADMIN: "any", Role.COACH: "coach", Role.MEMBER: "member"},
    Action.TOGGLE: {Role.COACH: "coach"},
    Action.MANAGE_EVIDENCE: {Role.COACH: "coach"},
    Action.PROPOSE_EVIDENCE: {Role.COACH: "coach", Role.MEMBER: "member"},
    Action.CREATE_TASK: {Role.COACH: "coach", Role.MEMBER: "member"},
    Action.SUBMIT_TASK: {Role.COACH: "coach", Role.MEMBER: "member"},
    Action.REVIEW: {Role.COACH: "coach"},
    Action.POST_UPDATE: {Role.COACH: "coach", Role.MEMBER: "member"},
    Action.MANAGE_STAKEHOLDERS: {Role.ADMIN: "any", Role.COACH: "coach"},
    Action.MANAGE_COMPANY: {Role.ADMIN: "any"},
    Action.SHARE: {Role.ADMIN: "any", Role.COACH: "coach"},
}

_FORBIDDEN_MESSAGES = {
    Action.TOGGLE: "Only a coach assigned to this company can change its milestones.",
    Action.MANAGE_EVIDENCE: "Only a coach assigned to this company can review or remove evidence.",
    Action.PROPOSE_EVIDENCE: "Only the company's coaches and members can add evidence.",
    Action.CREATE_TASK: "Only the company's coaches and members can create tasks.",
    Action.SUBMIT_TASK: "Only the company's coaches and members can submit tasks.",
    Action.REVIEW: "Only a coach assigned to this company can review, approve or reject.",
    Action.POST_UPDATE: "Only the company's coaches and members can post progress updates.",
    Action.MANAGE_STAKEHOLDERS: "Only admins and the company's coaches manage stakeholders.",
    Action.MANAGE_COMPANY: "Only admins can change companies and their people.",
    Action.SHARE: "Only admins and the company's coaches manage its share links.",
}


def user() -> User:
    return current_user._get_current_object()


def _visible_ids(role: Role, user_id: Any) -> sa.Select[Any] | None:
    """A SELECT of the company ids the user may see, or None for 'all' (admins)."""
    if role == Role.ADMIN:
        return None
    if role == Role.COACH:
        return sa.select(CoachAssignment.company_id).where(CoachAssignment.user_id == user_id)
    return sa.select(Membership.company_id).where(Membership.user_id == user_id)


def scope(viewer: User | Role, column: Any = Company.id) -> ColumnElement[bool]:
    """For lists: a WHERE clause restricting `column` (a company id column) to the
    companies the viewer may see. Given a Role rather than a user, the viewer's id is the
    `viewer_id` parameter: the same rule, in a statement that can be cached for every
    viewer of that role (the reporting statements)."""
    if isinstance(viewer, Role):
        ids = _visible_ids(viewer, sa.bindparam("viewer_id"))
    else:
        ids = _visible_ids(viewer.role, viewer.id)
    return sa.true() if ids is None else column.in_(ids)


def sees_every_company(role: Role) -> bool:
    """Whether scope() keeps every company for this role (programme-wide figures kept
    ready may then be read instead of aggregated)."""
    return _visible_ids(role, None) is None


def relation(u: User, company_id: int) -> str | None:
    """'coach', 'member' or None: the user's tie to the company (memoised per request)."""
    cache: dict[tuple[int, int], str | None] = g.setdefault("_company_relations", {})
    key = (u.id, company_id)
    if key not in cache:
        rel: str | None = None
        if u.role == Role.COACH:
            found = db.session.get(CoachAssignment, (company_id, u.id))
            rel = "coach" if found else None
        elif u.role == Role.MEMBER:
            found_m = db.session.get(Membership, (company_id, u.id))
            rel = "member" if found_m else None
        cache[key] = rel
    return cache[key]


def can(u: User, action: Action, company_id: int) -> bool:
    needed = _RULES[action].get(u.role)
    if needed is None:
        return False
    return needed == "any" or relation(u, company_id) == needed


def _check(u: User, action: Action, company_id: int, not_found: str) -> None:
    """404 (with `not_found`) when the company is invisible to the user, 403 when the
    action is not theirs."""
    if not can(u, Action.VIEW, company_id):
        raise NotFound(not_found)
    if not can(u, action, company_id):
        raise Forbidden(_FORBIDDEN_MESSAGES.get(action, "You may not do this."))


def company_or_404(company_id: int, action: Action, u: User | None = None) -> Company:
    """The company, if the user may do `action` on it: 404 when it does not exist or the
    user may not see it (its existence is not revealed), 403 when they see it but the
    action is not theirs."""
    u = u or user()
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound("Company not found.")
    _check(u, action, company_id, "Company not found.")
    return company


def row_for_company(stmt: sa.Select[T], action: Action, not_found: str, u: User | None = None) -> T:
    """The row `stmt` selects (a model with a company_id), if the user may do `action` on
    its company: 404 with `not_found` when it is missing or its company invisible (so
    existence does not leak), 403 when the action is not theirs."""
    u = u or user()
    row = db.session.scalar(stmt)
    if row is None:
        raise NotFound(not_found)
    _check(u, action, row.company_id, not_found)  # type: ignore[attr-defined]
    return row
