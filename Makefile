# The two commands a new machine needs: `make up` runs the platform, `make test` runs the tests.
# Each creates the virtual environment (.venv) and installs what it needs first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: up test test-fast lint schemas clean bench bench-sqlite bench-publication

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

up: $(VENV)/.installed
	$(BIN)/educluster up

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -p no:cacheprovider

# Everything but the slow broker-recovery and launcher tests.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -p no:cacheprovider -m "not slow"

# ruff (lint and format) and mypy (strict on shared/ and educluster/): run by .ci/run too.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check shared educluster services tests bench
	$(BIN)/ruff format --check shared educluster services tests bench
	$(BIN)/mypy

# The gateway hop's cost: the same load on a service directly and through the gateway (~1 min).
bench: $(VENV)/.installed
	$(BIN)/python -m bench.gateway_overhead

# Reads alone and during concurrent bulk assessment writes on SQLite (whole platform, ~2-3 min).
bench-sqlite: $(VENV)/.installed
	$(BIN)/python -m bench.sqlite_contention

# One interim round of audited publications on a synthetic history (sizes: --help; a minute or
# two at the default size, far more at the whole country's: see bench/README.md).
bench-publication: $(VENV)/.installed
	$(BIN)/python -m bench.publication $(ARGS)

schemas: $(VENV)/.installed
	$(BIN)/educluster events schema --out docs/events
	$(BIN)/python -m gateway.edge.access > docs/access.md
	$(BIN)/python -m shared.contracts.asyncapi > docs/asyncapi.yaml
	$(BIN)/python -m educluster.documents openapi > docs/openapi.json

clean:
	rm -rf $(VENV) var .pytest_cache
