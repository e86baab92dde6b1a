"""Schemathesis over every operation of /api/openapi.json, through the WSGI app, signed in
as each role (session cookie + X-CSRF-Token): no 5xx, and status codes, content types,
headers and bodies as documented.

Half the examples carry the ids of real resources (company A, its tasks, evidence...) so
the fuzzed bodies reach the handlers instead of stopping at a 404; half are negative
(schema-violating) data, which must be refused with a 4xx.

Bounded by default (FUZZ_EXAMPLES examples per operation, role and mode; about two
minutes on two cores). Longer: FUZZ_EXAMPLES=200 pytest tests/fuzz (or --run-slow, which
uses 50).
"""

from __future__ import annotations

import json
import os
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.conftest import WorldKeeper
from tests.security.spec import normalise, openapi, operations
from tests.security.world import ROLES, World

SCHEMA = schemathesis.openapi.from_dict(openapi())
LABELS = [op.id for op in operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

CALLS: Counter[str] = Counter()  # requests sent, per operation (for the security report)
RESULTS = Path(__file__).resolve().parents[2] / "instance" / "security-results"


@pytest.fixture(scope="module", autouse=True)
def _write_counts() -> Iterator[None]:
    yield
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fuzz-calls.json").write_text(
        json.dumps({"operations": len(CALLS), "requests": sum(CALLS.values())})
    )


# Operations whose every success would end the fuzzing session or its world.
NO_REAL_IDS = {("POST", "/auth/logout")}


def examples(request: pytest.FixtureRequest) -> int:
    if os.environ.get("FUZZ_EXAMPLES"):
        return int(os.environ["FUZZ_EXAMPLES"])
    return 50 if request.config.getoption("--run-slow") else 4


def session_headers(app: Flask, world: World, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    token = secrets.token_urlsafe(16)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    cookie = serializer.dumps(
        {"_user_id": world.user(role).identity, "_fresh": True, "csrf_token": token}
    )
    return {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}", "X-CSRF-Token": token}


def real_value(name: str, world: World) -> Any:
    """A real id for a path parameter, by its name."""
    ids = world.ids
    table = {
        "company_id": world.a_id,
        "key": "value_baseline",
        "milestone": "value_baseline",
        "user_id": world.user("member_a").id,
        "task_id": ids.get("task_submitted"),
        "update_id": ids.get("update_pending"),
        "evidence_id": ids.get("evidence_link"),
        "stakeholder_id": ids.get("stakeholder"),
        "message_id": ids.get("outbox_failed"),
    }
    return table.get(name)


def find_operation(label: str) -> Any:
    method, path = label.split(" ", 1)
    return SCHEMA[path][method]


def fuzz(
    app: Flask,
    world: World,
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    n: int,
    use_real: bool,
) -> None:
    """Run n generated cases of one operation in one mode, as one caller."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        real=st.booleans() if use_real else st.just(False),
    )
    def run(case: Any, real: bool) -> None:
        if real and case.path_parameters:
            for name in list(case.path_parameters):
                value = real_value(name, world)
                if value is not None:
                    case.path_parameters[name] = value
        CALLS[operation.label] += 1
        case.call_and_validate(app=app, headers=headers, checks=checks)

    run()


@pytest.mark.parametrize("label", LABELS)
def test_fuzz_operation(
    request: pytest.FixtureRequest,
    security_app: Flask,
    secworld: World,
    keeper: WorldKeeper,
    label: str,
) -> None:
    world = secworld
    operation = find_operation(label)
    method, path = label.split(" ", 1)
    use_real = (method, normalise(path)) not in NO_REAL_IDS
    failures: list[str] = []
    for role in ROLES:
        headers = session_headers(security_app, world, role)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(security_app, world, operation, mode, headers, examples(request), use_real)
            except Unsatisfiable:
                continue  # nothing to negate (no parameters, or any string is valid)
            except Exception as exc:  # collect per role and mode; report them all
                failures.append(f"--- as {role}, {mode.value} data:\n{exc}"[:3000])
    keeper.dirty = True
    assert not failures, f"{label}:\n" + "\n".join(failures)
