# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
# Front-end libraries (package.json) from the npm registry, served locally from node_modules/.
ASSETS_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000

.PHONY: demo test lint bench bundle install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(APP_STAMP)

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(APP_STAMP) $(ASSETS_STAMP)

demo: $(APP_STAMP) $(ASSETS_STAMP)
	$(BIN)/brigade migrate --noinput -v 0
	$(BIN)/brigade demo
	$(BIN)/brigade serve $(HOST)

test: $(TEST_STAMP) $(ASSETS_STAMP)
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench deploy

# Offline intranet installation archives in dist/ (x86_64 and aarch64; see deploy/bundle.py).
bundle: $(APP_STAMP) $(ASSETS_STAMP)
	$(BIN)/python deploy/bundle.py

bench: $(TEST_STAMP)
	for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache node_modules dist
