# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SIZE ?= small
DEVDB := $(PY) -m config.devdb run --
export DEBUG ?= true

.PHONY: run test lint messages bench bench-load clean-data gettext chromium

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	rm -rf build *.egg-info
	touch $@

gettext:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; } || { echo "Please install gettext (msgfmt)"; exit 1; }

chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || { echo "Please install Chromium (apt-get install chromium)"; exit 1; }

run: $(VENV)/.installed gettext
	$(DEVDB) sh -c '\
	  $(PY) manage.py migrate --no-input && \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.data >/dev/null && \
	  $(PY) manage.py seed_demo --size $(SIZE) && \
	  echo "" && echo "  10.000 Freunde runs on http://127.0.0.1:$(PORT)/ with a job worker  (Ctrl-C stops it)" && echo "" && \
	  exec $(PY) -m config.run --port $(PORT)'

test: $(VENV)/.installed gettext chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEVDB) sh -c '\
	  $(PY) manage.py check --fail-level WARNING && \
	  $(PY) manage.py makemigrations --check --dry-run && \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.data >/dev/null && \
	  $(VENV)/bin/pytest $(PYTEST_ARGS)'

# Refresh the catalogues after changing strings: German is translated by hand, English copies the msgids.
messages: $(VENV)/.installed gettext
	$(DEVDB) $(PY) manage.py makemessages -l de -l en --ignore=.venv --ignore=.data --no-obsolete
	msgattrib --clear-fuzzy --empty --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

# Seed tenk_bench_city and tenk_bench_city10, measure every main page and the matching, at city also through
# gunicorn as deploy/tenk-web.service runs it (worker and PostgreSQL CPU per request), then the load run
# (50 coordinators against the same server); writes bench/results.md and .json (see docs/performance.md).
bench: $(VENV)/.installed gettext
	$(DEVDB) sh -c '$(PY) manage.py compilemessages --ignore=.venv --ignore=.data >/dev/null && $(PY) bench/run.py --load $(BENCH_ARGS)'

# Only the load run, on the already seeded tenk_bench_city.
bench-load: $(VENV)/.installed gettext
	$(DEVDB) sh -c '$(PY) manage.py compilemessages --ignore=.venv --ignore=.data >/dev/null && $(PY) bench/run.py --load-only $(BENCH_ARGS)'

# A compressed dump of the database to BACKUP_DIR (.data/backups), dumps older than BACKUP_KEEP_DAYS deleted; in
# production the same is `manage.py backup` with the production environment (docs/privacy.md § backups).
.PHONY: backup
backup: $(VENV)/.installed
	$(DEVDB) $(PY) manage.py backup

clean-data:
	rm -rf .data
