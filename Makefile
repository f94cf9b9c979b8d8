# Everyday commands. `make run` and `make test` are the two commands of the README; both install
# what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.install-stamp
# Checked by mypy in `make lint` (issue #22): every app but the settings, each clean without blanket ignores.
MYPY_PATHS := portal/access portal/security portal/core workflows search portal/organisations portal/councils \
	portal/hearings portal/meetings portal/positions portal/training portal/workspace portal/editor portal/demo \
	portal/formats

.PHONY: install run test test-postgres lint check messages demo clean bench-search bench cluster bench-cluster js bench-coediting

# Say what is happening: the first install takes minutes (README: "How long the first run takes"),
# and a newcomer must see it moving. pip shows every package and a progress bar.
say = @printf '\n==> %s\n' $(1)

$(STAMP): pyproject.toml
	$(call say,"Creating the Python environment in $(VENV) ($$($(PYTHON) --version))")
	$(PYTHON) -m venv $(VENV)
	$(call say,"Updating pip")
	$(BIN)/pip install --upgrade --progress-bar on pip
	$(call say,"Installing the portal and its Python packages (the first time takes a few minutes)")
	$(BIN)/pip install --progress-bar on -e ".[dev]"
	touch $(STAMP)

# axe-core for the accessibility tests (tests/browser/), pinned in package-lock.json; never served to
# readers. Only the tests need it (and so npm): `make run` does not.
node_modules/.package-lock.json: package-lock.json
	$(call say,"Installing axe-core for the accessibility tests (npm ci)")
	npm ci --no-audit --no-fund --loglevel=error

# System libraries WeasyPrint renders PDFs with (Pango, HarfBuzz), a Unicode font with the Sami letters
# (DejaVu) and poppler's pdftoppm, with which the tests look at a rendered page.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
.PHONY: system-packages
system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || (printf '\n==> %s\n' \
		"Installing system packages for PDFs from Debian: $(SYSTEM_PACKAGES)" && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES))

install: system-packages $(STAMP)
	$(call say,"Compiling translations")
	$(MANAGE) compilemessages --ignore=.venv -v0

run: install
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) migrate --no-input -v0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) load_demo
	@# One command: the task worker (exports, attachment text, e-mails, scheduled publishing) runs beside
	@# the web server (uvicorn: ASGI, for the live editor's WebSockets) and stops with it (Ctrl+C, or
	@# the web server exiting).
	@echo "Starting the task worker and the web server on http://127.0.0.1:8000/ (Ctrl+C stops both)"
	export DJANGO_SETTINGS_MODULE=portal.settings.dev; \
	$(MANAGE) task_worker & worker=$$!; \
	$(BIN)/uvicorn portal.asgi:application --host 127.0.0.1 --port 8000 --ws-ping-timeout 60 \
		--reload --reload-dir portal --reload-dir workflows --reload-dir search & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null; wait' EXIT INT TERM; \
	wait $$web

# The live editor's bundle (Yjs, y-prosemirror, ProseMirror from npm) is committed in static/js/, so
# `make run` needs no npm; rebuild it after changing frontend/ or the npm versions.
js: node_modules/.package-lock.json
	npx esbuild frontend/live-editor.js --bundle --minify --format=iife --target=es2019 \
		--legal-comments=eof --outfile=static/js/live-editor.js

# The browser tests drive Debian's Chromium (Playwright may not download its own browser here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Both cores (pytest-xdist); each worker gets its own test database and file roots.
PYTEST_ARGS ?= -n auto

test: install node_modules/.package-lock.json /usr/bin/chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL. The browser journeys run once, in `make test`: what differs between the
# databases lies below the interface, and running them twice would put CI past its time budget.
test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(MYPY_PATHS)

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

# A production-like cluster on this machine (bench/cluster/cluster.py): PostgreSQL (scratch database
# portal_cluster), Redis, two gunicorn servers behind nginx at http://localhost:8380/, two task workers.
# Ctrl-C stops everything.
cluster: install
	$(BIN)/python bench/cluster/cluster.py

# The cluster soak and the fault runs (not tests; a few minutes; figures go into bench/README.md).
bench-cluster: install
	$(BIN)/python bench/cluster/soak.py --seconds 60
	$(BIN)/python bench/cluster/faults.py
# Live co-editing benchmark (not a test): uvicorn with production settings and Python Yjs clients;
# figures go into bench/README.md.
bench-coediting: install
	$(BIN)/python bench/coediting/run.py

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache
