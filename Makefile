# make run: set up and serve on http://127.0.0.1:8000/  |  make test: set up and run the whole suite.
# DATABASE_URL selects the database (default: SQLite file db.sqlite3); see README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test setup venv lint format lock clean backup restore

venv: $(VENV)/.installed

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

setup: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo

run: setup
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# make backup DIR=/backups/today  |  make restore DIR=/backups/today (replaces the data: see README)
backup: venv
	$(PY) manage.py backup $(DIR)

restore: venv
	$(PY) manage.py restore $(DIR) --yes

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the lock file after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .test-media .pytest_cache
