# Shortcuts for the commands people type; dev.py does the work with nothing but Python.
PYTHON ?= python3
BIN    := .venv/bin
HOURS  ?= 10

.PHONY: plan test lint typecheck bench clean

## make plan: install mlpath into ./.venv and make a study plan on the bundled curriculum
plan:
	$(PYTHON) dev.py plan --hours $(HOURS)

## make test: install every extra (labs, deep learning, dev tools) and run the whole suite
test:
	$(PYTHON) dev.py test $(PYTEST_ARGS)

lint:
	$(PYTHON) dev.py setup
	$(BIN)/ruff check src tests benchmarks dev.py
	$(BIN)/ruff format --check src tests benchmarks dev.py

typecheck:
	$(PYTHON) dev.py setup
	$(BIN)/mypy

bench:
	$(PYTHON) dev.py setup
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/labs.py

clean:
	rm -rf .venv build dist .pytest_cache .mypy_cache .ruff_cache
