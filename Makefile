# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PORT ?= 8000
# Links in e-mails and messages point at the port the site is served on.
export SITE_URL ?= http://127.0.0.1:$(PORT)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# Python 3.13: from PYTHON, the PATH, or pyenv's usual places (a pyenv shim that is not
# activated for 3.13 fails the version check and is skipped).
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 \
	/root/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { echo "$$p"; break; }; done)

.PHONY: run test install db-start db-stop migrate seed lint format bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.13 is needed: install it, or name it with PYTHON=/path/to/python3.13" >&2; exit 1; }
	@test -x $(PY) || "$(PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

# The French and Spanish catalogs, compiled whenever their .po changes (GNU gettext's msgfmt).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "error: msgfmt is needed to compile the translations: install GNU gettext (Debian: apt install gettext)" >&2; exit 1; }
	msgfmt --check -o $@ $<

install: $(VENV)/.installed $(CATALOGS)

db-start: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m devtools.localdb start; fi

db-stop:
	@if [ -x $(PY) ]; then $(PY) -m devtools.localdb stop; else echo "no local database to stop"; fi

migrate: db-start
	$(MANAGE) migrate --no-input --verbosity 0
	$(MANAGE) createcachetable

seed: migrate
	$(MANAGE) load_seed_event
	$(MANAGE) prepare_rehearsal_seminar
	$(MANAGE) ensure_local_organizer
	$(MANAGE) render_proceedings

# The development server connects to the database per request (the settings see `runserver`);
# bench/dev_connections.py starts this same command and counts its connections.
run: seed
	@echo "Serving the seminar site on http://127.0.0.1:$(PORT)/  (stop with Ctrl-C; make db-stop stops the database)"
	$(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

# The import contract (pyproject's [tool.importlinter]) first: a broken layer fails fast.
# Temporary folders live in the clone's var/: the test servers' user is given traverse access to it,
# and another pytest run (which resets /tmp/pytest-of-<user> to mode 0700) cannot take it away.
test: seed
	$(VENV)/bin/lint-imports
	$(PY) -m pytest --basetemp=var/pytest $(PYTEST_ARGS)

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: migrate
	$(PY) bench/run.py

clean: db-stop
	rm -rf $(VENV) var staticfiles
