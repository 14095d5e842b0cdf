# Huifu: `make run` for a local server with demo data, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint contract migrate seed worker rqworker integration bench messages clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	HUIFU_DEBUG=1 $(PY) manage.py migrate --noinput
	HUIFU_DEBUG=1 $(PY) manage.py seed_demo
	HUIFU_DEBUG=1 $(PY) scripts/run_local.py

test: $(STAMP)
	$(PY) scripts/ensure_test_tools.py
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The running API against its own OpenAPI schema (schemathesis, 127.0.0.1 only, a throwaway
# database): no 5xx, only declared status codes, bodies valid against the schema.
contract: $(STAMP)
	$(PY) scripts/api_contract.py

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

worker: $(STAMP)
	$(PY) manage.py huifu_worker

# With HUIFU_REDIS_URL: the RQ worker (job class, worker class and scheduler set for you).
rqworker: $(STAMP)
	$(PY) manage.py huifu_rqworker

# Intake, queue and storage against real servers (Dovecot, Redis, S3 emulator): needs root for apt.
integration: $(STAMP)
	scripts/integration_servers.sh

messages: $(STAMP)
	cd huifu && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete --ignore 'settings/*'
	cd huifu && ../$(PY) ../manage.py compilemessages -l zh_Hans

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
