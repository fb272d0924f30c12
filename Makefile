# The README's two commands: `make run` and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := seeds/000_0b2e70bf5053be85.txt

.PHONY: run test lint install wheel fixtures bench-quality clean-venv fuzz

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@# the distribution was called `cleaner` before it became blog-cleaner: drop that old one
	@$(BIN)/python -m pip uninstall --quiet --yes cleaner 2>/dev/null || true
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	@$(BIN)/cleaner clean $(SEED)

# Lint first (ruff, mypy: a few seconds), then the whole suite.
test: lint
	@# pytest exits 5 when it collected no tests: a failure, not a pass
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo 'make test: pytest collected no tests' >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.dev
	$(BIN)/ruff check cleaner tests scripts benchmarks
	$(BIN)/mypy cleaner

# Install cleaner for use outside the checkout, as a regular (not editable) install of this
# directory into the virtualenv PREFIX, made if missing (default: the active venv):
#   make install PREFIX=~/venvs/cleaner                        # then ~/venvs/cleaner/bin/cleaner
#   make install PREFIX=~/venvs/cleaner BINDIR=~/.local/bin    # and a link ~/.local/bin/cleaner
#   make install PREFIX=~/venvs/cleaner EXTRAS=ray,scrapy      # with optional extras
PREFIX ?= $(VIRTUAL_ENV)
BINDIR ?=
EXTRAS ?=
# a leading ~ that the shell left alone (zsh, quotes) is the home directory
_home = $(abspath $(patsubst ~%,$(HOME)%,$(1)))
install:
	@test -n "$(PREFIX)" || { echo 'make install: say where: make install PREFIX=~/venvs/cleaner (a venv, made if missing), or activate a venv' >&2; exit 2; }
	@test "$(call _home,$(PREFIX))" != "$(abspath $(VENV))" || { echo 'make install: $(VENV) is the development venv (make run/test); choose another PREFIX' >&2; exit 2; }
	@test -x "$(call _home,$(PREFIX))/bin/python" || $(PYTHON) -m venv "$(call _home,$(PREFIX))"
	@"$(call _home,$(PREFIX))/bin/python" -m pip install --quiet --upgrade pip
	@"$(call _home,$(PREFIX))/bin/python" -m pip install --quiet "$(CURDIR)$(if $(EXTRAS),[$(EXTRAS)])"
	@if [ -n "$(BINDIR)" ]; then mkdir -p "$(call _home,$(BINDIR))" && \
	  ln -sfn "$(call _home,$(PREFIX))/bin/cleaner" "$(call _home,$(BINDIR))/cleaner" && \
	  echo "cleaner installed: $(call _home,$(BINDIR))/cleaner -> $(call _home,$(PREFIX))/bin/cleaner"; \
	else echo "cleaner installed: $(call _home,$(PREFIX))/bin/cleaner (activate the venv, or put its bin/ on PATH)"; fi

# A wheel in dist/, for `pip install dist/blog_cleaner-*.whl` on another machine.
wheel: $(VENV)/.installed
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

fixtures: $(VENV)/.installed
	$(BIN)/python scripts/regen_fixtures.py

$(VENV)/.bench: $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# Both dev sets (scrapinghub, wcxb-dev), both metrics, one table; the other systems' outputs
# are kept in benchmarks/.cache so that a rerun only cleans again. Then the same pages
# flattened to text by every flattener of benchmarks/quality.py (html_text, bs4's get_text in
# three idioms, resiliparse, inscriptis, html2text) and the ground truth itself, for the text
# mode, against the uncleaned text, C4's line rules and jusText.
bench-quality: $(VENV)/.bench
	$(BIN)/python benchmarks/quality.py --systems all --cache benchmarks/.cache --out benchmarks/quality.md
	$(BIN)/python benchmarks/quality.py --flatten scrapers,truth --cache benchmarks/.cache \
	  --out benchmarks/quality-text.md

clean-venv:
	rm -rf $(VENV)

# Fuzz clean() with atheris (not in CI): FUZZ_SECONDS of coverage-guided inputs; new corpus
# entries in fuzz/corpus/, crashing inputs in fuzz/crashes/.
FUZZ_SECONDS ?= 300
$(VENV)/.fuzz: $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	@touch $@

fuzz: $(VENV)/.fuzz
	@mkdir -p fuzz/corpus fuzz/crashes
	$(BIN)/python fuzz/fuzz_clean.py fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	  -rss_limit_mb=4096 -artifact_prefix=fuzz/crashes/
