# The README's two commands are `make run` and `make test`; the rest are their steps.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: run test install system-deps frontend-install frontend-build lint api-types \
        check-api-types compose-check test-backend test-sqlite test-frontend test-deploy \
        test-e2e test-slow security-report audit bench stack clean

PYTEST := $(BIN)/pytest -q -p no:cacheprovider

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements-dev.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

# Debian packages the tests use (Chromium for the UI, nginx for the production topology,
# docker-compose to validate docker-compose.yml). Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

frontend-install: frontend/node_modules/.installed

# `npm install` (not `npm ci`): the registry here lags on some platform-specific optional
# packages (rollup, biome for other systems), which npm leaves out of the lock file and
# `npm ci` then refuses. The lock file still pins every package this platform installs.
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm install --no-audit --no-fund --loglevel=error
	touch $@

frontend-build: frontend-install
	cd frontend && npm run build

run: install frontend-build
	@scripts/run.sh $(HOST) $(PORT)

# Production topology on loopback (PostgreSQL, S3 server, SMTP server, gunicorn, worker, nginx).
stack: install frontend-build
	$(BIN)/python scripts/stack.py --seed-demo

lint: install
	$(BIN)/ruff check backend tests scripts gunicorn.conf.py docker
	$(BIN)/ruff format --check backend tests scripts gunicorn.conf.py docker
	$(BIN)/mypy
	$(BIN)/lint-imports

# The frontend's API types are generated from the app's OpenAPI document.
api-types: install frontend-install
	$(BIN)/milestones openapi write --format=json frontend/src/api/openapi.json
	cd frontend && npm run gen:api

check-api-types: install frontend-install
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(BIN)/milestones openapi write --format=json $$tmp/openapi.json && \
	cmp -s $$tmp/openapi.json frontend/src/api/openapi.json || \
	  { echo "frontend/src/api/openapi.json differs from the app's spec: run 'make api-types'"; exit 1; } && \
	cd frontend && npx openapi-typescript src/api/openapi.json -o $$tmp/schema.d.ts >/dev/null 2>&1 && \
	cmp -s $$tmp/schema.d.ts src/api/schema.d.ts || \
	  { echo "frontend/src/api/schema.d.ts is stale: run 'make api-types'"; exit 1; } && \
	echo "API types match the OpenAPI spec"

# Validate docker-compose.yml with a compose implementation (dummy secrets, no .env).
compose-check: system-deps
	@env_file=$$(mktemp) && trap 'rm -f $$env_file' EXIT && \
	SECRET_KEY=check POSTGRES_PASSWORD=check S3_ACCESS_KEY_ID=check S3_SECRET_ACCESS_KEY=check \
	  docker-compose --env-file $$env_file -f docker-compose.yml config -q && \
	echo "docker-compose.yml is valid"

# API, services, security matrix and fuzzing on PostgreSQL (TEST_DATABASE_URL).
test-backend: install
	$(PYTEST) -n 2 tests/unit tests/api tests/security tests/fuzz

# The same suites on SQLite, the embedded default (PostgreSQL-only tests deselected).
test-sqlite: install
	TEST_DATABASE_URL= $(PYTEST) -n 2 -m "not postgres" tests/unit tests/api tests/security tests/fuzz

test-frontend: frontend-install
	cd frontend && npm run typecheck && npm run lint && npm test

# Smoke test of the production topology through nginx, plus packaging checks.
test-deploy: install system-deps frontend-build
	$(PYTEST) tests/deploy

# Browser journeys in Chromium against the production topology; screenshots in test-results/screens.
test-e2e: install system-deps frontend-build
	$(PYTEST) tests/e2e

# Long checks (load with locust, faults: S3 and SMTP stopped, connections killed): not part
# of `make test`. The PostgreSQL restart check disturbs everything else on the machine:
# `.venv/bin/python scripts/faults/run_faults.py --restart-postgres --only postgres-restart`.
test-slow: install
	$(PYTEST) --run-slow tests/security/test_slow_checks.py

# One table of every security and reliability check (see security/README.md).
security-report: install
	$(BIN)/python scripts/security_report.py

# The metrics benchmark drives the servers with wrk (Debian's package, installed when missing).
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python scripts/bench_metrics.py
	$(BIN)/python scripts/bench_notifications.py

# Known vulnerabilities in the pinned dependencies (needs the advisory services online).
audit: install frontend-install
	$(BIN)/pip-audit -r requirements.lock
	cd frontend && npm audit --omit=dev --audit-level=high

test: install system-deps frontend-install lint check-api-types test-frontend compose-check \
      test-backend test-sqlite test-deploy test-e2e
	@echo "All suites passed."

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance test-results
