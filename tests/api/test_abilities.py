"""The role's abilities on GET /auth/me and at login (auth/abilities.py), and that they
say what the API enforces: every role-only ability is probed on a route that checks it, and
the company actions agree with policies.can for every relation to a company."""

from typing import Any

import pytest

from milestones.auth import abilities as abilities_module
from milestones.auth import policies
from milestones.auth.abilities import ROLE_RULES, Ability, role_abilities
from milestones.auth.policies import Action
from milestones.models import Role

ADMIN = [
    "view",
    "manage_stakeholders",
    "manage_company",
    "share",
    "view_all_companies",
    "manage_users",
    "create_companies",
    "manage_cohorts",
    "manage_webhooks",
    "manage_settings",
    "view_outbox",
    "view_portfolio",
    "view_analytics",
    "view_activity",
    "export",
    "view_review_queue",
]
COACH = [
    "view",
    "toggle",
    "manage_evidence",
    "propose_evidence",
    "create_task",
    "submit_task",
    "review",
    "post_update",
    "manage_stakeholders",
    "share",
    "view_portfolio",
    "view_analytics",
    "view_activity",
    "export",
    "view_review_queue",
]
MEMBER = ["view", "propose_evidence", "create_task", "submit_task", "post_update"]


def test_me_lists_the_abilities_of_each_role(factory, client_for):
    admin, coach, member = factory.admin(), factory.coach(), factory.member()
    factory.company(coaches=[coach], members=[member])
    for u, expected in ((admin, ADMIN), (coach, COACH), (member, MEMBER)):
        assert client_for(u).get("/auth/me").get_json()["abilities"] == expected


def test_login_answers_with_the_abilities(factory, anon):
    coach = factory.coach()
    body = anon.login(coach.email).get_json()
    assert body["abilities"] == COACH


# One route per role-only ability whose view checks it; bodies valid, so the answer is the
# permission check's (403) or the route's success.
PROBES: dict[Ability, tuple[str, str, dict[str, Any] | None]] = {
    Ability.MANAGE_USERS: ("GET", "/users", None),
    Ability.CREATE_COMPANIES: ("POST", "/companies", {"name": "Probe Ltd"}),
    Ability.MANAGE_COHORTS: ("POST", "/cohorts", {"name": "Probe", "starts_on": "2026-01-05"}),
    Ability.MANAGE_WEBHOOKS: ("GET", "/webhooks", None),
    Ability.MANAGE_SETTINGS: ("PATCH", "/settings", {"stall_min_days": 30}),
    Ability.VIEW_OUTBOX: ("GET", "/admin/outbox", None),
    Ability.VIEW_PORTFOLIO: ("GET", "/portfolio", None),
    Ability.VIEW_ANALYTICS: ("GET", "/analytics/milestones", None),
    Ability.VIEW_ACTIVITY: ("GET", "/activity", None),
    Ability.EXPORT: ("GET", "/exports/portfolio.csv", None),
    Ability.VIEW_REVIEW_QUEUE: ("GET", "/reviews/pending", None),
}


# Company actions the API also checks on the role alone, before any company: only coaches
# review, so a bulk review by anyone else is refused as a whole (each item is then checked
# on its company). An unknown item is a per-item error in a 200.
ROLE_GATED_ACTIONS: dict[Action, tuple[str, str, dict[str, Any] | None]] = {
    Action.REVIEW: (
        "POST",
        "/reviews",
        {"decision": "approve", "items": [{"kind": "task", "id": 2_000_000}]},
    ),
}


@pytest.mark.parametrize("action", list(ROLE_GATED_ACTIONS), ids=str)
def test_role_gated_actions_are_what_the_api_enforces(factory, client_for, action):
    method, path, body = ROLE_GATED_ACTIONS[action]
    for role in Role:
        response = client_for(factory.user(role)).open(method, path, json=body)
        if action.value in role_abilities(role):
            assert response.status_code == 200, (role, response.get_json())
            assert response.get_json()["results"][0]["code"] == "not_found"
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert response.get_json()["message"] == "Only coaches can do this."


def test_the_role_checks_name_the_roles_that_may(factory):
    """require() answers for an ability from ROLE_RULES and for an action from the policy's
    rules, with the 403 text the API has always sent."""
    from milestones.auth.abilities import require
    from milestones.errors import Forbidden

    member = factory.member()
    expected = {
        Ability.VIEW_PORTFOLIO: "Only coaches or admins can do this.",
        Ability.MANAGE_USERS: "Only admins can do this.",
        Action.REVIEW: "Only coaches can do this.",
        Action.MANAGE_COMPANY: "Only admins can do this.",
    }
    for name, message in expected.items():
        with pytest.raises(Forbidden) as refused:
            require(name, u=member)
        assert refused.value.message == message
    require(Action.POST_UPDATE, u=member)  # members post updates on their company


def test_every_role_only_ability_has_a_probe():
    assert set(PROBES) == set(ROLE_RULES)
    assert set(ROLE_RULES) | {Ability.VIEW_ALL_COMPANIES} == set(Ability)


@pytest.mark.parametrize("ability", list(PROBES), ids=str)
def test_role_only_abilities_are_what_the_api_enforces(factory, client_for, ability):
    method, path, body = PROBES[ability]
    for role in Role:
        client = client_for(factory.user(role))
        response = client.open(method, path, json=body)
        if ability.value in role_abilities(role):
            assert response.status_code in (200, 201), (role, response.get_json())
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert response.get_json()["code"] == "forbidden"


def _ui_may_on(names: list[str], tied: bool, action: Action) -> bool:
    """The frontend's mayOn (frontend/src/lib/abilities.ts), written out."""
    return action.value in names and ("view_all_companies" in names or tied)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_company_actions_agree_with_the_policy_for_every_relation(monkeypatch, role):
    own = {Role.COACH: "coach", Role.MEMBER: "member"}.get(role)
    for tied in (True, False):
        monkeypatch.setattr(policies, "relation", lambda u, cid, tied=tied: own if tied else None)
        u = type("U", (), {"role": role, "id": 1})()
        names = abilities_module.abilities(u)
        for action in Action:
            expected = policies.can(u, action, 7)
            assert _ui_may_on(names, tied, action) is expected, (role, tied, action)
