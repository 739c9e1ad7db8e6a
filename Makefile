# Two commands for a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: book test lint typecheck unit clean visual-refresh fuzz catalogs

book: $(VENV)/.installed
	@$(MAKE) --no-print-directory script-fonts
	$(BIN)/chapbook build
	@echo "Outputs are in build/ (the press site and web editions: build/index.html):" && ls -1 build/*.epub build/*.pdf

test: $(VENV)/.installed-test
	@$(MAKE) --no-print-directory test-fonts
	@$(MAKE) --no-print-directory test-zbar
	@$(MAKE) --no-print-directory browser-tools
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto --dist loadfile

# After changing a label (src/chapbook/core/label_registry.py) or a translation (src/chapbook/locale/):
# extract the template, update every catalog from it, compile them (tests check all three).
catalogs: $(VENV)/.installed
	$(BIN)/python tools/catalogs.py

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

# The built-in styles set the scripts their fonts lack (Devanagari, Arabic, Thai, Tibetan...)
# in Debian's Noto faces; without them WeasyPrint takes whatever the machine has, or prints
# boxes. Checked on every run, not once per .venv (a query of milliseconds), so that a
# .venv made before, or a package removed since, still gets them.
.PHONY: script-fonts test-fonts
script-fonts:
	@$(call noto_fonts,fonts-noto-core,the built-in styles set most scripts in its Noto faces)

# The tests need the CJK faces too (Chinese, Japanese, Korean, each in its own faces).
test-fonts:
	@$(call noto_fonts,fonts-noto-core fonts-noto-cjk,the tests print every script with them)

# The web edition's browser tests drive Debian's Chromium (axe-core, 320 px, screenshots)
# through selenium; checked on every run, as the fonts are.
.PHONY: browser-tools
browser-tools:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium and chromium-driver: the web edition's browser tests run in them."; \
			(apt-get install -y -qq chromium chromium-driver 2>/dev/null \
				|| (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)) \
				|| echo "could not install chromium: the browser tests will be skipped"; \
		else \
			echo "Not a Debian system: install Chromium and its driver your own way, or the"; \
			echo "web edition's browser tests are skipped."; \
		fi; \
	fi

# $(1): Debian font packages to install if missing, $(2): why. fontconfig's cache is brought
# up to date after (the package's trigger does it too; this costs nothing if so).
define noto_fonts
	missing=""; for package in $(1); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ] && ! command -v apt-get >/dev/null; then \
		echo "Not a Debian system: install the Noto fonts ($$missing) your own way, or"; \
		echo "scripts without a font will print as boxes (the build's preflight names them)."; \
	elif [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing: $(2)."; \
		(apt-get install -y -qq$$missing 2>/dev/null \
			|| (apt-get update -qq && apt-get install -y -qq$$missing)) \
			&& { command -v fc-cache >/dev/null && fc-cache || true; } \
			|| echo "could not install$$missing: scripts without a font will print as boxes;" \
				"run 'sudo apt-get install$$missing' yourself"; \
	fi
endef

# The cover wrap's tests read its barcode back from a rendering with Debian's zbarimg
# (zbar-tools). Checked on every run, as the fonts are.
.PHONY: test-zbar
test-zbar:
	@if ! command -v zbarimg >/dev/null; then \
		if ! command -v apt-get >/dev/null; then \
			echo "Not a Debian system: install zbar's zbarimg your own way, or the barcode"; \
			echo "tests are skipped."; \
		else \
			echo "Installing Debian's zbar-tools: the cover tests decode its barcode with zbarimg."; \
			(apt-get install -y -qq zbar-tools 2>/dev/null \
				|| (apt-get update -qq && apt-get install -y -qq zbar-tools)) \
				|| echo "could not install zbar-tools: the barcode tests are skipped"; \
		fi; \
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
