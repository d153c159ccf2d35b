# The two commands a new machine needs: `make up` runs the platform, `make test` runs the tests.
# Each creates the virtual environment (.venv) and installs what it needs first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: up test test-fast reliability lint schemas clean bench bench-sqlite bench-publication \
	bench-ingestion bench-freshness bench-reads bench-scoring bench-rebuild
.PHONY: lock images pin-base

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the locked versions, every file's hash checked (requirements/*.lock, `make lock`),
# then the project itself, editable, without resolving or downloading anything more.
$(VENV)/.installed-dev: requirements/dev.lock requirements/build.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps \
		-r requirements/build.lock -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# `make up` and the benchmarks run in the same environment as the tests (with the bundled broker).
$(VENV)/.installed: $(VENV)/.installed-dev
	touch $@

up: $(VENV)/.installed
	$(BIN)/educluster up

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -p no:cacheprovider

# Everything but the slow broker-recovery and launcher tests.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -p no:cacheprovider -m "not slow"

# tests/reliability at full size (faults: 5,000 assessments a run; load: 50 clients for 60 s;
# hostile input; malformed events), then docs/reliability.md from what they recorded. Takes
# an hour or more on 2 cores. `make test` runs the same tests at a reduced size.
RELIABILITY_FIGURES ?= /tmp/educluster-reliability
reliability: $(VENV)/.installed-dev
	rm -rf $(RELIABILITY_FIGURES) && mkdir -p $(RELIABILITY_FIGURES)
	RELIABILITY_SIZE=full RELIABILITY_FIGURES=$(RELIABILITY_FIGURES) $(BIN)/python -m pytest \
		-p no:cacheprovider -o timeout=3600 --junitxml=$(RELIABILITY_FIGURES)/junit.xml \
		tests/reliability; status=$$?; \
	$(BIN)/python -m tests.reliability.report $(RELIABILITY_FIGURES) docs/reliability.md; \
	exit $$status

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

# Country scale (whole platform; sizes and --postgres: --help; a few minutes each by default):
# assessments/s through the gateway against the single-row commit ceiling, with the quality
# consumer's lag; 201 to the live national figure; scorecard reads under 8 readers.
# Scoring cost per event with 10,000 against 1,000,000 stored assessments (country-scale issue).
bench-scoring: $(VENV)/.installed
	$(BIN)/python -m bench.scoring_cost $(ARGS)

# Rebuild from the event history, events per second (country-scale issue, benchmark 6).
bench-rebuild: $(VENV)/.installed
	$(BIN)/python -m bench.rebuild $(ARGS)

bench-ingestion: $(VENV)/.installed
	$(BIN)/python -m bench.ingestion $(ARGS)

bench-freshness: $(VENV)/.installed
	$(BIN)/python -m bench.freshness $(ARGS)

bench-reads: $(VENV)/.installed
	$(BIN)/python -m bench.reads $(ARGS)

schemas: $(VENV)/.installed
	$(BIN)/educluster events schema --out docs/events
	$(BIN)/python -m gateway.edge.access > docs/access.md
	$(BIN)/python -m shared.contracts.asyncapi > docs/asyncapi.yaml
	$(BIN)/python -m educluster.documents openapi > docs/openapi.json

# Re-resolve the locks after a change to pyproject.toml (UPGRADE=1: everything to the newest
# versions it allows), for Python 3.11 on linux x86_64 like the images. dev.lock first, then
# base.lock (the images') held to dev.lock's versions: the tests run what the images ship.
UV_VERSION := 0.13.9
LOCK = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade)
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(LOCK) pyproject.toml --extra dev -o requirements/dev.lock
	$(LOCK) pyproject.toml -c requirements/dev.lock -o requirements/base.lock
	$(BIN)/python -c "$$BUILD_REQUIRES" | $(LOCK) - -c requirements/dev.lock -o requirements/build.lock

# pyproject's [build-system] requires, one a line: what `pip install --no-build-isolation` needs.
export BUILD_REQUIRES := import tomllib; \
	print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")

# The four service images from the one Dockerfile, tagged with `git describe` (docs/deploy.md).
IMAGE_TAG ?= $(shell git describe --tags --always --dirty)
images:
	for service in gateway registry assessment quality; do \
		docker build --build-arg SERVICE=$$service --build-arg VERSION=$(IMAGE_TAG) \
			--build-arg REVISION=$$(git rev-parse HEAD) \
			-t educluster/$$service:$(IMAGE_TAG) . || exit 1; \
	done

# Point the Dockerfile at python:3.11-slim's current digest (needs docker buildx and the network).
pin-base:
	sh deploy/images/pin-base.sh

clean:
	rm -rf $(VENV) var .pytest_cache
