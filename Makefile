# The README's commands. `make run` sets up the embedded default and serves the demo portal;
# `make test` runs the whole test suite.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run install setup serve test lint check

run: setup serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt

setup: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

serve:
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
