"""Test data through the same services the API uses."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from milestones.extensions import db
from milestones.models import Company, Role, User
from milestones.services import companies, users

_seq = itertools.count(1)


class Factory:
    def __init__(self, password: str) -> None:
        self.password = password

    def user(self, role: str | Role = Role.MEMBER, **kw: Any) -> User:
        n = next(_seq)
        role = Role(role)
        return users.create_user(
            email=kw.pop("email", f"{role.value}{n}@example.test"),
            name=kw.pop("name", f"{role.value.title()} {n}"),
            role=role.value,
            password=kw.pop("password", self.password),
        )

    def admin(self, **kw: Any) -> User:
        return self.user(Role.ADMIN, **kw)

    def coach(self, **kw: Any) -> User:
        return self.user(Role.COACH, **kw)

    def member(self, **kw: Any) -> User:
        return self.user(Role.MEMBER, **kw)

    def company(
        self,
        name: str | None = None,
        *,
        coaches: list[User] = (),  # type: ignore[assignment]
        members: list[User] = (),  # type: ignore[assignment]
        joined_at: datetime | None = None,
        description: str = "",
    ) -> Company:
        company = companies.create_company(
            name or f"Company {next(_seq)}", description, joined_at=joined_at
        )
        for coach in coaches:
            companies.assign_coach(company, coach.id)
        for member in members:
            companies.add_member(company, member.id)
        db.session.refresh(company)
        return company
