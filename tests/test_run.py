"""`painrcm run`, the scheduled job: repeatable, exclusive, and safe when a build fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from painrcm import build as build_module
from painrcm.paths import project_root
from painrcm.runner import RunFailed, scheduled_run
from painrcm.warehouse import WarehouseLocked, locked

from .conftest import AS_OF

pytestmark = pytest.mark.slow
PAINRCM = Path(sys.executable).with_name("painrcm")


def _snapshot(path: Path, schema: str) -> dict[str, list]:
    """Every table of a schema, rows sorted, lineage timestamps left out."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by 1",
                [schema],
            ).fetchall()
        ]
        snap = {}
        for t in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? "
                    "and table_name = ? order by ordinal_position",
                    [schema, t],
                ).fetchall()
            ]
            keep = [
                c
                for c in cols
                if c not in ("_loaded_at", "loaded_at", "quarantined_at", "load_id", "built_at")
            ]
            # history and the build's own checks: they change with every run by design
            if t in ("run_history", "build_info", "build_history", "source_freshness"):
                continue
            select = ", ".join(f'"{c}"' for c in keep)
            snap[t] = sorted(con.execute(f"select {select} from {schema}.{t}").fetchall(), key=repr)
        return snap
    finally:
        con.close()


def _runs(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select status, files_loaded, dbt_nodes_failed, failing_nodes "
            "from raw.run_history order by started_at"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def warehouse_copy(built_warehouse, tmp_path) -> Path:
    target = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, target)
    return target


def test_run_twice_changes_nothing_but_history(practice_inbox, warehouse_copy):
    raw_before = _snapshot(warehouse_copy, "raw")
    marts_before = _snapshot(warehouse_copy, "marts")
    outcome = scheduled_run(practice_inbox, warehouse_copy, AS_OF)
    assert outcome.report.files_loaded == 0
    assert all(f.status in ("duplicate", "ignored") for f in outcome.report.files)
    assert _snapshot(warehouse_copy, "raw") == raw_before
    assert _snapshot(warehouse_copy, "marts") == marts_before
    runs = _runs(warehouse_copy)
    assert [r[0] for r in runs] == ["success", "success"]
    assert runs[0][1] > 0 and runs[1][1] == 0
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:  # each build appended its counts (marts.build_history, incremental)
        builds = con.execute("select count(distinct invocation_id) from marts.build_history")
        assert builds.fetchone() == (2,)
    finally:
        con.close()


def test_a_run_while_another_holds_the_lock_is_refused(practice_inbox, warehouse_copy):
    with locked(warehouse_copy), pytest.raises(WarehouseLocked):
        scheduled_run(practice_inbox, warehouse_copy, AS_OF)
    proc = None
    with locked(warehouse_copy):
        proc = subprocess.run(
            [
                str(PAINRCM),
                "run",
                "--inbox",
                str(practice_inbox),
                "--warehouse",
                str(warehouse_copy),
                "--as-of",
                AS_OF.isoformat(),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 1
    assert "being written by another painrcm process" in proc.stderr
    assert len(_runs(warehouse_copy)) == 1


def test_two_runs_at_once_one_wins(practice_inbox, warehouse_copy):
    cmd = [
        str(PAINRCM),
        "run",
        "--inbox",
        str(practice_inbox),
        "--warehouse",
        str(warehouse_copy),
        "--as-of",
        AS_OF.isoformat(),
    ]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1], outs
    loser = outs[[p.returncode for p in procs].index(1)]
    assert "being written by another painrcm process" in loser[1]
    assert [r[0] for r in _runs(warehouse_copy)] == ["success", "success"]


def _break_the_project(tmp_path: Path, monkeypatch) -> None:
    """Point the build at a copy of the project with a model that cannot compile."""
    broken = tmp_path / "project"
    for part in ("dbt_project", "seeds", "macros"):
        shutil.copytree(
            project_root() / part, broken / part, ignore=shutil.ignore_patterns("target", "logs")
        )
    (broken / "dbt_project" / "models" / "marts" / "zz_broken.sql").write_text(
        "select * from a_table_that_does_not_exist\n"
    )
    monkeypatch.setattr(build_module, "dbt_project_dir", lambda: broken / "dbt_project")


def test_failed_build_keeps_last_good_warehouse(
    practice_inbox, warehouse_copy, tmp_path, monkeypatch
):
    _break_the_project(tmp_path, monkeypatch)
    marts_before = _snapshot(warehouse_copy, "marts")
    with pytest.raises(RunFailed, match="zz_broken"):
        scheduled_run(practice_inbox, warehouse_copy, AS_OF)
    assert _snapshot(warehouse_copy, "marts") == marts_before
    runs = _runs(warehouse_copy)
    assert [r[0] for r in runs] == ["success", "failed"]
    assert "zz_broken" in runs[1][3]
    assert not list(tmp_path.glob("*.work-*"))


def test_cli_build_failure_is_one_line_and_publishes_nothing(warehouse_copy, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from painrcm.cli import app

    _break_the_project(tmp_path, monkeypatch)
    marts_before = _snapshot(warehouse_copy, "marts")
    result = CliRunner().invoke(app, ["build", "--warehouse", str(warehouse_copy)])
    assert result.exit_code == 1
    assert "build failed, the last good warehouse is unchanged" in result.output
    assert "zz_broken" in result.output
    assert _snapshot(warehouse_copy, "marts") == marts_before


def test_unreadable_payer_amount_never_fails_the_run(
    practice_inbox, built_warehouse, warehouse_copy, tmp_path
):
    """#16.1: a CLP04 of `1O1.29` is set aside at ingest with file, segment and value; the
    run succeeds and every mart is what the other files make it."""
    inbox = tmp_path / "inbox"
    shutil.copytree(practice_inbox, inbox)
    bad = Path(__file__).parent / "fixtures" / "x12_edges" / "bad_clp04_amount.835"
    lines = bad.read_text().splitlines()
    # only the unreadable claim payment: C500's loop (segments 10-16) goes, BPR and SE follow
    lines = lines[:9] + lines[16:]
    text = "\n".join(lines).replace("BPR*I*147.04", "BPR*I*101.29").replace("SE*19", "SE*12")
    (inbox / "remits" / "zz_bad_clp04.835").write_text(text + "\n")
    scheduled_run(inbox, warehouse_copy, AS_OF)
    assert _runs(warehouse_copy)[-1][:3] == ("success", 1, 0)
    assert _snapshot(warehouse_copy, "marts") == _snapshot(built_warehouse, "marts")
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        rows = con.execute(
            "select file_name, segment_position, reason from raw.quarantine "
            "where file_name = 'zz_bad_clp04.835' order by segment_position limit 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        (
            "zz_bad_clp04.835",
            10,
            "claim payment CLP01 'C502' (segments 10-13) set aside: "
            "CLP04 '1O1.29' at segment 10 is not an amount",
        )
    ]


def test_sigterm_during_a_cli_build_publishes_nothing_and_cleans_up(warehouse_copy, tmp_path):
    """systemd stops a build with SIGTERM: dbt is cancelled like on Ctrl+C, the work copy
    goes, the last good warehouse stays, and the exit is one line, non-zero."""
    import signal
    import time

    from painrcm.warehouse import work_files

    before = warehouse_copy.read_bytes()
    proc = subprocess.Popen(
        [str(PAINRCM), "build", "--warehouse", str(warehouse_copy), "--as-of", str(AS_OF)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    logs = warehouse_copy.with_name(warehouse_copy.name + ".dbt") / "logs" / "dbt.log"
    deadline = time.monotonic() + 300
    while not (logs.exists() and "Concurrency" in logs.read_text(errors="replace")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "interrupted (stopped by SIGTERM)" in err and "Traceback" not in err
    assert warehouse_copy.read_bytes() == before
    assert work_files(warehouse_copy) == []


def test_the_nightly_build_runs_no_unit_test_and_records_its_phases(built_warehouse):
    """dbt unit tests run in `make test` (tests/test_dbt_marts.py), not in every build; the
    run's seconds per phase are in raw.run_history."""
    import json

    from painrcm.build import dbt_artifacts_dir

    results = json.loads(
        (dbt_artifacts_dir(built_warehouse) / "target" / "run_results.json").read_text()
    )["results"]
    ran = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "seed", "test"} <= ran
    assert "unit_test" not in ran

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        row = con.execute(
            "select ingest_seconds, dbt_models_seconds, dbt_tests_seconds, publish_seconds, "
            "epoch(ended_at - started_at) from raw.run_history"
        ).fetchone()
    finally:
        con.close()
    *phases, total = row
    assert all(p is not None and p >= 0 for p in phases), phases
    ingest, models, tests, publish = phases
    assert ingest > 0 and models > 0 and tests > 0 and publish > 0
    assert sum(phases) <= total + 0.01


def test_dbt_test_time_counts_only_while_no_model_runs():
    from datetime import datetime, timedelta
    from types import SimpleNamespace

    from painrcm.build import split_phases

    t0 = datetime(2026, 12, 1, 2, 15)

    def node(kind: str, start: float, end: float):
        timing = [
            SimpleNamespace(
                name="execute",
                started_at=t0 + timedelta(seconds=start),
                completed_at=t0 + timedelta(seconds=end),
            )
        ]
        return SimpleNamespace(node=SimpleNamespace(resource_type=kind), timing=timing)

    results = [
        node("seed", 0, 2),
        node("model", 2, 10),
        node("test", 5, 12),  # alone from 10 to 11 only
        node("test", 13, 14),  # alone
        node("model", 11, 12),
    ]
    assert split_phases(results, 20.0) == (18.0, 2.0)
    assert split_phases([], 4.0) == (4.0, 0.0)


def test_an_older_run_history_gets_the_phase_columns(tmp_path):
    from ingest.raw_tables import ensure_raw_tables

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        con.execute("create schema raw")
        con.execute("create table raw.run_history (run_id VARCHAR, status VARCHAR)")
        con.execute("insert into raw.run_history values ('old', 'success')")
        ensure_raw_tables(con)
        assert con.execute(
            "select run_id, ingest_seconds, dbt_models_seconds, dbt_tests_seconds, "
            "publish_seconds from raw.run_history"
        ).fetchall() == [("old", None, None, None, None)]
    finally:
        con.close()
