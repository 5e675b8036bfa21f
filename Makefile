# Winter Plan Tracker. `make run` and `make test` need nothing but Python 3.11 (exactly:
# `make run PYTHON=/path/to/python3.11` if it is not on the PATH as python3.11).
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DEMO_PASSWORD ?= winter-plan-demo

.PHONY: run setup install test lint bench loadtest assets clean backup restore

# The development server on http://127.0.0.1:$(PORT) and, beside it, the background worker that
# re-renders documents after an edit; stopping the server (Ctrl-C) stops the worker too.
run: setup
	@DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

setup: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py load_sample_data --demo-users

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is needed: make run PYTHON=/path/to/python3.11"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The whole suite: unit, view, document and browser tests (browser tests need Chromium:
# `apt-get install chromium`; see README).
test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Server time and queries of the main pages for the largest council at national scale: builds
# the synthetic data on the database first when it is not there (PostgreSQL: 152 councils,
# 15,000 providers, 180 days, ≈8 minutes; SQLite: 20 councils, 3,000 providers, 30 days).
# Prints a table; writes bench-results.json (pages, scale).
bench: setup
	DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py collectstatic --no-input -v0
	DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py bench --json bench-results.json
	DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py bench_documents --sizes 1,4,16 --json bench-results.json

# 50 signed-in users for 60 s (gunicorn, production settings, loopback) over the main pages of
# the largest synthetic council with 10% edits; fails on any 5xx or lost save. Locust lives in
# its own venv (.venv-load, the `load` extra): gevent's monkey-patching stays out of the app's.
LOAD_STAMP := .venv-load/.installed
$(LOAD_STAMP): pyproject.toml
	test -d .venv-load || $(PYTHON) -m venv .venv-load
	.venv-load/bin/python -m pip install --quiet "locust==2.47.0"
	touch $(LOAD_STAMP)

loadtest: setup $(LOAD_STAMP)
	DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py collectstatic --no-input -v0
	DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py bench --runs 1 --only dashboard
	loadtest/run.sh

# Back up the database in DATABASE_URL (or the SQLite file) to FILE, or to BACKUP_DIR with the
# time in its name; restore one (asks first: it replaces everything). Without SECRET_KEY in the
# environment they run with development settings (DEBUG=1).
DEV_UNLESS_CONFIGURED = $(if $(SECRET_KEY),,DEBUG=1)

backup: install
	$(DEV_UNLESS_CONFIGURED) $(BIN)/python manage.py backup_database $(if $(FILE),--output "$(FILE)")

restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/winterplan-....dump"; exit 2; }
	$(DEV_UNLESS_CONFIGURED) $(BIN)/python manage.py restore_database "$(FILE)"

# Rebuild the committed front-end assets (needs Node.js; see static/README.md).
assets:
	cd frontend && npm ci && npm run build

clean:
	rm -rf $(VENV) .venv-load loadtest-results staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
