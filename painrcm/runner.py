"""The scheduled job: ingest the inbox, then build, under one lock, with a run_history row."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingest.inbox import load_inbox
from ingest.raw_tables import ensure_raw_tables
from ingest.report import LoadReport
from painrcm.build import BuildResult, build, dbt_artifacts_dir
from painrcm.warehouse import locked, staged
from painrcm.work.autoclose import sync_after_build


class RunFailed(RuntimeError):
    pass


@dataclass
class RunOutcome:
    run_id: str
    report: LoadReport
    build: BuildResult


def ingest_into(work_db: Path, inbox: Path, progress: Callable | None = None) -> LoadReport:
    con = duckdb.connect(str(work_db))
    try:
        ensure_raw_tables(con)
        return load_inbox(Path(inbox), con, progress=progress)
    finally:
        con.close()


def _record_run(work_db: Path, row: dict) -> None:
    con = duckdb.connect(str(work_db))
    try:
        ensure_raw_tables(con)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into raw.run_history ({cols}) values ({marks})", list(row.values()))
    finally:
        con.close()


def scheduled_run(
    inbox: Path,
    warehouse: Path,
    as_of: date | None,
    on_file: Callable | None = None,
    on_node: Callable | None = None,
) -> RunOutcome:
    """Ingest + build as one atomic publication. Raises WarehouseLocked when a run is already
    under way, RunFailed when ingest or build fails (the last good warehouse stays, with a
    `failed` run_history row added)."""
    warehouse = Path(warehouse).resolve()
    run_id = str(uuid.uuid4())
    started = datetime.now()
    row = {
        "run_id": run_id,
        "started_at": started,
        "as_of_date": as_of or date.today(),
        "files_loaded": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
        "dbt_nodes_passed": 0,
        "dbt_nodes_failed": 0,
        "failing_nodes": None,
    }
    with locked(warehouse, wait=False):
        report = LoadReport()
        result = BuildResult(success=False)
        try:
            with staged(warehouse, lock=False) as work:
                report = ingest_into(work, inbox, on_file)
                row.update(
                    files_loaded=report.files_loaded,
                    rows_loaded=report.rows_loaded,
                    rows_quarantined=report.rows_quarantined,
                )
                result = build(work, as_of, dbt_artifacts_dir(warehouse), on_node)
                row.update(
                    dbt_nodes_passed=result.nodes_passed,
                    dbt_nodes_failed=result.nodes_failed,
                    failing_nodes=" ".join(result.failing_nodes) or None,
                )
                if not result.success:
                    raise RunFailed(f"build failed: {result.message}")
                _record_run(
                    work, {**row, "ended_at": datetime.now(), "status": "success", "message": None}
                )
        except Exception as exc:
            with staged(warehouse, lock=False) as work:
                _record_run(
                    work,
                    {
                        **row,
                        "ended_at": datetime.now(),
                        "status": "failed",
                        "message": str(exc)[:2000],
                    },
                )
            if isinstance(exc, RunFailed):
                raise
            raise RunFailed(str(exc)) from exc
    # published: close the work items that left their worklist (painrcm.work.autoclose)
    sync_after_build(warehouse)
    return RunOutcome(run_id, report, result)
