"""Issue #11: `painrcm serve` and `painrcm export` read a Spark build (`--spark-warehouse DIR`).

A Spark build leaves Parquet marts under DIR/marts.db/<mart>/ and the raw export under
DIR/raw/<table>/; painrcm.spark.publish_views snapshots them and swaps in DIR/serving.duckdb,
whose views the dashboards and exports read. These tests lay out a Spark warehouse folder
from the DuckDB build of the generated practice (same tables, written as Parquet part files
the way Spark names them), so they run without Java; tests/test_spark.py repeats the export
check on a real Spark build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from painrcm.cli import app
from painrcm.paths import dashboards_dir
from painrcm.spark import APP_STAGING_TABLES, PUBLISHED, SERVING_FILE, publish_views
from tests.conftest import AS_OF

runner = CliRunner()


def write_spark_layout(warehouse: Path, spark_dir: Path) -> None:
    """DIR/marts.db/<mart>/part-00000-….parquet, DIR/raw/<table>/data.parquet and the staging
    tables the app reads (DIR/staging.db/<table>/), as after
    `painrcm build --engine spark` (with Spark's _SUCCESS marker and .crc files)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for schema, folder in (("marts", "marts.db"), ("raw", "raw"), ("staging", "staging.db")):
            tables = con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [schema],
            ).fetchall()
            for (table,) in tables:
                if schema == "staging" and table not in APP_STAGING_TABLES:
                    continue
                target = spark_dir / folder / table
                target.mkdir(parents=True)
                name = "data.parquet" if schema == "raw" else "part-00000-0000.snappy.parquet"
                con.execute(
                    f"copy {schema}.\"{table}\" to '{(target / name).as_posix()}' (format parquet)"
                )
                (target / "_SUCCESS").touch()
                (target / f".{name}.crc").write_bytes(b"crc")
    finally:
        con.close()


@pytest.fixture(scope="module")
def spark_dir(built_warehouse, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spark-layout") / "spark-warehouse"
    write_spark_layout(built_warehouse, path)
    return path


def _export(tmp_path: Path, mart: str, *source: str) -> bytes:
    out = tmp_path / f"{mart}-{len(list(tmp_path.iterdir()))}.csv"
    result = runner.invoke(app, ["export", mart, *source, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("mart", ["ar_worklist", "mppr_underpayments", "pa_coverage_gaps"])
def test_export_from_spark_warehouse_equals_duckdb(mart, spark_dir, built_warehouse, tmp_path):
    from_duckdb = _export(tmp_path, mart, "--warehouse", str(built_warehouse))
    from_spark = _export(tmp_path, mart, "--spark-warehouse", str(spark_dir))
    assert from_spark.count(b"\n") > 1, f"{mart} has rows in the test practice"
    assert from_spark == from_duckdb


def test_serving_file_has_views_over_a_snapshot(spark_dir):
    serving = publish_views(spark_dir)
    assert serving == spark_dir.resolve() / SERVING_FILE
    con = duckdb.connect(str(serving), read_only=True)
    try:
        views = dict(
            con.execute(
                "select table_schema || '.' || table_name, table_type "
                "from information_schema.tables"
            ).fetchall()
        )
        # Every mart, and the raw tables the Data health / Documentation pages read.
        wanted = ("marts.ar_worklist", "marts.build_info", "raw.load_log", "raw.procedure_notes")
        for name in wanted:
            assert views.get(name) == "VIEW", name
        sql = con.execute(
            "select sql from duckdb_views() where view_name = 'ar_worklist'"
        ).fetchone()[0]
        assert f"/{PUBLISHED}/" in sql, "marts are read from the snapshot, not marts.db"
        money = con.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'ar_worklist' and column_name = 'open_balance'"
        ).fetchone()[0]
        assert money.startswith("DECIMAL")
    finally:
        con.close()


def test_reader_keeps_its_snapshot_while_a_rebuild_rewrites_marts_db(spark_dir, tmp_path):
    """The marts folder of a running Spark build is not what readers see: an open
    connection keeps answering from its snapshot; the next publish swaps a new file in and
    keeps only the newest snapshots."""
    first = publish_views(spark_dir)
    con = duckdb.connect(str(first), read_only=True)
    try:
        before = con.execute("select count(*) from marts.ar_worklist").fetchone()[0]
        moved = tmp_path / "ar_worklist"
        shutil.move(spark_dir / "marts.db" / "ar_worklist", moved)  # a rebuild dropped it
        assert con.execute("select count(*) from marts.ar_worklist").fetchone()[0] == before
        shutil.move(moved, spark_dir / "marts.db" / "ar_worklist")
    finally:
        con.close()
    # Holding the first file open keeps its inode allocated, so the filesystem cannot hand
    # the same inode number to a later file (that made this check flaky).
    with open(first, "rb") as held:
        inode = os.fstat(held.fileno()).st_ino
        publish_views(spark_dir)
        publish_views(spark_dir)
        assert os.stat(spark_dir / SERVING_FILE).st_ino != inode, "a new file is swapped in"
    assert len(list((spark_dir / PUBLISHED).iterdir())) == 2


def test_export_needs_exactly_one_source(spark_dir, built_warehouse, tmp_path):
    both = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(built_warehouse),
         "--spark-warehouse", str(spark_dir), "--out", str(tmp_path / "x.csv")],
    )  # fmt: skip
    neither = runner.invoke(app, ["export", "ar_worklist", "--out", str(tmp_path / "x.csv")])
    for result in (both, neither):
        assert result.exit_code == 1
        assert "either --warehouse PATH or --spark-warehouse DIR" in result.output


def test_spark_warehouse_without_marts_is_a_clear_error(tmp_path):
    empty = tmp_path / "spark-warehouse"
    empty.mkdir()
    missing = tmp_path / "nowhere"
    for folder, words in ((empty, "holds no marts"), (missing, "does not exist")):
        result = runner.invoke(
            app, ["export", "ar_worklist", "--spark-warehouse", str(folder), "--out",
                  str(tmp_path / "x.csv")],
        )  # fmt: skip
        assert result.exit_code == 1 and words in result.output, result.output
        assert "painrcm build --engine spark" in result.output


@pytest.mark.parametrize("page", ["ar_worklist", "data_health", "documentation"])
def test_dashboard_pages_read_a_spark_build(page, spark_dir, monkeypatch):
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(publish_views(spark_dir)))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    at = AppTest.from_file(str(dashboards_dir() / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"As of {AS_OF.isoformat()}" in m.value for m in at.markdown)
    assert at.dataframe, f"{page} shows a table"
    assert len(at.dataframe[0].value) > 0
