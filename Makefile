# Everyday commands. `make run` and `make test` are the two commands of the README; both install
# what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.install-stamp

.PHONY: install run test test-postgres lint check messages demo clean bench-search bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# axe-core for the accessibility tests (tests/browser/), pinned in package-lock.json; never served to readers.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# System libraries WeasyPrint renders PDFs with (Pango, HarfBuzz), a Unicode font with the Sami letters
# (DejaVu) and poppler's pdftoppm, with which the tests look at a rendered page.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
.PHONY: system-packages
system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES))

install: system-packages $(STAMP) node_modules/.package-lock.json
	$(MANAGE) compilemessages --ignore=.venv -v0

run: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) migrate --no-input -v0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) load_demo
	@# One command: the task worker (exports, attachment text, e-mails, scheduled publishing) runs beside
	@# the web server and stops with it (Ctrl+C, or the web server exiting).
	@echo "Starting the task worker and the web server on http://127.0.0.1:8000/ (Ctrl+C stops both)"
	export DJANGO_SETTINGS_MODULE=portal.settings.dev; \
	$(MANAGE) task_worker & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:8000 & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null; wait' EXIT INT TERM; \
	wait $$web

# The browser tests drive Debian's Chromium (Playwright may not download its own browser here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Both cores (pytest-xdist); each worker gets its own test database and file roots.
PYTEST_ARGS ?= -n auto

test: install /usr/bin/chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL. The browser journeys run once, in `make test`: what differs between the
# databases lies below the interface, and running them twice would put CI past its time budget.
test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy portal/access workflows search

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

# Load and soak benchmarks (not tests): gunicorn with production settings under wrk, on scratch
# SQLite (var/bench/) and PostgreSQL (portal_bench) databases; figures go into bench/README.md.
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/load/run.py --database sqlite --database postgres --cache both
	$(BIN)/python bench/load/soak.py --database sqlite --database postgres --seconds 120

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
