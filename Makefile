# Everyday commands. `make run` and `make test` are the two commands of the README; both install
# what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.install-stamp

.PHONY: install run test test-postgres lint check messages demo clean bench-search

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
	$(MANAGE) makemessages -l nb -l nn --ignore=.venv --ignore=var --ignore=node_modules --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

demo: install
	$(MANAGE) load_demo

# Search benchmark (not a test): 10 000 and 100 000 generated documents on SQLite and PostgreSQL;
# figures go into bench/README.md. Uses scratch databases only.
bench-search: install
	$(BIN)/python bench/search/run.py --docs 10000 --database sqlite:///var/bench-search-10k.sqlite3
	$(BIN)/python bench/search/run.py --docs 100000 --database sqlite:///var/bench-search-100k.sqlite3
	-createdb -h 127.0.0.1 -U postgres portal_search_bench
	$(BIN)/python bench/search/run.py --docs 10000 --database postgres://postgres@127.0.0.1:5432/portal_search_bench
	$(BIN)/python bench/search/run.py --docs 100000 --database postgres://postgres@127.0.0.1:5432/portal_search_bench

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
