# One entry point for developers and CI. Everything a target needs is installed by the target itself.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test check lint format typecheck migrations-check test-postgres deploy-check clean bench test-e2e drill fuzz \
	migrate serve worker test-scale load faults check-proxy

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Development server on the embedded SQLite database, with demo data.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	CHUANGYE_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

# Schemathesis against the OpenAPI document as anonymous, citizen, officer and bank (decision 0017).
# Longer run: FUZZ_EXAMPLES=200 make fuzz
fuzz: install
	$(PY) -m pytest fuzz

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy chuangye config

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# `check --deploy` in production mode, with throwaway secrets generated for this run only.
deploy-check: install
	bash scripts/deploy-check.sh

check: lint typecheck migrations-check deploy-check test fuzz

# The whole suite against a throwaway PostgreSQL cluster (installed from Debian if missing, always stopped).
test-postgres: install
	bash scripts/test-postgres.sh $(PY) -m pytest

# Benchmarks (not timed tests): compare with a reference measured in the same run; tables go to bench/README.md.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): requirements-bench.lock $(STAMP)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-bench.lock
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	bash bench/run.sh $(PY)

# Browser journeys: Debian's Chromium driven by Playwright against a live server with demo data.
test-e2e: install
	bash e2e/run.sh $(PY)

# Restore drill: seed a throwaway database, back it up, restore it into a scratch database and compare counts,
# contents, ledger totals, audit chains and attachment files (SQLite, then PostgreSQL in a throwaway cluster).
drill: install
	PY=$(PY) bash scripts/drill.sh

# Production-style processes (docs/deployment.md): configuration only through CHUANGYE_* environment variables.
# Once per release: migrations and static files (scripts/release.sh); then any number of app servers and workers.
migrate: install
	PY=$(PY) bash scripts/release.sh

serve: install
	PY=$(PY) bash scripts/serve.sh

worker: install
	PY=$(PY) bash scripts/worker.sh

# Several processes at once: Redis and PostgreSQL on loopback, two app servers and two task workers (issue 15).
test-scale: install
	PY=$(PY) bash scripts/test-scale.sh

# Load scenario (locust, headless) against gunicorn on PostgreSQL holding a million registrants; figures go to
# bench/README.md. Not part of CI: it takes a while.
LOAD_STAMP := $(VENV)/.load-installed
$(LOAD_STAMP): requirements-load.lock $(STAMP)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-load.lock
	touch $(LOAD_STAMP)

load: $(LOAD_STAMP)
	PY=$(PY) bash scripts/load.sh

# The nginx configuration of docs/deployment.md in front of two app servers (installs nginx if missing).
check-proxy: install
	PY=$(PY) bash deploy/check-proxy.sh

# Faults under traffic: SIGKILL an app-server worker mid-submission, restart PostgreSQL mid-traffic.
faults: install
	PY=$(PY) bash scripts/faults.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
