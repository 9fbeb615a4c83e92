# The README's commands. `make run` sets up the embedded default and serves the demo portal;
# `make test` runs the whole test suite.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run install setup serve test lint check services elasticsearch elasticsearch-cluster elasticsearch-stop

run: setup serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs again only when a requirements file changed (the stamp file records the last install).
install: $(VENV)/.installed

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo

# The worker runs the queued tasks (search/tasks.py, lifecycle/tasks.py, reuse/tasks.py) beside
# the development server, and stops with it.
serve:
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# PostgreSQL and Redis (installed from Debian's packages when missing) for the full test suite.
services:
	.ci/services

# Real Elasticsearch nodes from Maven Central (needs Java 17 and Maven): one node on :9200, or three
# on :9200-9202; `make elasticsearch-stop` stops either. See elasticsearch-runner/.
elasticsearch:
	elasticsearch-runner/start 1

elasticsearch-cluster:
	elasticsearch-runner/start 3

elasticsearch-stop:
	elasticsearch-runner/stop
