# Two entry points that work on a machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit fuzz bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@bash examples/demo.sh $(BIN)/ledger

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# A long random run of tests/fuzz (LEDGER_FUZZ_EXAMPLES per backend; make test runs a fixed 20).
# LEDGER_FUZZ_READS=1 also runs every read command on what was accepted.
fuzz: $(STAMP)
	LEDGER_FUZZ_EXAMPLES=$${LEDGER_FUZZ_EXAMPLES:-2000} $(BIN)/pytest -p no:cacheprovider tests/fuzz

bench: $(STAMP)
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
