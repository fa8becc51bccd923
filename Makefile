# KruPD: set-up, run and test. A fresh machine needs only Python 3.11+, pip, git, Node/npm
# (and Debian's apt for the browser tests). Everything else installs into .venv and
# node_modules, re-installed only when requirements*.txt or package*.json change.
#
#   make run            install, migrate, load the demo office, serve http://127.0.0.1:8000
#   make test           install, then the whole test suite on SQLite (browser tests excluded)
#   make browser-test   the Playwright browser tests against Debian's Chromium
#   make lint           ruff check + ruff format --check
#   make bench          the benchmark suite (python -m bench); results in var/bench/latest.json
#   make bench-quick    every benchmark at small sizes, to try the suite
#   make bench-national-import   one 450,000-row personnel import: time and peak memory (~20 min)
#   make audit          pip-audit: known vulnerabilities in the installed packages
#   make serve-prod     production server: collectstatic, migrate, gunicorn + db_worker
#
# .ci/run runs `make test`, then the suite on a throwaway PostgreSQL server, then the
# browser tests.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.requirements.stamp
# `make run` needs only the runtime packages (requirements.txt): the test tools (Playwright,
# schemathesis, pip-audit ...) come with the first `make test` and the like.
RUNTIME_STAMP := $(VENV)/.runtime.stamp
NODE_STAMP := node_modules/.stamp
CHROMIUM := /usr/bin/chromium

HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k thai_id -x"`.
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist). Two by default: the suite (about 1,300 tests, several
# building a whole demo office) took 5.6 min with two workers on a loaded 2-core machine.
# `make test XDIST=0` runs it in one process.
XDIST ?= 2

.PHONY: help venv run test bench bench-quick bench-national-import lint browser-test audit serve-prod

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

venv: $(VENV_STAMP) $(NODE_STAMP)

$(VENV_STAMP): $(wildcard requirements*.txt)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@scripts/install-python.sh requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

$(RUNTIME_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@scripts/install-python.sh requirements.txt
	@touch $@

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@echo "ติดตั้งแพ็กเกจหน้าเว็บลงใน node_modules ..."
	@if [ -f package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	else \
		npm install --no-audit --no-fund --loglevel=error; \
	fi
	@touch $@

run: $(RUNTIME_STAMP) $(NODE_STAMP)
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: venv
	$(PY) -m pytest -m "not browser" -n $(XDIST) $(PYTEST_ARGS)

bench: venv
	$(PY) -m bench

bench-quick: venv
	$(PY) -m bench --quick

bench-national-import: venv
	$(PY) -m bench --national-import --out bench-national-import.json

lint: venv
	@rc=0; \
	$(PY) -m ruff check . || rc=1; \
	$(PY) -m ruff format --check . || rc=1; \
	exit $$rc

browser-test: venv
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium ..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "$(CHROMIUM) is missing: run 'sudo apt-get install chromium' and try again." >&2; \
			exit 1; \
		fi; \
	fi
	$(PY) -m pytest tests_browser -m browser $(PYTEST_ARGS)

# Fails on a known vulnerability; only warns when the vulnerability service cannot be reached
# (offline CI, a proxy), since "could not check" is not "vulnerable".
audit: venv
	@out=$$($(PY) -m pip_audit --progress-spinner off --skip-editable --strict 2>&1); rc=$$?; \
	echo "$$out" | grep -v "could not be audited" | head -n 60; \
	if [ $$rc = 0 ]; then exit 0; fi; \
	if echo "$$out" | grep -qiE "known vulnerabilit(y|ies)( found)?" && ! echo "$$out" | grep -q "No known vulnerabilities"; then \
		echo "pip-audit: known vulnerabilities above" >&2; exit 1; \
	fi; \
	echo "WARNING: pip-audit could not reach the vulnerability service; packages NOT audited" >&2

serve-prod: venv
	@scripts/serve-prod.sh
