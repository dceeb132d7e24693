# The few commands people type. Everything installs into ./.venv; only Python 3.11+ is needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOURS  ?= 10
# torch is installed explicitly, before the extras, so that pip never resolves a bare `torch`.
# On a machine with internet access you can add: TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH  ?= torch==2.13.0
TORCH_INDEX ?=
PYTEST_ARGS ?=

.PHONY: plan install test dev lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$(TORCH)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dl,dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

## make plan: install mlpath and make a study plan on the bundled curriculum
plan: $(VENV)/.installed
	$(BIN)/mlpath plan --hours $(HOURS)

## make test: install mlpath with every extra (labs, deep learning, dev tools) and run the whole suite
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

dev: $(VENV)/.installed-dev

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/labs.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
