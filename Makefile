# The two commands: `make demo` (set up + run the main job on the demo practice) and
# `make test` (the whole suite). Both install what they need.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
DEMO_DIR ?= demo

.PHONY: uv setup setup-demo demo demo-warehouse test lint docs bench clean

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv

# Everything: the test tools (pytest, Playwright, sqlfluff, ...) and Spark.
setup: uv
	$(UV) sync --frozen --extra dev --extra spark

# Only what the demo runs (no pyspark, no Playwright); --inexact keeps what `make setup`
# installed, so `make demo` after `make test` does not uninstall the test tools.
setup-demo: uv
	$(UV) sync --frozen --inexact

# Generate the demo practice and build its warehouse (no server: `make docs` uses this).
demo-warehouse: setup-demo
	$(UV) run --no-sync painrcm demo --dir $(DEMO_DIR)

# ... then serve the dashboards until Ctrl+C.
demo: demo-warehouse
	$(UV) run --no-sync painrcm serve --warehouse $(DEMO_DIR)/warehouse.duckdb

test: setup
	$(UV) run --no-sync pytest

lint: setup
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .

docs: setup-demo
	test -f $(DEMO_DIR)/warehouse.duckdb || $(MAKE) demo-warehouse
	$(UV) run --no-sync painrcm docs --warehouse $(DEMO_DIR)/warehouse.duckdb --out $(DEMO_DIR)/docs
	@echo "open $(DEMO_DIR)/docs/index.html in a browser"

bench: setup
	$(UV) run --no-sync python bench/ingest_835.py
	$(UV) run --no-sync python bench/ingest_837.py

clean:
	rm -rf $(DEMO_DIR) dbt_project/target dbt_project/logs .pytest_cache
