# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DJANGO_DEBUG=1 PORTAL_DEMO=1

.PHONY: run test install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo "Portal: http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests run in their own pytest session: Playwright's sync API
# needs DJANGO_ALLOW_ASYNC_UNSAFE, which the rest of the suite must not have.
# Both run on every core (pytest-xdist), a test module on one worker: a module's fixtures (the
# production check's server, a browser test's demo) are built once. Each worker has its own test database.
test: install-dev
	$(BIN)/python -m pytest tests --ignore=tests/e2e -n auto --dist loadscope
	$(BIN)/python -m pytest tests/e2e -n auto --dist loadfile
