# Two commands for a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: book test lint typecheck unit clean visual-refresh fuzz

book: $(VENV)/.installed
	$(BIN)/chapbook build
	@echo "Outputs are in build/:" && ls -1 build/*.epub build/*.pdf

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto --dist loadfile

# A long random fuzzing campaign (thousands of cases; make test runs a small fixed budget).
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -x tests/test_fuzz.py

# After an intended change to a style: re-render the reference pages in tests/visual/,
# then look at them (git diff shows which changed) before committing.
visual-refresh: $(VENV)/.installed-test
	CHAPBOOK_VISUAL_REFRESH=1 $(BIN)/pytest -q tests/test_visual.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "chapbook needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@$(MAKE) --no-print-directory fast-fonts
	@touch $@

# WeasyPrint subsets the fonts it embeds with HarfBuzz when Debian's libharfbuzz-subset0 is
# there, and with fontTools (30 % more CPU for the whole PDF) when it is not.
.PHONY: fast-fonts
fast-fonts:
	@if ! ldconfig -p | grep -q libharfbuzz-subset.so; then \
		echo "Installing Debian's libharfbuzz-subset0: WeasyPrint subsets fonts with it, much faster"; \
		echo "than its fallback (fontTools). Without it chapbook still works, only slower."; \
		(apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0) \
			|| echo "could not install libharfbuzz-subset0: PDFs will take longer"; \
	fi

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@$(MAKE) --no-print-directory fast-fonts
	@missing=""; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	command -v pandoc >/dev/null || missing="$$missing pandoc"; \
	if [ -n "$$missing" ]; then \
		echo "The tests need Debian packages:$$missing (EPUBCheck runs on Java; PDFs are checked"; \
		echo "with poppler-utils and qpdf; pandoc reads the EPUBs back). Installing them."; \
		apt-get update -qq && apt-get install -y -qq $$missing; \
	fi
	@touch $(VENV)/.installed $@

clean:
	rm -rf build .venv .mypy_cache .ruff_cache .pytest_cache
