"""What the signed-in user's role may do, as names the UI can test (GET /auth/me, login).

Two kinds of names, both read from tables here and in policies.py, not written twice:

- a company action (`policies.Action`: "toggle", "review", "share", ...): the role has a rule
  for it in `policies._RULES`, so it may do it on the companies it is tied to (a coach's
  assignments, a member's company: the user's `company_ids`), or on every company when the
  role also has `view_all_companies` (its rules say "any").
- a role-only ability (`Ability`, below): a screen or a list that no company owns (users,
  cohorts, webhooks, the portfolio...).

`require(name)` is the one check of both kinds against the role alone (a 403 naming the
roles that may): for an Ability, the roles ROLE_RULES gives it; for an Action, the roles
with a rule for it (the bulk review: only coaches review, each item is then checked on its
company by policies). tests/api/test_abilities.py probes every one of them against the API.
"""

from __future__ import annotations

import enum

from milestones.auth import policies
from milestones.auth.policies import Action, user
from milestones.errors import Forbidden
from milestones.models import Role, User


class Ability(enum.StrEnum):
    VIEW_ALL_COMPANIES = "view_all_companies"  # every company, not only the user's own
    MANAGE_USERS = "manage_users"
    CREATE_COMPANIES = "create_companies"  # POST /companies (editing one is manage_company)
    MANAGE_COHORTS = "manage_cohorts"
    MANAGE_WEBHOOKS = "manage_webhooks"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_OUTBOX = "view_outbox"
    VIEW_PORTFOLIO = "view_portfolio"
    VIEW_ANALYTICS = "view_analytics"  # milestone and cohort analytics
    VIEW_ACTIVITY = "view_activity"
    EXPORT = "export"  # CSV/XLSX exports of the portfolio and activity
    VIEW_REVIEW_QUEUE = "view_review_queue"  # GET /reviews/pending


_STAFF = (Role.COACH, Role.ADMIN)
_ADMIN = (Role.ADMIN,)

# ability -> the roles that have it, beside policies._RULES (the per-company rules)
ROLE_RULES: dict[Ability, tuple[Role, ...]] = {
    Ability.MANAGE_USERS: _ADMIN,
    Ability.CREATE_COMPANIES: _ADMIN,
    Ability.MANAGE_COHORTS: _ADMIN,
    Ability.MANAGE_WEBHOOKS: _ADMIN,
    Ability.MANAGE_SETTINGS: _ADMIN,
    Ability.VIEW_OUTBOX: _ADMIN,
    Ability.VIEW_PORTFOLIO: _STAFF,
    Ability.VIEW_ANALYTICS: _STAFF,
    Ability.VIEW_ACTIVITY: _STAFF,
    Ability.EXPORT: _STAFF,
    Ability.VIEW_REVIEW_QUEUE: _STAFF,
}

# Every name /auth/me may list, in a fixed order (the schema's enum).
ALL_ABILITIES: tuple[str, ...] = tuple(a.value for a in Action) + tuple(a.value for a in Ability)


def role_abilities(role: Role) -> list[str]:
    """The names for `role`, in ALL_ABILITIES order."""
    rules = policies._RULES
    granted = {action.value for action, by_role in rules.items() if role in by_role}
    if rules[Action.VIEW].get(role) == "any":
        granted.add(Ability.VIEW_ALL_COMPANIES.value)
    granted |= {ability.value for ability, roles in ROLE_RULES.items() if role in roles}
    return [name for name in ALL_ABILITIES if name in granted]


def abilities(u: User) -> list[str]:
    return role_abilities(u.role)


_PLURAL = {Role.COACH: "coaches"}


def roles_with(name: Ability | Action) -> tuple[Role, ...]:
    """The roles that have the ability, or a rule for the company action."""
    if isinstance(name, Action):
        return tuple(policies._RULES[name])
    return ROLE_RULES[name]


def require(name: Ability | Action, u: User | None = None) -> None:
    """403 unless the user's role has the ability (or may do the action on some company):
    "Only coaches or admins can do this." """
    roles = roles_with(name)
    if (u or user()).role not in roles:
        names = " or ".join(_PLURAL.get(r, r.value + "s") for r in roles)
        raise Forbidden(f"Only {names} can do this.")
