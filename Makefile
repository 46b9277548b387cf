# policykb — the two README commands are `make site` and `make test`; both set up .venv
# themselves and never rewrite policy/ or kb/. Curator commands (`make parse`) do.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
POLICYKB := $(BIN)/policykb
PIP      := $(BIN)/python -m pip --disable-pip-version-check --quiet
CHROMIUM := /usr/bin/chromium
VIRTUOSO := /usr/bin/virtuoso-t

.DEFAULT_GOAL := help
.PHONY: help site preview test validate compile check parse link bench lock clean

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --constraint constraints.txt --editable .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --constraint constraints.txt --editable '.[dev]'
	@touch $@

site: $(VENV)/.installed ## Main job: set up, then the read-only build into build/: compile, check (report mode), the site
	$(POLICYKB) site

preview: site ## Build the site, then show it on http://127.0.0.1:8000/ until Ctrl-C
	$(POLICYKB) preview

test: $(VENV)/.installed-dev $(CHROMIUM) $(VIRTUOSO) ## Set up with test tools, Chromium and Virtuoso; lint, types, unit tests, data gates (parse, compile, check), the last commit's diff, the site, browser tests
	$(BIN)/ruff format --check
	$(BIN)/ruff check
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest --ignore=tests/browser
	$(POLICYKB) parse --check
	$(POLICYKB) schema --check
	$(POLICYKB) compile
	$(POLICYKB) check
	@if git rev-parse -q --verify HEAD~1 >/dev/null 2>&1; then $(POLICYKB) diff HEAD~1 HEAD; else echo "diff: no previous commit to compare with"; fi
	$(POLICYKB) site
	$(BIN)/python -m pytest tests/browser

# Debian packages the tests run: Chromium for the browser tests (Playwright drives it; no browser
# is downloaded) and Virtuoso 7 for the publish tests (started by tests/stores.py on loopback).
$(CHROMIUM) $(VIRTUOSO) &:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
		chromium virtuoso-opensource-7-bin

validate: $(VENV)/.installed ## Load and validate every curated file
	$(POLICYKB) validate

compile: $(VENV)/.installed ## Compile policy/ and kb/ into build/ (RDF, GraphML, CSV, analyses)
	$(POLICYKB) compile

check: $(VENV)/.installed ## The traceability gate; reports in build/reports/
	$(POLICYKB) check

parse: $(VENV)/.installed ## Curator: re-parse every agreement from its source (writes policy/)
	$(POLICYKB) parse

link: $(VENV)/.installed ## Curator: suggest links to kb/ (writes the links of policy/ measures)
	$(POLICYKB) link
	$(POLICYKB) link --report

bench: $(VENV)/.installed ## Benchmarks on a synthetic corpus, side by side with StrictDoc and Doorstop (never part of test)
	$(BIN)/python scripts/bench_peers.py 1000 5000
	$(BIN)/python scripts/bench_same.py --measures 1000
	$(BIN)/python scripts/bench_parse.py
	$(BIN)/python scripts/bench_link.py
	$(BIN)/python scripts/bench_compile.py
	$(BIN)/python scripts/bench_site.py

lock: $(BIN)/python ## Refresh constraints.txt from a clean install of the current ranges
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --editable '.[dev]'
	build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^policykb' > constraints.txt
	rm -rf build/lock-venv

clean: ## Remove build output and the virtual environment
	rm -rf build $(VENV)
