# Quick start: `make run` then `make test`. Both create .venv from pyproject.toml when needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
SNAPSHOT ?= $(abspath ../shared/fixtures)

export AICAPEX_SNAPSHOT_DIR ?= $(SNAPSHOT)
export GX_ANALYTICS_ENABLED := False
export DAGSTER_HOME ?= $(abspath .dagster_home)

.PHONY: setup browser run report run-live test reliability test-scale lint ui docs clean bench bench-growth

BROWSER_PACKAGES := chromium chromium-driver

# Installs quietly: pip's output goes to .venv/install.log, shown only when it fails.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH"; exit 2; }
	@echo "setting up .venv from pyproject.toml (about a minute; log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install --quiet --upgrade pip && $(BIN)/pip install --quiet -e '.[dev]'; } \
	  >$(VENV)/install.log 2>&1 || { tail -30 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

setup: $(STAMP)

# The browser test opens the analyst report in Debian's headless Chromium: install it when missing.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "make browser: chromium/chromedriver missing; as root run: apt-get install -y $(BROWSER_PACKAGES)"; exit 2; fi; \
	echo "make browser: installing $(BROWSER_PACKAGES) for the browser test (apt-get, about a minute)"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null \
	  || { $$sudo apt-get update -q >/dev/null && $$sudo apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null; } \
	  || { echo "make browser: could not install $(BROWSER_PACKAGES) (Debian/Ubuntu packages); install them and rerun"; exit 2; }

run: $(STAMP)
	@$(BIN)/aicapex run

report: $(STAMP)
	$(BIN)/aicapex report

run-live: $(STAMP)
	$(BIN)/aicapex run --live

# Both write docs/reliability.md, the fault ledger (tests/fault_ledger.py); a narrower run does not.
# TEST_WORKERS pytest-xdist processes take the tests one by one, an idle one taking queued tests
# from a busy one (--dist worksteal; 0: one process).
# PYTEST_ARGS adds pytest options (make bench: --durations=15 -p no:cacheprovider).
TEST_WORKERS ?= 2
PYTEST_ARGS ?=
test: $(STAMP) browser
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

reliability: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal -m fault

# The optional `spark` extra (dbt-spark[session], pyspark): only `make test-scale` installs it.
$(SPARK_STAMP): $(STAMP)
	@echo "installing the spark extra (log: $(VENV)/install-spark.log)"
	@$(BIN)/pip install --quiet -e '.[dev,spark]' >$(VENV)/install-spark.log 2>&1 \
	  || { tail -30 $(VENV)/install-spark.log; exit 1; }
	@touch $(SPARK_STAMP)

# The same dbt models on Apache Spark, compared row for row with the DuckDB marts (needs Java 17;
# runs the pipeline from the snapshot first when warehouse/aicapex.duckdb does not exist).
test-scale: $(SPARK_STAMP)
	@command -v java >/dev/null 2>&1 || { echo "make test-scale needs Java 17 (java on PATH)"; exit 2; }
	$(BIN)/python -m pytest -q -s -m scale tests/scale

lint: $(STAMP)
	$(BIN)/ruff check orchestration tests bench
	AICAPEX_BUILD_DB=$(abspath warehouse/lint.duckdb) $(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

# Every benchmark in one run -> bench/results.md, a verdict per issue-18 target: ingest, cold and
# warm runs, queries, readers under load, parsers, the growth curve at 6 and 60 companies (ingest
# alone to 600; updates bench/growth.json and docs/scaling-growth.png, keeping larger universes
# measured earlier) and the test suite as `make test` runs it (TEST_WORKERS; it rewrites
# docs/reliability.md as make test does). BENCH_ARGS="--no-suite" skips the suite,
# "--growth-companies 6 --growth-ingest 6,60" shrinks the curve.
bench: $(STAMP) browser
	TEST_WORKERS=$(TEST_WORKERS) $(BIN)/python -m bench $(BENCH_ARGS)

# The growth curve alone, up to the larger universes (bench/growth.py): the whole pipeline at 6 and
# 60 companies, the company-facts ingest up to 6,000; about 30 minutes on 2 cores, ~10 GB in /tmp.
# Writes bench/growth.json and docs/scaling-growth.png.
# GROWTH_ARGS="--companies 600 --ingest '' --update" adds 600 to what is there.
bench-growth: $(STAMP)
	$(BIN)/python -m bench.growth $(GROWTH_ARGS)

ui: $(STAMP)
	$(BIN)/aicapex ui

clean:
	rm -rf warehouse landing reports dbt_project/target dbt_project/logs

docs: $(STAMP)
	cd dbt_project && AICAPEX_BUILD_DB=$(abspath warehouse/aicapex.duckdb) ../$(BIN)/dbt docs generate --profiles-dir . \
	  && AICAPEX_BUILD_DB=$(abspath warehouse/aicapex.duckdb) ../$(BIN)/dbt docs serve --profiles-dir . --host 127.0.0.1 --port $${DOCS_PORT:-8080}
