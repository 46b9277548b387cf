# policykb — the two README commands are `make site` and `make test`; both set up .venv
# themselves and never rewrite policy/ or kb/. Curator commands (`make parse`) do.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
POLICYKB := $(BIN)/policykb
PIP      := $(BIN)/python -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help site test validate compile check parse link bench lock clean

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

site: $(VENV)/.installed ## Main job: set up, then the read-only build into build/: compile, check (report mode)
	$(POLICYKB) compile
	$(POLICYKB) check --report

test: $(VENV)/.installed-dev ## Set up with test tools; run the unit tests, then the data gates (parse in step, compile, check)
	$(BIN)/python -m pytest
	$(POLICYKB) parse --check
	$(POLICYKB) schema --check
	$(POLICYKB) compile
	$(POLICYKB) check

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

bench: $(VENV)/.installed ## Benchmarks on a synthetic corpus (never part of test)
	$(BIN)/python scripts/bench_parse.py
	$(BIN)/python scripts/bench_link.py
	$(BIN)/python scripts/bench_compile.py

lock: $(BIN)/python ## Refresh constraints.txt from a clean install of the current ranges
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --editable '.[dev]'
	build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^policykb' > constraints.txt
	rm -rf build/lock-venv

clean: ## Remove build output and the virtual environment
	rm -rf build $(VENV)
