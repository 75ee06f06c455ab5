# Innendienst — the two commands a fresh clone needs: `make demo` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SIZE ?= small
SECRET_FILE := var/secret_key
# Demo and local runs use a random key generated once per checkout; production sets its own.
RUN := SECRET_KEY="$$(cat $(SECRET_FILE))" $(BIN)/innendienst
PG_TEST_URL ?= $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/innendienst)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/innendienst_bench
PYTEST_ARGS ?=

.PHONY: setup demo serve worker test lint test-sqlite test-postgres chromium bench messages clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Innendienst needs Python 3.11 or newer (set PYTHON=python3.12 …)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(SECRET_FILE):
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(VENV)/.installed $(SECRET_FILE)
	@$(RUN) compiletranslations -v0

demo: setup
	$(RUN) demo --size $(SIZE)
	@$(RUN) collectstatic --noinput -v0
	$(RUN) serve

serve: setup
	$(RUN) migrate --noinput -v0
	@$(RUN) collectstatic --noinput -v0
	$(RUN) serve

worker: setup
	$(RUN) worker

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	INNENDIENST_TESTING=1 $(BIN)/innendienst makemigrations --check --dry-run
	INNENDIENST_TESTING=1 DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=. $(BIN)/python -m django makemigrations --check --dry-run

# Browser tests drive Debian's Chromium; install it when we may (CI runs as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
			{ apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }; \
		else echo "Chromium is missing: browser tests will be skipped (apt-get install chromium)."; fi; }

test-sqlite: setup chromium
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup chromium
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL: $(PG_TEST_URL)"; \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required but not reachable at $(PG_TEST_URL)"; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_TEST_URL): its run is skipped"; fi

test: lint test-sqlite test-postgres

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@

bench: setup $(VENV)/.bench-installed
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY="$$(cat $(SECRET_FILE))" ONLY="$(ONLY)" BENCH_SIZE="$(BENCH_SIZE)" $(BIN)/python bench/run.py

# Extract new strings into the German catalogue (needs GNU gettext; only for developers).
messages: setup
	$(RUN) makemessages -l de --no-obsolete --ignore "tests/*" --ignore "bench/*"
	@$(RUN) compiletranslations

clean:
	rm -rf $(VENV) var/static var/screenshots
