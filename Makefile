# regional-divide: `make report` regenerates every report, `make test` runs every test.
# Both create (once) and reuse a virtual environment in .venv from requirements.lock + pyproject.toml.
SHELL := /bin/bash
PYTHON ?= python3
MIN_PYTHON := 3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := regional-divide
.DEFAULT_GOAL := help

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The version of the interpreter $(1) as X.Y.Z, empty if it does not run.
py_version = $$($(1) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null | sed 's/^Python //')
# Whether version $(1) is at least MIN_PYTHON (as a shell condition).
py_recent = { [ -n "$(1)" ] && [ "$$(printf '%s\n' $(MIN_PYTHON) "$(1)" | sort -V | head -n1)" = "$(MIN_PYTHON)" ]; }
INSTALL_HINT := Install Python $(MIN_PYTHON) or newer (Debian/Ubuntu: sudo apt-get install python3.11 python3.11-venv; \
macOS: brew install python@3.11; any system: uv python install 3.11), then run make again with PYTHON=python3.11 \
(or the path to that interpreter). Conda users: see environment.yml.

# .venv is rebuilt when its interpreter no longer runs or is older than MIN_PYTHON (checked on every call: cheap).
VENV_VERSION := $(shell $(BIN)/python -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
VENV_OK := $(shell v="$(VENV_VERSION)"; $(call py_recent,$$v) && echo yes)
ifneq ($(VENV_OK),yes)
STAMP_FORCE := venv-rebuild
endif

venv-rebuild:
	@if [ -e $(VENV) ]; then echo "make: $(VENV) has Python '$(VENV_VERSION)' (needs $(MIN_PYTHON)+ that runs): rebuilding it"; rm -rf $(VENV); fi

# Every third-party package is hash-checked: uv and setuptools (the build backend) from requirements-bootstrap.txt,
# the rest from requirements.lock; the project itself is installed editable with that setuptools (no build isolation,
# so nothing unpinned is fetched to build it).
$(STAMP): requirements.lock requirements-bootstrap.txt pyproject.toml $(STAMP_FORCE)
	@v="$(call py_version,$(PYTHON))"; \
	if [ -x $(BIN)/python ]; then :; \
	elif [ -z "$$v" ]; then echo "make: cannot run '$(PYTHON)' to create $(VENV). $(INSTALL_HINT)" >&2; exit 1; \
	elif ! $(call py_recent,$$v); then echo "make: $(VENV) needs Python $(MIN_PYTHON) or newer, but '$(PYTHON)' is Python $$v. $(INSTALL_HINT)" >&2; exit 1; \
	else $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (regional-divide)" >/dev/null
	@touch $(STAMP)

env: $(STAMP) ## Create or update the virtual environment and the Jupyter kernel (no-op when up to date)

data: $(STAMP) ## Fetch the sources (mirror: REGIONAL_DIVIDE_DATA_MIRROR) and build data/processed
	$(BIN)/regional-divide data

report: data ## Regenerate every report into reports/
	$(BIN)/regional-divide report

test: $(STAMP) | tests/browser/node_modules ## Run every test (unit, real-data, fault, notebook and browser tests)
	$(BIN)/python -m pytest

# axe-core for the browser test's accessibility audit, from the npm registry (pinned in tests/browser/package-lock.json).
tests/browser/node_modules:
	npm ci --prefix tests/browser --no-audit --no-fund

test-fast: $(STAMP) ## Unit tests on small fixtures only (no real data, notebooks or browser; under a minute)
	$(BIN)/python -m pytest -m fast tests

report-all: data ## Every report plus a profile of every ITL2 and ITL3 area (220 more; slow)
	$(BIN)/regional-divide report --all-areas

lab: $(STAMP) ## Open JupyterLab at the repository root (notebooks/, reports/, data/; save experiments in scratch/) on the project kernel (extra options: LAB_ARGS="--port 8890 --no-browser")
	@mkdir -p scratch
	$(BIN)/jupyter lab --notebook-dir=. $(LAB_ARGS)

kernel: $(STAMP) ## Install the project kernel for your user, so any JupyterLab or VS Code lists it
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "Python (regional-divide)"

benchmark-data: $(STAMP) ## Time `make data` from an empty data/ and with nothing changed (medians)
	$(BIN)/python scripts/benchmark_data.py

benchmark-update: data ## Time `sources update` of the Indeed regional file against a local server (medians)
	$(BIN)/python scripts/benchmark_update.py

benchmark-reports: data ## Time cold and unchanged report runs against papermill + nbconvert CLIs (medians)
	$(BIN)/python scripts/benchmark_reports.py

lock: ## Re-resolve pinned versions, with hashes, into requirements.lock and requirements-bootstrap.txt (needs PyPI)
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version $(MIN_PYTHON) --generate-hashes --no-header -o requirements.lock
	$(BIN)/uv pip compile requirements-bootstrap.in --universal --python-version $(MIN_PYTHON) --generate-hashes --no-header -o requirements-bootstrap.txt

clean-data: ## Delete fetched and processed data (they are rebuilt by `make data`)
	find data/raw data/processed -mindepth 1 ! -name README.md -delete

.PHONY: help env data report report-all test test-fast lab kernel benchmark-data benchmark-update benchmark-reports lock clean-data venv-rebuild
