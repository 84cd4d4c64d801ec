"""`dbt build` run programmatically against a working copy of the warehouse.

The build leaves out dbt's unit tests: they pin SQL logic on fixed inputs, not the data,
so a nightly build does not repeat them; `make test` runs them (tests/test_dbt_marts.py and
tests/test_dbt_staging.py run a plain `dbt build`, unit tests included)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from painrcm import __version__
from painrcm.paths import dbt_project_dir

# Statuses dbt reports for a node that did not do its job. A `warn` test is recorded in
# marts.build_info but does not fail the build.
_FAILED = {"error", "fail", "runtime error", "skipped"}


@dataclass
class BuildResult:
    success: bool
    nodes_passed: int = 0
    nodes_failed: int = 0
    failing_nodes: list[str] = field(default_factory=list)
    warning_nodes: list[str] = field(default_factory=list)
    message: str = ""
    # Wall-clock seconds of the dbt invocation, split: tests_seconds is the time data tests
    # ran while no model or seed did; models_seconds the rest (models, seeds, dbt's parsing).
    models_seconds: float = 0.0
    tests_seconds: float = 0.0


# The nightly build: every model, seed and data test, no unit test (see the module doc).
BUILD_COMMAND = ["build", "--exclude-resource-type", "unit_test"]
_TEST_TYPES = {"test", "unit_test"}


def _covered(spans: list[tuple[float, float]]) -> float:
    """Seconds covered by the union of (start, end) spans."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _node_span(result) -> tuple[float, float] | None:
    times = [t for t in getattr(result, "timing", None) or [] if t.started_at and t.completed_at]
    if not times:
        return None
    return (
        min(t.started_at for t in times).timestamp(),
        max(t.completed_at for t in times).timestamp(),
    )


def split_phases(results, wall_seconds: float) -> tuple[float, float]:
    """(models_seconds, tests_seconds) of one `dbt build`: two threads run tests beside
    models, so a test's time counts only while no model or seed was running."""
    spans = {True: [], False: []}
    for r in results:
        span = _node_span(r)
        if span is not None:
            kind = str(getattr(r.node.resource_type, "value", r.node.resource_type))
            spans[kind in _TEST_TYPES].append(span)
    tests_only = _covered(spans[True] + spans[False]) - _covered(spans[False])
    tests_only = min(max(tests_only, 0.0), wall_seconds)
    return wall_seconds - tests_only, tests_only


def dbt_artifacts_dir(warehouse: Path) -> Path:
    """dbt's target/ and logs/ live beside the warehouse, never in the (maybe read-only)
    installed project, so the CLI works from any directory and any install."""
    return Path(warehouse).resolve().with_name(Path(warehouse).name + ".dbt")


def run_dbt(
    work_db: Path,
    command: list[str],
    as_of: date | None,
    artifacts: Path,
    on_node: Callable[[str], None] | None = None,
    target: str | None = None,
):
    """Invoke dbt in-process. The profile reads the database path from PAINRCM_WAREHOUSE.
    `target`: a profiles.yml output (default: the profile's own, duckdb)."""
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    project = dbt_project_dir()
    os.environ["PAINRCM_WAREHOUSE"] = str(work_db)
    dbt_vars = {"painrcm_version": __version__}
    if as_of is not None:
        dbt_vars["as_of_date"] = as_of.isoformat()

    def callback(event) -> None:
        if on_node is not None and event.info.name == "NodeFinished":
            on_node(event.data.node_info.unique_id)

    args = [
        *command,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(artifacts / "target"),
        "--log-path",
        str(artifacts / "logs"),
        "--vars",
        json.dumps(dbt_vars),
        "--quiet",
        *(["--target", target] if target else []),
    ]
    try:
        return dbtRunner(callbacks=[callback]).invoke(args)
    finally:
        _release_duckdb()


def _release_duckdb() -> None:
    """dbt-duckdb keeps its database handle open after an in-process run; drop it so the
    work file can be checkpointed, swapped and reopened (read-only, too) by this process."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter (e.g. spark) is in use
        return
    DuckDBConnectionManager.close_all_connections()


def build(
    work_db: Path,
    as_of: date | None,
    artifacts: Path,
    on_node: Callable[[str], None] | None = None,
    target: str | None = None,
) -> BuildResult:
    if target in (None, "duckdb"):
        # A warehouse written by an older painrcm gets the raw columns added since.
        from ingest.raw_tables import ensure_raw_tables

        con = duckdb.connect(str(work_db))
        try:
            ensure_raw_tables(con)
        finally:
            con.close()
    started = time.monotonic()
    res = run_dbt(work_db, BUILD_COMMAND, as_of, artifacts, on_node, target)
    wall = time.monotonic() - started
    if isinstance(res.exception, KeyboardInterrupt):
        raise res.exception  # a stop request (painrcm.interrupt), not a failed build
    if res.exception is not None:
        return BuildResult(
            False, message=f"dbt could not run: {res.exception}", models_seconds=wall
        )
    result = BuildResult(success=bool(res.success))
    result.models_seconds, result.tests_seconds = split_phases(res.result.results, wall)
    for r in res.result.results:
        status = str(r.status.value if hasattr(r.status, "value") else r.status).lower()
        uid = r.node.unique_id
        if status in _FAILED:
            result.nodes_failed += 1
            result.failing_nodes.append(uid)
        else:
            result.nodes_passed += 1
            if status == "warn":
                result.warning_nodes.append(uid)
    if result.failing_nodes:
        result.success = False
        result.message = (
            f"{len(result.failing_nodes)} dbt node(s) failed: "
            + ", ".join(result.failing_nodes[:5])
            + (" ..." if len(result.failing_nodes) > 5 else "")
        )
    # marts.build_info's row counts and warned tests: dbt's on-run-end hook record_build_info
    if result.success and target in (None, "duckdb"):
        record_source_freshness(work_db, as_of, artifacts)
    return result


def record_source_freshness(work_db: Path, as_of: date | None, artifacts: Path) -> None:
    """`dbt source freshness` (the loaded_at_field and freshness of models/staging/
    _sources.yml) on the work copy; its results become raw.source_freshness, which Data health
    shows. A stale source is news for the page, never a failed build."""
    out = artifacts / "sources.json"
    out.unlink(missing_ok=True)
    run_dbt(work_db, ["source", "freshness", "--output", str(out)], as_of, artifacts)
    if not out.is_file():
        return
    rows = []
    for r in json.loads(out.read_text()).get("results", []):
        criteria = r.get("criteria") or {}

        def after(kind: str, criteria=criteria) -> str | None:
            spec = criteria.get(kind) or {}
            return f"{spec['count']} {spec['period']}" if spec.get("count") else None

        rows.append(
            (
                r["unique_id"].rsplit(".", 1)[-1],
                r.get("max_loaded_at"),
                r.get("snapshotted_at"),
                r.get("max_loaded_at_time_ago_in_s"),
                r.get("status"),
                after("warn_after"),
                after("error_after"),
            )
        )
    con = duckdb.connect(str(work_db))
    try:
        con.execute(
            "create or replace table raw.source_freshness (source_table varchar, "
            "max_loaded_at timestamp, snapshotted_at timestamp, age_seconds double, "
            "status varchar, warn_after varchar, error_after varchar)"
        )
        if rows:
            con.executemany(
                "insert into raw.source_freshness values (?, ?::timestamptz::timestamp, "
                "?::timestamptz::timestamp, ?, ?, ?, ?)",
                rows,
            )
    finally:
        con.close()
