# regional-divide: `make report` regenerates every report, `make test` runs every test.
# Both create (once) and reuse a virtual environment in .venv from requirements.lock + pyproject.toml.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := regional-divide
.DEFAULT_GOAL := help

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (regional-divide)" >/dev/null
	@touch $(STAMP)

env: $(STAMP) ## Create or update the virtual environment and the Jupyter kernel (no-op when up to date)

data: $(STAMP) ## Fetch the sources (mirror: REGIONAL_DIVIDE_DATA_MIRROR) and build data/processed
	$(BIN)/regional-divide data

report: data ## Regenerate every report into reports/
	$(BIN)/regional-divide report

test: $(STAMP) ## Run every test (unit, data integration, fault and notebook tests)
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open JupyterLab on the project kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

benchmark-data: $(STAMP) ## Time `make data` from an empty data/ and with nothing changed (medians)
	$(BIN)/python scripts/benchmark_data.py

benchmark-reports: data ## Time cold and unchanged report runs against papermill + nbconvert CLIs (medians)
	$(BIN)/python scripts/benchmark_reports.py

lock: ## Re-resolve pinned versions into requirements.lock (needs PyPI)
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements.lock

clean-data: ## Delete fetched and processed data (they are rebuilt by `make data`)
	find data/raw data/processed -mindepth 1 ! -name README.md -delete

.PHONY: help env data report test lab benchmark-data benchmark-reports lock clean-data
