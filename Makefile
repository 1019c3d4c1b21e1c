# ECS by Doing: two commands on a fresh machine.
#   make book   - bootstrap .venv from pyproject.toml, vendor the widget JS, strict build of the whole site
#   make test   - bootstrap .venv, strict book build, then every test (pytest)
#   make bench  - run the benchmarks in benchmarks/
#   make linkcheck - request every external link of the built site (needs a network; after make book)
#   make site-check SITE=/path/to/html - the built-site tests (tests/site, test_site.py) on any build
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.ecsbook-installed
VENDOR := _vendor/_static/vendor/versions.json
# The strict build: every page rebuilt and re-executed (--all), warnings are errors (-W),
# nitpicky references (-n), report them all.
JB_FLAGS ?= --all -W -n --keep-going

.PHONY: book test bench venv vendor vendor-test browser-deps lint clean lab-outputs linkcheck site-check

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
	@touch $(STAMP)

vendor: $(VENDOR)

$(VENDOR): tools/vendor_js.py | $(STAMP)
	$(BIN)/python tools/vendor_js.py

book: $(STAMP) $(VENDOR)
	PATH="$(CURDIR)/$(BIN):$$PATH" ECSBOOK_BUILD=1 $(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Built: $(CURDIR)/_build/html/index.html"

# Headless Chromium for the real-browser quiz test (Debian packages).
browser-deps:
	@bash tests/quiz/browser_setup.sh

test: book browser-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest

# Test-only JavaScript (axe-core for the accessibility test) into tests/site/_vendor/ (not the site).
vendor-test: | $(STAMP)
	$(BIN)/python tools/vendor_js.py --test

# External links of the built site (the list: .pytest_cache/ecsbook-external-links.txt).
linkcheck: $(STAMP)
	ECSBOOK_LINKCHECK=1 $(BIN)/python -m pytest -q tests/site/test_links.py

# The built-site tests against a build elsewhere (default: _build/html).
SITE ?= $(CURDIR)/_build/html
site-check: $(STAMP) browser-deps vendor-test
	ECSBOOK_SITE=$(SITE) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q tests/site tests/test_site.py

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Re-execute every lab and save its outputs (the reference outputs pytest-notebook compares).
lab-outputs: $(STAMP)
	@for f in labs/lab*.ipynb; do $(BIN)/python tools/run_lab.py $$f || exit 1; done

clean:
	rm -rf _build .jupyter_cache
