# chapbook — `make` sets everything up and builds the reader; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
OUTPUT ?= output
TARGETS ?=

.PHONY: all build test lint check system-deps clean
all: build

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

system-deps:
	@sh scripts/system-deps.sh

# chapbook's modules compiled once, as pip compiles an installed package's: where
# PYTHONDONTWRITEBYTECODE is set, each build.py process would compile them again (0.1 s).
build: system-deps $(VENV)/.installed
	$(PY) -m compileall -q chapbook
	$(PY) build.py $(TARGETS) --output $(OUTPUT)

test: system-deps $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check chapbook tests bench build.py

check: lint test

clean:
	rm -rf $(OUTPUT) .pytest_cache
