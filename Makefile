# OneStop: `make run` starts the demo, `make test` runs every check. See README.md.
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test install install-dev messages translations lint fmt clean

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) -e '.[postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) -e '.[dev]'
	touch $@

# axe-core (npm) for the browser accessibility check; without npm that check skips, or fails
# under ONESTOP_REQUIRE_BROWSER=1 (as .ci/run sets, after installing Debian's npm).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is missing (apt-get install npm): the accessibility check cannot run"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	DEBUG=true $(PY) manage.py compile_translations

run: $(VENV)/.installed translations
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py demo_applications
	DEBUG=true $(PY) manage.py demo_history
	DEBUG=true $(PY) manage.py demo_banner --port $(PORT)
	# The statistics job runs beside the server (cron's job in production); stopped with it.
	DEBUG=true $(PY) manage.py refresh_stats --loop --every 5 > var/refresh_stats.log 2>&1 & \
	  trap 'kill $$!' EXIT INT TERM; \
	  DEBUG=true $(VENV)/bin/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT) --log-level warning

test: $(VENV)/.installed-dev $(AXE)
	VENV=$(VENV) scripts/test.sh

# Re-extract our messages into locale/kk and locale/ru after changing user-facing text.
messages: $(VENV)/.installed-dev
	DEBUG=true $(PY) manage.py makemessages -l kk -l ru --no-obsolete \
	  --ignore 'tests/*' --ignore 'var/*' --ignore 'locale_django/*' --ignore 'docs/*' \
	  --ignore 'node_modules/*'

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && DEBUG=true $(VENV)/bin/mypy .

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf var/*.sqlite3* var/static .mypy_cache .ruff_cache
