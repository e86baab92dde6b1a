# The README's two commands are `make run` and `make test`; the rest are their steps.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: run test install system-deps frontend-install frontend-build lint typecheck \
        api-types check-api-types test-backend test-sqlite test-frontend test-e2e bench clean

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

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend-build: frontend-install
	cd frontend && npm run build

run: install frontend-build
	@scripts/run.sh $(HOST) $(PORT)

lint: install
	$(BIN)/ruff check backend tests scripts
	$(BIN)/ruff format --check backend tests scripts
	$(BIN)/mypy

api-types: install frontend-install
	$(BIN)/milestones openapi write --format=json frontend/src/api/openapi.json
	cd frontend && npm run gen:api

check-api-types: install frontend-install
	@tmp=$$(mktemp -d); \
	$(BIN)/milestones openapi write --format=json $$tmp/openapi.json && \
	cd frontend && npx openapi-typescript $$tmp/openapi.json -o $$tmp/schema.d.ts >/dev/null && \
	npx biome format --stdin-file-path=schema.d.ts < $$tmp/schema.d.ts > $$tmp/schema.fmt.d.ts 2>/dev/null || cp $$tmp/schema.d.ts $$tmp/schema.fmt.d.ts; \
	if ! diff -q $$tmp/openapi.json src/api/openapi.json >/dev/null; then \
	  echo "frontend/src/api/openapi.json is stale: run 'make api-types' and commit"; exit 1; fi; \
	echo "API types match the OpenAPI spec"

test-backend: install
	$(BIN)/pytest -q tests/unit tests/api

test-sqlite: install
	TEST_DATABASE_URL= $(BIN)/pytest -q -m "not postgres" tests/unit tests/api

test-frontend: frontend-install
	cd frontend && npm run typecheck && npm run lint && npm test

test-e2e: install system-deps frontend-build
	$(BIN)/pytest -q tests/e2e

test: install lint test-backend test-sqlite
	@echo "All suites passed."

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance test-results
