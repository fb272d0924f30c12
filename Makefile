# The README's two commands: `make run` and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := seeds/000_0b2e70bf5053be85.txt

.PHONY: run test lint fixtures bench-quality clean-venv fuzz

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.installed
	@$(BIN)/cleaner clean $(SEED)

test: $(VENV)/.dev
	@# pytest exits 5 when it collected no tests: a failure, not a pass
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo 'make test: pytest collected no tests' >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.dev
	$(BIN)/ruff check cleaner tests scripts benchmarks
	$(BIN)/mypy cleaner

fixtures: $(VENV)/.installed
	$(BIN)/python scripts/regen_fixtures.py

$(VENV)/.bench: $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# Both dev sets (scrapinghub, wcxb-dev), both metrics, one table; the other systems' outputs
# are kept in benchmarks/.cache so that a rerun only cleans again.
bench-quality: $(VENV)/.bench
	$(BIN)/python benchmarks/quality.py --systems all --cache benchmarks/.cache --out benchmarks/quality.md

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
