"""Shared fixtures: the small generated practice, ingested and built once per session."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.raw_tables import ensure_raw_tables

# PAINRCM_TEST_AS_OF=YYYY-MM-DD generates and builds the practice for another as-of date
# (the ground truth of any as-of must hold: tests/test_as_of.py checks one in the suite).
AS_OF = date.fromisoformat(os.environ.get("PAINRCM_TEST_AS_OF", "2026-11-30"))
# PAINRCM_TEST_SEED=N does the same for another random seed: every test that reads the
# practice must hold on any seed, since it compares with that seed's ground truth.
SEED = int(os.environ.get("PAINRCM_TEST_SEED", "11"))
# Small enough to keep the suite quick, big enough that every planted case has background.
PRACTICE = {"seed": SEED, "months": 6, "providers": 3, "claims_per_month": 60, "as_of": AS_OF}


@pytest.fixture
def con():
    """An in-memory warehouse with every raw table (a test file may define its own)."""
    c = duckdb.connect()
    ensure_raw_tables(c)
    yield c
    c.close()


@pytest.fixture(scope="session")
def practice_inbox(tmp_path_factory) -> Path:
    from painrcm.generate import generate_practice

    out = tmp_path_factory.mktemp("practice") / "inbox"
    generate_practice(out, **PRACTICE)
    return out


@pytest.fixture(scope="session")
def built_warehouse(practice_inbox, tmp_path_factory) -> Path:
    """The generated practice after `painrcm run` (ingest + dbt build), as of AS_OF."""
    from painrcm.runner import scheduled_run

    warehouse = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    scheduled_run(practice_inbox, warehouse, AS_OF)
    return warehouse


# DuckDB's Python binding (nanobind) prints a wall of "nanobind: leaked ..." lines when the
# interpreter finalises with DuckDB objects that pyspark, dbt or Streamlit's AppTest still
# hold. The suite's verdict is already printed by then, so the test process leaves without
# finalising, keeping pytest's exit status (issue #18: `make test` ends on its summary).
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config) -> None:
    if _EXIT_STATUS and not os.environ.get("PAINRCM_TEST_FINALISE"):
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
