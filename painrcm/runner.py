"""The scheduled job: ingest the inbox, then build, under one lock, with a run_history row.

A run that is stopped (SIGTERM, Ctrl+C: painrcm.interrupt) records itself as `interrupted`.
A run that is killed outright (`kill -9`, power loss) cannot, so each run leaves a marker
file `<warehouse>.running` (run id, start, pid) that it removes when it has recorded its
outcome; the next run finds a marker left behind and records that run as `interrupted`.

Each row records the seconds of each phase: ingest, dbt models, dbt tests (BuildResult
splits the one dbt build) and publish (copying the last warehouse to the work copy and
checkpointing it before the atomic swap). A phase not reached is NULL.
"""

from __future__ import annotations

import json
import os
import time
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
from painrcm.private import write_private
from painrcm.warehouse import checkpoint, locked, staged
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


def _record_run(work_db: Path, *rows: dict | None) -> None:
    """Insert the run_history rows (a run_id already recorded is not recorded again)."""
    con = duckdb.connect(str(work_db))
    try:
        ensure_raw_tables(con)
        for row in rows:
            if row is None:
                continue
            done = con.execute(
                "select count(*) from raw.run_history where run_id = ?", [row["run_id"]]
            ).fetchone()[0]
            if done:
                continue
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(
                f"insert into raw.run_history ({cols}) values ({marks})", list(row.values())
            )
    finally:
        con.close()


def _marker(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".running")


def _write_marker(warehouse: Path, row: dict) -> None:
    info = {
        "run_id": row["run_id"],
        "started_at": row["started_at"].isoformat(),
        "as_of_date": row["as_of_date"].isoformat(),
        "pid": os.getpid(),
    }
    write_private(_marker(warehouse), lambda tmp: tmp.write_text(json.dumps(info)))


def _killed_run(warehouse: Path) -> dict | None:
    """The run_history row of a run that was killed before it could record itself."""
    marker = _marker(warehouse)
    try:
        info = json.loads(marker.read_text())
        started = datetime.fromisoformat(info["started_at"])
        as_of = date.fromisoformat(info["as_of_date"])
        run_id, pid = str(info["run_id"]), info.get("pid")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # An unreadable marker still says a run did not finish.
        started, as_of, run_id, pid = None, None, str(uuid.uuid4()), None
    return {
        "run_id": run_id,
        "started_at": started,
        "ended_at": None,
        "status": "interrupted",
        "as_of_date": as_of,
        "files_loaded": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
        "dbt_nodes_passed": 0,
        "dbt_nodes_failed": 0,
        "failing_nodes": None,
        "message": f"interrupted: the run (process {pid or 'unknown'}) ended before it "
        "finished (killed, or the machine went down); nothing of it was published",
    }


def scheduled_run(
    inbox: Path,
    warehouse: Path,
    as_of: date | None,
    on_file: Callable | None = None,
    on_node: Callable | None = None,
) -> RunOutcome:
    """Ingest + build as one atomic publication. Raises WarehouseLocked when a run is already
    under way, RunFailed when ingest or build fails (the last good warehouse stays, with a
    `failed` run_history row added); an interruption (painrcm.interrupt.Interrupted,
    KeyboardInterrupt) is recorded as `interrupted` and raised again."""
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
        "ingest_seconds": None,
        "dbt_models_seconds": None,
        "dbt_tests_seconds": None,
        "publish_seconds": None,
    }

    def since(moment: float) -> float:
        return round(time.monotonic() - moment, 3)

    with locked(warehouse, wait=False):
        killed = _killed_run(warehouse)
        _write_marker(warehouse, row)
        report = LoadReport()
        result = BuildResult(success=False)
        try:
            copy_started = time.monotonic()
            with staged(warehouse, lock=False) as work:
                row.update(publish_seconds=since(copy_started))
                ingest_started = time.monotonic()
                report = ingest_into(work, inbox, on_file)
                row.update(
                    ingest_seconds=since(ingest_started),
                    files_loaded=report.files_loaded,
                    rows_loaded=report.rows_loaded,
                    rows_quarantined=report.rows_quarantined,
                )
                result = build(work, as_of, dbt_artifacts_dir(warehouse), on_node)
                row.update(
                    dbt_nodes_passed=result.nodes_passed,
                    dbt_nodes_failed=result.nodes_failed,
                    failing_nodes=" ".join(result.failing_nodes) or None,
                    dbt_models_seconds=round(result.models_seconds, 3),
                    dbt_tests_seconds=round(result.tests_seconds, 3),
                )
                if not result.success:
                    raise RunFailed(f"build failed: {result.message}")
                # The swap's checkpoint, done here so its time is in the row; the one
                # staged() does after the row is written has next to nothing left to do.
                checkpoint_started = time.monotonic()
                checkpoint(work)
                row.update(publish_seconds=row["publish_seconds"] + since(checkpoint_started))
                _record_run(
                    work,
                    killed,
                    {**row, "ended_at": datetime.now(), "status": "success", "message": None},
                )
        except BaseException as exc:
            interrupted = isinstance(exc, KeyboardInterrupt)
            message = (
                f"interrupted: {exc or 'stopped'} before the run finished; nothing of it was "
                "published"
                if interrupted
                else str(exc)[:2000]
            )
            status = "interrupted" if interrupted else "failed"
            with staged(warehouse, lock=False) as work:
                _record_run(
                    work,
                    killed,
                    {**row, "ended_at": datetime.now(), "status": status, "message": message},
                )
            _marker(warehouse).unlink(missing_ok=True)
            if interrupted or isinstance(exc, RunFailed):
                raise
            raise RunFailed(str(exc)) from exc
        _marker(warehouse).unlink(missing_ok=True)
    # published: close the work items that left their worklist (painrcm.work.autoclose)
    sync_after_build(warehouse)
    return RunOutcome(run_id, report, result)
