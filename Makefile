# Every target works from a fresh clone: the first one that needs .venv creates it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
ORIGINALITY := ../shared/tools/check_originality.py

.PHONY: install install-test run test test-postgres lint fmt typecheck cov bank-check originality db-migrate db-upgrade bench demo-data generated clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.test-installed

run: install
	$(BIN)/quiz init
	$(BIN)/quiz run --host $(HOST) --port $(PORT)

test: install-test lint bank-check originality
	$(BIN)/pytest

# The SQL-heavy tests again on a throwaway PostgreSQL (installed if missing), to keep
# every query portable.
PG_TESTS = tests/web/test_class_dashboard.py tests/web/test_dashboard.py tests/test_cli.py \
	tests/web/test_classes.py tests/web/test_request.py tests/web/test_quiz.py
test-postgres: install-test
	.ci/with-postgres $(BIN)/pytest -q $(PG_TESTS)

lint: install-test
	$(BIN)/ruff check quiz tests
	$(BIN)/ruff format --check quiz tests

fmt: install-test
	$(BIN)/ruff format quiz tests
	$(BIN)/ruff check --fix quiz tests

typecheck: install-test
	$(BIN)/mypy

cov: install-test
	$(BIN)/pip install -q coverage
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report --skip-covered

bank-check: install-test
	$(BIN)/quiz bank check

originality:
	@if [ -f $(ORIGINALITY) ]; then $(PYTHON) $(ORIGINALITY) . && echo "originality: no sentence copied from the seed articles"; else echo "originality: $(ORIGINALITY) not found, skipped"; fi

db-migrate: install
	$(BIN)/quiz db migrate -m "$(m)"

db-upgrade: install
	$(BIN)/quiz db upgrade

bench: install-test
	$(BIN)/pytest tests/benchmarks -s -p no:cacheprovider -o addopts=""

demo-data: install
	$(BIN)/quiz demo-data --students $(or $(students),30) --responses $(or $(responses),3000) $(if $(owner),--owner $(owner))

# Rebuild the generated set from the notes, applying the reviewers' decisions.
generated: install
	$(BIN)/quiz generate questions/sources/*.md --format yaml \
		--decisions questions/review/generated.yaml -o questions/generated/notes.yaml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
