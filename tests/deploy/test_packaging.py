"""The deployment files agree with each other and with the app (no Docker engine needed).

docker-compose.yml is checked by a compose implementation (Debian's docker-compose v1, or
`docker compose`), .env.example against config.py, the nginx image's helpers against the
test harness's rendering of the same template.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.stack import NGINX_TEMPLATE, client_max_body_size, render_nginx_site

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "SECRET_KEY": "compose-check-secret",
    "POSTGRES_PASSWORD": "compose-check-db",
    "S3_ACCESS_KEY_ID": "compose-check-id",
    "S3_SECRET_ACCESS_KEY": "compose-check-key",
}


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        return ["docker", "compose"]
    pytest.fail("no compose implementation: `make system-deps` installs docker-compose")


def run_compose(*args: str, secrets: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update(secrets)
    # An empty env file: a developer's own .env must not change what is checked.
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.env"
        empty.write_text("")
        return _compose(empty, args, env)


def _compose(
    env_file: Path, args: tuple[str, ...], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*compose_command(), "--env-file", str(env_file), "-f", "docker-compose.yml", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    result = run_compose("config", secrets=SECRETS)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def test_compose_file_is_valid(compose: dict[str, Any]) -> None:
    assert run_compose("config", "-q", secrets=SECRETS).returncode == 0
    assert set(compose["services"]) == {
        "postgres",
        "minio",
        "createbuckets",
        "mailpit",
        "api",
        "worker",
        "nginx",
    }


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_requires_every_secret(missing: str) -> None:
    secrets = {k: v for k, v in SECRETS.items() if k != missing}
    result = run_compose("config", "-q", secrets=secrets)
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr


def test_compose_services_wired_for_production(compose: dict[str, Any]) -> None:
    services = compose["services"]
    api_env = services["api"]["environment"]
    assert api_env["APP_ENV"] == "production"
    assert api_env["SECRET_KEY"] == SECRETS["SECRET_KEY"]
    assert api_env["STORAGE_BACKEND"] == "s3"
    assert api_env["TRUST_PROXY_HOPS"] == "1"
    assert api_env["DATABASE_URL"].startswith("postgresql+psycopg://milestones:compose-check-db@")
    assert "ports" not in services["api"]  # only nginx is published: api can be scaled
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert (
        services["api"]["depends_on"]["createbuckets"]["condition"]
        == "service_completed_successfully"
    )
    assert services["worker"]["command"] == ["milestones", "notifications", "deliver"]
    assert services["worker"]["environment"]["RUN_MIGRATIONS"] == "0"
    assert services["postgres"]["healthcheck"]["test"][0] == "CMD-SHELL"
    # compose v1 prints "pgdata:/var/lib/postgresql/data:rw", compose v2 a mapping
    volumes = [
        v if isinstance(v, str) else f"{v['source']}:{v['target']}"
        for v in services["postgres"]["volumes"]
    ]
    assert any(v.startswith("pgdata:/var/lib/postgresql/data") for v in volumes)
    assert "mc mb --ignore-existing" in " ".join(services["createbuckets"]["entrypoint"])
    assert services["nginx"]["build"]["dockerfile"].endswith("docker/frontend.Dockerfile")


def test_env_example_names_every_setting() -> None:
    config_py = (ROOT / "backend" / "milestones" / "config.py").read_text()
    factory = (ROOT / "backend" / "milestones" / "__init__.py").read_text()
    settings = set(re.findall(r'(?:env|_int)\("([A-Z][A-Z0-9_]+)"', config_py))
    settings |= set(re.findall(r'environ\.get\("([A-Z][A-Z0-9_]+)"', factory))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert len(settings) > 20
    assert settings - documented == set()


def test_nginx_image_renders_like_the_harness() -> None:
    # The template's variables are exactly the ones the image's envsubst filter lets through.
    template_vars = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", NGINX_TEMPLATE.read_text()))
    dockerfile = (ROOT / "docker" / "frontend.Dockerfile").read_text()
    filter_match = re.search(r'NGINX_ENVSUBST_FILTER="\^\(([A-Z_|]+)\)\\\$"', dockerfile)
    assert filter_match
    assert set(filter_match.group(1).split("|")) == template_vars
    # The upload limit: MAX_UPLOAD_MB plus the multipart envelope, computed the same way.
    script = ROOT / "docker" / "nginx" / "15-upload-limit.envsh"
    shell = subprocess.run(
        ["sh", "-c", f'. "{script}" && printf %s "$CLIENT_MAX_BODY_SIZE"'],
        env={"MAX_UPLOAD_MB": "40", "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout == client_max_body_size(40) == "41m"
    site = render_nginx_site(
        listen="80", api_upstream="api:8000", spa_root="/srv", max_upload_mb=40
    )
    assert "client_max_body_size 41m;" in site
    assert "${" not in site
    gzip_types = re.search(r"gzip_types ([^;]+);", site)
    assert gzip_types and "json" not in gzip_types.group(1)  # JSON keeps strong ETags


@pytest.mark.postgres
def test_concurrent_container_starts_migrate_once(tmp_path: Path) -> None:
    """Two API containers starting together: docker/migrate.py serialises the upgrade."""
    from tests.conftest import create_database

    url, drop = create_database(tmp_path)
    try:
        env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance")}
        env.pop("APP_ENV", None)
        procs = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "docker" / "migrate.py")],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [proc.communicate(timeout=120)[0] for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], outputs
        assert sum("Running upgrade  -> 0001" in out for out in outputs) == 1, outputs
        assert all("database schema is current" in out for out in outputs)
    finally:
        drop()
