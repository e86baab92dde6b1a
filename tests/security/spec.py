"""The operations of /api/openapi.json, read once per run from a throwaway app."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # as in the spec, e.g. /api/v1/companies/{company_id}
    spec: Any = field(compare=False, hash=False, repr=False)  # the operation object

    @property
    def key(self) -> tuple[str, str]:
        return self.method, normalise(self.path)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def success_status(self) -> int:
        codes = sorted(int(c) for c in self.spec.get("responses", {}) if str(c).startswith("2"))
        return codes[0] if codes else 200


def normalise(path: str) -> str:
    """/api/v1/companies/{company_id}/milestones/{key} -> /companies/{}/milestones/{}"""
    path = re.sub(r"\{[^}]+\}", "{}", path)
    return path.removeprefix("/api/v1")


@cache
def openapi() -> dict[str, Any]:
    from milestones import create_app

    app = create_app(
        {
            "APP_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "spec-only",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.get_json()
    return spec


def operations() -> list[Operation]:
    ops: list[Operation] = []
    for path, item in openapi()["paths"].items():
        for method in METHODS:
            if method in item:
                ops.append(Operation(method.upper(), path, item[method]))
    return ops
