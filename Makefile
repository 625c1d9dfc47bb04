# OneStop — `make run` serves the platform with demo data, `make test` runs every test on SQLite and
# PostgreSQL. Both install what they need first (Debian packages, a virtual environment, pinned wheels).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils gettext libnss3-tools softhsm2

.PHONY: run test test-sqlite test-postgres deps debs bench clean

deps: debs $(VENV)/.installed

debs:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

run: deps
	$(BIN)/onestop migrate --noinput -v 0
	$(BIN)/onestop demo
	$(BIN)/onestop collectstatic --noinput -v 0
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/onestop worker -v 0 & \
	$(BIN)/onestop runserver --noreload 127.0.0.1:$(PORT)

test: deps
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL does not answer at $(PG_URL), and CI=true makes its run mandatory" >&2; exit 1; \
	else \
		echo "PostgreSQL does not answer at $(PG_URL): its run is skipped (mandatory when CI=true)"; \
	fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

bench: deps
	@for b in bench/*.py; do echo "== $$b =="; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts
