"""The dbt project against a test's own small warehouse, and reading a warehouse back: the
helpers the tests share. dbt in-process (`run_dbt`, `dbt_build`, the staging build of the
837/999 tests), sqlfluff lint of model folders, an inbox ingested into a warehouse, and
rows read on a fresh read-only connection (`query`: tuples, `query_dicts`: by column)."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from ingest.inbox import load_inbox
from ingest.report import LoadReport

REPO = Path(__file__).resolve().parents[1]
PROJECT_DIR = REPO / "dbt_project"

# The staging layer and the claims history above it: the current claim version leaves out
# submissions a 999/277CA rejected (rules.md §16), matched in intermediate/acknowledgments.
STAGING_AND_CLAIMS = "staging claim_filing_indicators +stg_pm__claims"


def run_dbt(args: list[str], warehouse: Path, target_path: Path):
    """dbt in-process against `warehouse`; its own target/log dirs so parallel runs never
    share dbt_project/target."""
    from dbt.cli.main import dbtRunner

    os.environ["PAINRCM_WAREHOUSE"] = str(warehouse)
    try:
        return dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(target_path / "target"),
                "--log-path",
                str(target_path / "logs"),
            ]
        )
    finally:
        # dbt-duckdb keeps its DuckDB handle in a class attribute; release it so this
        # process can open the file again (DuckDB refuses a second, differently configured
        # connection to the same file).
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager.close_all_connections()
        gc.collect()


def assert_sqlfluff_clean(folders: list[str], scratch: Path) -> None:
    """sqlfluff lint (dbt templater, the repository's /.sqlfluff rules) of `folders`
    (repository-relative); the test fails with its report. The templater loads the profile,
    which reads PAINRCM_WAREHOUSE: pointed at a file in `scratch`; nothing is built."""
    beside_python = Path(sys.executable).with_name("sqlfluff")
    sqlfluff = str(beside_python) if beside_python.exists() else shutil.which("sqlfluff")
    assert sqlfluff, "sqlfluff is not installed (uv sync --extra dev)"
    env = {**os.environ, "PAINRCM_WAREHOUSE": str(scratch / "lint.duckdb")}
    proc = subprocess.run(
        [sqlfluff, "lint", *folders, "--disable-progress-bar"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def dbt_build(args: list[str], warehouse: Path, target_path: Path):
    """`dbt build ARGS`; the test fails naming every node that did not pass."""
    result = run_dbt(["build", *args], warehouse, target_path)
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, failures or result.exception
    return result


def build_staging_and_claims(warehouse: Path, target_path: Path, also: str = ""):
    """`dbt build` of STAGING_AND_CLAIMS (and the models `also` selects). Cautious: a mart's
    relationship test to a staging model is not this layer's."""
    selection = f"{STAGING_AND_CLAIMS} {also}".strip()
    return dbt_build(
        ["--select", selection, "--indirect-selection", "cautious"], warehouse, target_path
    )


def load_into(inbox: Path, warehouse: Path) -> LoadReport:
    """Ingest `inbox` into `warehouse` (created when missing), as `painrcm ingest` does."""
    con = duckdb.connect(str(warehouse))
    try:
        return load_inbox(inbox, con)
    finally:
        con.close()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of `sql` (with `?` parameters), on a fresh read-only connection."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def query_dicts(warehouse: Path, sql: str, params: list | None = None) -> list[dict]:
    """The rows of `sql` as dicts by column name, on a fresh read-only connection."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
