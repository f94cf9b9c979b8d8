# Everyday commands. `make run` and `make test` are the two commands of the README; both install
# what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.install-stamp

.PHONY: install run test test-postgres lint check messages demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv -v0

run: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) migrate --no-input -v0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) load_demo
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

messages: install
	$(MANAGE) makemessages -l nb -l nn --ignore=.venv --ignore=var --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

demo: install
	$(MANAGE) load_demo

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
