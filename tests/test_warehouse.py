"""The publish cycle: readers keep reading, failures publish nothing, writers exclude."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from painrcm.warehouse import WarehouseLocked, locked, staged


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


def _write(work: Path, value: int) -> None:
    con = duckdb.connect(str(work))
    con.execute("update t set v = ?", [value])
    con.close()


def test_staged_publishes_the_work_copy(tmp_path):
    wh = tmp_path / "w.duckdb"
    _make(wh, 1)
    with staged(wh) as work:
        assert work != wh
        _write(work, 2)
        assert _read(wh) == 1  # not published before the cycle ends
    assert _read(wh) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


def test_failure_leaves_last_good_warehouse(tmp_path):
    wh = tmp_path / "w.duckdb"
    _make(wh, 1)
    with pytest.raises(RuntimeError, match="boom"), staged(wh) as work:
        _write(work, 99)
        raise RuntimeError("boom")
    assert _read(wh) == 1
    assert not list(tmp_path.glob("*.work-*"))


def test_staged_starts_a_new_warehouse(tmp_path):
    wh = tmp_path / "sub" / "new.duckdb"
    with staged(wh) as work:
        _make(work, 5)
    assert _read(wh) == 5


def test_second_writer_is_refused_while_locked(tmp_path):
    wh = tmp_path / "w.duckdb"
    with (
        locked(wh),
        pytest.raises(WarehouseLocked, match="another painrcm process"),
        locked(wh, wait=False),
    ):
        pass
    with locked(wh, wait=False):  # released afterwards
        pass


def test_reader_in_another_process_does_not_block_publish(tmp_path):
    """A dashboard holding a read-only connection keeps its snapshot; the swap succeeds and
    the next connection sees the new build."""
    wh = tmp_path / "w.duckdb"
    _make(wh, 1)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(wh)!r}, read_only=True)
            print(con.execute('select v from t').fetchone()[0], flush=True)
            sys.stdin.readline()
            print(con.execute('select v from t').fetchone()[0], flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        with staged(wh) as work:
            _write(work, 2)
        assert _read(wh) == 2
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"  # its open file is the old inode
    finally:
        reader.communicate(timeout=30)
    assert reader.returncode == 0
