# The whole set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test translations lint extract-messages clean

run: $(VENV)/.installed translations instance/config.py
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@$(FLASK) demo-accounts
	@echo "E-mails (confirmation, reset, invitation links) wait in the outbox: $(FLASK) mail list"
	@echo "City Exchange is served at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

test: $(VENV)/.installed-dev translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check exchange tests
	$(BIN)/ruff format --check exchange tests

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the requirements change, so a second `make run` starts in seconds.
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

translations: $(MO_FILES)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# A local configuration for this machine: a random secret key, development mode, plain HTTP.
instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c 'import secrets; print("# Local settings for make run; not used in production.\nSECRET_KEY = %r\nENVIRONMENT = \"development\"\nSESSION_COOKIE_SECURE = False\nREMEMBER_COOKIE_SECURE = False" % secrets.token_hex(32))' > $@
	@echo "Wrote $@ (a local secret key and development settings)."

# Collect the messages of the code and templates and merge them into the catalogs.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --ignore-dirs=".*" -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width 100 --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) translations/*/LC_MESSAGES/*.mo
