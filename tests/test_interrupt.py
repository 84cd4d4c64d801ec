"""Killed and stopped writers (issue #16.4, .7): stale work copies are removed, interrupted
runs are recorded, SIGTERM cleans up like Ctrl+C, and what painrcm writes is private."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from painrcm import runner
from painrcm.build import BuildResult
from painrcm.runner import scheduled_run
from painrcm.warehouse import staged, work_files

AS_OF_TEXT = "2026-11-30"


def _make(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as v", [value])
    con.close()


def _read(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select v from t").fetchone()[0]
    finally:
        con.close()


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _writer(script: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


STUCK_WRITER = """
    import sys, time
    from painrcm.interrupt import stop_signals_raise
    from painrcm.warehouse import staged
    import duckdb
    with stop_signals_raise(), staged({wh!r}) as work:
        con = duckdb.connect(str(work)); con.execute("update t set v = 99"); con.close()
        print("ready", flush=True)
        time.sleep(600)
"""


def test_a_killed_writers_work_copy_is_removed_by_the_next(tmp_path):
    wh = tmp_path / "w.duckdb"
    _make(wh, 1)
    proc = _writer(STUCK_WRITER.format(wh=str(wh)))
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    proc.kill()  # kill -9: no cleanup
    proc.communicate(timeout=30)
    left = work_files(wh)
    assert [p.name for p in left] == [f"w.duckdb.work-{proc.pid}"]
    (tmp_path / f"w.duckdb.work-{proc.pid}.tmp").mkdir()  # a DuckDB spill folder
    with staged(wh) as work:
        assert work_files(wh) == [work]
        _make(work, 2)
    assert _read(wh) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_writer_cleans_up_and_publishes_nothing(tmp_path, signum):
    wh = tmp_path / "w.duckdb"
    _make(wh, 1)
    proc = _writer(STUCK_WRITER.format(wh=str(wh)))
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and "Interrupted" in err
    assert _read(wh) == 1
    assert work_files(wh) == []


def test_the_warehouse_and_its_work_copy_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        wh = tmp_path / "new" / "w.duckdb"
        with staged(wh) as work:
            _make(work, 1)
        assert stat.S_IMODE(wh.stat().st_mode) == 0o600
        assert stat.S_IMODE(wh.parent.stat().st_mode) == 0o700
        os.chmod(wh, 0o644)  # published by an older painrcm
        with staged(wh) as work:
            assert stat.S_IMODE(work.stat().st_mode) == 0o600
            _make(work, 2)
        assert stat.S_IMODE(wh.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_the_cli_creates_private_files(tmp_path):
    """The CLI's umask covers what dbt, DuckDB and the generator create, too."""
    out = tmp_path / "inbox"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("painrcm")), "generate", "--out", str(out),
         "--months", "1", "--providers", "1", "--claims-per-month", "5"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    made = [out, *out.rglob("*")]
    assert made and all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in made), (
        "files 0600 and folders 0700"
    )


def _history(wh: Path) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(
            "select run_id, status, message from raw.run_history order by started_at"
        ).fetchall()
    finally:
        con.close()


STUCK_RUN = """
    import time
    from datetime import date
    from painrcm import runner
    from painrcm.interrupt import stop_signals_raise

    def stuck_build(*args, **kwargs):
        print("building", flush=True)
        time.sleep(600)

    runner.build = stuck_build
    with stop_signals_raise():
        runner.scheduled_run({inbox!r}, {wh!r}, date(2026, 11, 30))
"""


def _fast_build(*_args, **_kwargs) -> BuildResult:
    return BuildResult(success=True, nodes_passed=1)


@pytest.fixture
def inbox(tmp_path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def test_a_killed_run_is_recorded_as_interrupted_by_the_next(tmp_path, inbox, monkeypatch):
    wh = tmp_path / "w.duckdb"
    monkeypatch.setattr(runner, "build", _fast_build)
    scheduled_run(inbox, wh, None)
    proc = _writer(STUCK_RUN.format(inbox=str(inbox), wh=str(wh)))
    assert proc.stdout.readline().strip() == "building", proc.stderr.read()
    marker = wh.with_name("w.duckdb.running")
    killed_run_id = json.loads(marker.read_text())["run_id"]
    proc.kill()
    proc.communicate(timeout=30)
    assert work_files(wh)
    outcome = scheduled_run(inbox, wh, None)
    runs = _history(wh)
    assert [r[1] for r in runs] == ["success", "interrupted", "success"]
    assert runs[1][0] == killed_run_id and f"process {proc.pid}" in runs[1][2]
    assert runs[2][0] == outcome.run_id
    assert work_files(wh) == [] and not marker.exists()
    scheduled_run(inbox, wh, None)  # recorded once
    assert [r[1] for r in _history(wh)].count("interrupted") == 1


def test_a_stopped_run_records_itself_as_interrupted(tmp_path, inbox, monkeypatch):
    wh = tmp_path / "w.duckdb"
    monkeypatch.setattr(runner, "build", _fast_build)
    scheduled_run(inbox, wh, None)
    proc = _writer(STUCK_RUN.format(inbox=str(inbox), wh=str(wh)))
    assert proc.stdout.readline().strip() == "building", proc.stderr.read()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    runs = _history(wh)
    assert [r[1] for r in runs] == ["success", "interrupted"]
    assert "stopped by SIGTERM" in runs[1][2]
    assert work_files(wh) == [] and not wh.with_name("w.duckdb.running").exists()
