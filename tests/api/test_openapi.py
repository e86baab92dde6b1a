"""The OpenAPI spec names every operation once, and a client generator reads it cleanly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from flask import Flask

from milestones.api.pagination import operation_id

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$")


def _spec(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.get_json()
    return spec


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_operation_has_a_unique_camel_case_operation_id(app: Flask) -> None:
    operations = _operations(_spec(app))
    assert len(operations) > 80
    missing = [f"{method} {path}" for method, path, op in operations if not op.get("operationId")]
    assert missing == []
    ids = [op["operationId"] for _, _, op in operations]
    assert sorted(i for i in ids if not CAMEL.match(i)) == []
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_operation_ids_come_from_the_view_and_the_method(app: Flask) -> None:
    by_route = {(method, path): op["operationId"] for method, path, op in _operations(_spec(app))}
    assert by_route[("GET", "/api/v1/companies/{company_id}/tasks")] == "getCompanyTasks"
    assert by_route[("POST", "/api/v1/tasks/{task_id}/submit")] == "postSubmitTask"
    assert by_route[("PATCH", "/api/v1/users/{user_id}")] == "patchUserById"
    assert by_route[("GET", "/api/v1/ping")] == "getPing"
    assert by_route[("POST", "/api/v1/webhooks/{webhook_id}/ping")] == "postWebhookPing"

    class CompanyThings:
        pass

    assert operation_id(CompanyThings, "DELETE") == "deleteCompanyThings"


def test_a_python_client_generates_from_the_spec_without_warnings(
    app: Flask, tmp_path: Path
) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(_spec(app)))
    # The spreadsheet exports are binary downloads; the generator knows them as such under
    # the generic binary type only.
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    config = {"content_type_overrides": {xlsx: "application/octet-stream"}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    bin_dir = str(Path(sys.executable).parent)
    # The generator formats its output with ruff, which it looks up on PATH.
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [
            str(Path(bin_dir) / "openapi-python-client"),
            "generate",
            "--path",
            "openapi.json",
            "--config",
            "config.json",
            "--output-path",
            "client",
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "Error" not in output, output
    generated = tmp_path / "client"
    assert (generated / "api" / "tasks" / "get_company_tasks.py").is_file()
    assert (generated / "api" / "tasks" / "post_submit_task.py").is_file()
