# The developer's whole interface: make run | test | lint | format | build | validate | openapi | bench | portal | screenshots
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Lambda runtime is Python 3.13: python3.13 on PATH if it runs, else pyenv's newest 3.13.
PYTHON313 := $(shell \
  if python3.13 -c '' 2>/dev/null; then command -v python3.13; \
  else ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -n1; fi)
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
export SAM_CLI_TELEMETRY := 0
PORT ?= 3000
# make run keeps its tables, files and sessions here (git-ignored); RESET=1 starts empty and seeds again.
DATA ?= .localrun-data
RESET ?=

.PHONY: help run test unit functional integration lint format typecheck validate build openapi bench clean \
	portal portal-typecheck portal-test screenshots checkov spectral

help:
	@echo "make run        serve the whole API on http://127.0.0.1:$(PORT) (moto, dev identity provider);"
	@echo "                data kept in $(DATA)/ across restarts, RESET=1 starts empty"
	@echo "make test       lint, types, template validation and every test (what CI runs)"
	@echo "make lint | format | validate | build | openapi | bench | clean"
	@echo "make checkov    cfn-lint and checkov over template.yaml (its loops expanded too)"
	@echo "make spectral   the OWASP API ruleset over docs/openapi.json"
	@echo "make portal     build the citizen portal (portal/dist); make portal-test: its vitest; make screenshots: docs/portal/*.png"

$(PY):
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found: install it (pyenv install 3.13)"; exit 1; }
	@echo ">> first run: creating the virtual environment $(VENV) (under a minute); its packages follow"
	$(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# constraints*.txt pin every transitive package too (regenerate: pip freeze), so a fresh clone
# installs exactly what CI ran.
$(VENV)/.installed: $(PY) requirements-dev.txt layers/shared/requirements.txt functions/forms/requirements.txt constraints.txt
	@echo ">> installing requirements-dev.txt into $(VENV) (pinned by constraints.txt; about 2-4 minutes on a fresh clone)"
	$(PY) -m pip install --progress-bar on -r requirements-dev.txt -c constraints.txt
	touch $@

# SAM CLI pins boto3 and caps pydantic: it lives in a virtual environment of its own.
$(SAM): constraints-sam.txt
	@echo ">> installing the SAM CLI into $(SAM_VENV), its own virtual environment (about 2 minutes, once)"
	$(PYTHON313) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --progress-bar on aws-sam-cli==1.170.0 -c constraints-sam.txt

# checkov, the infrastructure scanner assessors run (tests/unit/test_template_scanners.py): its own virtual
# environment, as its pins (boto3, pydantic) clash with .venv's; every package pinned by constraints-checkov.txt.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
$(CHECKOV): constraints-checkov.txt
	@echo ">> installing checkov into $(CHECKOV_VENV), its own virtual environment (about 2 minutes, once)"
	$(PYTHON313) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet checkov -c constraints-checkov.txt
	touch $@

# cfn-lint and checkov over template.yaml, as written and with its Fn::ForEach loops expanded.
checkov: $(VENV)/.installed $(CHECKOV)
	$(PY) -m pytest -q tests/unit/test_template_scanners.py

# Spectral and the OWASP API Security ruleset (tests/unit/test_openapi_owasp.py), exact versions from
# tests/spectral/package-lock.json.
SPECTRAL := tests/spectral
$(SPECTRAL)/node_modules/.installed: $(SPECTRAL)/package.json $(SPECTRAL)/package-lock.json
	@if command -v npm >/dev/null; then \
	  echo "npm ci --prefix $(SPECTRAL): installing Spectral and the OWASP API ruleset for the API description's lint"; \
	  npm ci --prefix $(SPECTRAL) --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the OWASP ruleset test will be skipped"; fi

spectral: $(VENV)/.installed $(SPECTRAL)/node_modules/.installed
	$(PY) -m pytest -q tests/unit/test_openapi_owasp.py

# The certified OpenID Connect provider the interoperability test starts (tests/oidc, exact versions
# from its package-lock.json). Without npm the test says so and is skipped.
OIDC := tests/oidc
$(OIDC)/node_modules/.installed: $(OIDC)/package.json $(OIDC)/package-lock.json
	@if command -v npm >/dev/null; then \
	  echo "npm ci --prefix $(OIDC): installing oidc-provider, the OpenID Connect provider the interop test runs"; \
	  npm ci --prefix $(OIDC) --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the OpenID Connect interoperability test will be skipped"; fi

# The citizen portal (portal/): Node.js 18+ and npm; packages exactly as package-lock.json pins them.
PORTAL_SOURCES := $(shell find portal/src portal/public -type f ! -name schema.d.ts ! -name "*.test.ts" 2>/dev/null) portal/index.html \
	portal/vite.config.ts portal/tsconfig.json portal/package.json docs/openapi.json

portal/node_modules/.installed: portal/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 18+ and npm (apt-get install nodejs npm)"; exit 1; }
	@echo "npm ci: installing the portal's packages as portal/package-lock.json pins them (about a minute, first time only)"
	cd portal && npm ci --no-audit --no-fund --loglevel=error
	touch $@

portal/dist/index.html: portal/node_modules/.installed $(PORTAL_SOURCES)
	@echo "vite build: building the citizen portal into portal/dist (about a minute, again only when its sources change)"
	cd portal && npm run --silent build
	touch $@

portal: portal/dist/index.html

# API types generated from docs/openapi.json, then vue-tsc: the portal cannot drift from the API.
portal-typecheck: portal/node_modules/.installed
	@echo "vue-tsc: type-checking the portal against types generated from docs/openapi.json (about 30 s)"
	cd portal && npm run --silent typecheck

# vitest: the portal's rules (rules.ts) against the service's own cases, and the form's state.
portal-test: portal/node_modules/.installed
	@echo "vitest: the portal's rules and form state (a few seconds)"
	cd portal && npm run --silent test

# Screenshots of each step of the manual's journey (README "The citizen portal"); not part of make test.
screenshots: $(VENV)/.installed portal/dist/index.html
	PORTAL_SCREENSHOTS=docs/portal $(PY) -m pytest -q tests/integration/test_portal.py tests/integration/test_portal_unit.py tests/integration/test_forms_portal.py tests/integration/test_registration_portal.py

run: $(VENV)/.installed portal/dist/index.html
	$(PY) -m localrun --port $(PORT) --data $(DATA)$(if $(filter 1 true yes,$(RESET)), --reset)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: $(VENV)/.installed
	$(PY) -m mypy layers/shared functions localrun tests

validate: $(SAM)
	$(SAM) validate --lint

test: lint typecheck portal-typecheck portal-test validate $(OIDC)/node_modules/.installed portal/dist/index.html \
		$(CHECKOV) $(SPECTRAL)/node_modules/.installed
	$(PY) -m pytest

unit functional: $(VENV)/.installed
	$(PY) -m pytest tests/$@

integration: $(VENV)/.installed $(OIDC)/node_modules/.installed portal/dist/index.html
	$(PY) -m pytest tests/$@

# sam build ships sources only, and Lambda's code is read-only: every cold start would compile every
# module again (~3x slower imports, docs/performance.md). Ship CPython 3.13 bytecode beside the sources
# (__pycache__/*.cpython-313.pyc, the only place an import looks while the .py is present), as
# unchecked-hash .pyc: used without comparing source mtimes, which a zip round trip does not keep exactly.
build: $(SAM)
	PATH="$(dir $(PYTHON313)):$$PATH" $(SAM) build
	$(PYTHON313) -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build

openapi: $(VENV)/.installed
	$(PY) -m localrun.openapi > docs/openapi.json

bench: $(VENV)/.installed
	$(PY) -m bench

clean:
	rm -rf .aws-sam $(VENV) $(SAM_VENV) $(CHECKOV_VENV) .pytest_cache .mypy_cache .ruff_cache $(OIDC)/node_modules \
		portal/node_modules portal/dist $(SPECTRAL)/node_modules
