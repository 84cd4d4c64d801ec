# The two commands: `make demo` (set up + run the main job on the demo practice) and
# `make test` (the whole suite). Both install what they need.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
DEMO_DIR ?= demo

.PHONY: setup demo test lint docs bench clean

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv
	$(UV) sync --frozen --extra dev --extra spark

demo: setup
	$(UV) run painrcm demo --dir $(DEMO_DIR)
	$(UV) run painrcm serve --warehouse $(DEMO_DIR)/warehouse.duckdb

test: setup
	$(UV) run pytest

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

docs: setup
	test -f $(DEMO_DIR)/warehouse.duckdb || $(MAKE) demo
	$(UV) run painrcm docs --warehouse $(DEMO_DIR)/warehouse.duckdb --out $(DEMO_DIR)/docs
	@echo "open $(DEMO_DIR)/docs/index.html in a browser"

bench: setup
	$(UV) run python bench/ingest_835.py

clean:
	rm -rf $(DEMO_DIR) dbt_project/target dbt_project/logs .pytest_cache
