"""Issue #11: the same dbt project on Spark gives the same marts as on DuckDB, row for row.

The generated practice (conftest: ingested and built on DuckDB once per session) is built a
second time on a local Spark session from the same raw layer (exported to Parquet), and every
mart except build_info is compared with DuckDB's: same columns, same rows (sorted by the whole
row, which orders by the grain), DECIMAL money equal as Decimal and still DECIMAL on Spark.
Skipped only when Java or pyspark/dbt-spark is missing.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from painrcm.marts import mart_properties
from tests.conftest import AS_OF

pytestmark = pytest.mark.slow

# build_info holds the build's own time and versions: it differs by design; so does
# build_history's build identity (invocation, time, engine): its counts are compared below.
NOT_COMPARED = {"build_info", "build_history"}
# Every mart, from its YAML (painrcm/marts.py); dbt enforces each one's contract on Spark too.
MARTS = sorted(name for name in mart_properties() if name not in NOT_COMPARED)


@pytest.fixture(scope="module")
def spark_warehouse(built_warehouse, tmp_path_factory) -> Path:
    from painrcm.spark import build_spark, spark_missing_reason, spark_session

    reason = spark_missing_reason()
    if reason:
        pytest.skip(f"Spark build not possible here: {reason}")
    spark_dir = tmp_path_factory.mktemp("spark") / "warehouse"
    started = time.monotonic()
    result = build_spark(built_warehouse, spark_dir, AS_OF)
    elapsed = time.monotonic() - started
    print(f"\nspark build of the test practice: {elapsed:.0f}s, {result.nodes_passed} nodes")
    spark_session(spark_dir).stop()  # the JVM's memory back for the rest of the suite
    assert result.success, result.message
    return spark_dir


def _normalise(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sort_key(row):
    # NULLs first; numbers by value (a DECIMAL's scale may differ between the engines);
    # everything else (text, dates, lists) by its text.
    return tuple(
        (0, 0.0, "")
        if v is None
        else (1, float(v), "")
        if isinstance(v, int | float | Decimal) and not isinstance(v, bool)
        else (2, 0.0, str(v))
        for v in row
    )


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _read(con: duckdb.DuckDBPyConnection, relation: str):
    rel = con.sql(f"select * from {relation}")
    columns = [c.lower() for c in rel.columns]
    types = {c.lower(): str(t) for c, t in zip(rel.columns, rel.types, strict=True)}
    rows = [tuple(_normalise(v) for v in row) for row in rel.fetchall()]
    return columns, types, rows


@pytest.mark.parametrize("mart", MARTS)
def test_spark_mart_identical_to_duckdb(mart, built_warehouse, spark_warehouse):
    files = sorted((spark_warehouse / "marts.db" / mart).glob("*.parquet"))
    assert files, f"marts.{mart} was not written as Parquet under {spark_warehouse}/marts.db"
    con = duckdb.connect()
    try:
        con.execute(f"attach '{built_warehouse}' as duck (read_only)")
        d_cols, d_types, d_rows = _read(con, f"duck.marts.{mart}")
        file_list = ", ".join(f"'{f.as_posix()}'" for f in files)
        s_cols, s_types, s_rows = _read(con, f"read_parquet([{file_list}])")
    finally:
        con.close()

    assert s_cols == d_cols, f"{mart}: columns differ"
    for column, duck_type in d_types.items():
        if duck_type.startswith("DECIMAL"):
            assert s_types[column].startswith("DECIMAL"), (
                f"{mart}.{column}: DECIMAL on DuckDB but {s_types[column]} on Spark"
            )
    assert len(s_rows) == len(d_rows), f"{mart}: {len(s_rows)} rows on Spark, {len(d_rows)}"
    d_rows.sort(key=_sort_key)
    s_rows.sort(key=_sort_key)
    for d_row, s_row in zip(d_rows, s_rows, strict=True):
        diffs = [
            f"{col}: duckdb={dv!r} spark={sv!r}"
            for col, dv, sv in zip(d_cols, d_row, s_row, strict=True)
            if not _same(dv, sv)
        ]
        assert not diffs, f"{mart}: first differing row: " + "; ".join(diffs)


def _parquet(con: duckdb.DuckDBPyConnection, spark_warehouse: Path, mart: str) -> str:
    files = sorted((spark_warehouse / "marts.db" / mart).glob("*.parquet"))
    return f"read_parquet({[f.as_posix() for f in files]!r})"


def test_build_info_on_spark_counts_every_mart(spark_warehouse):
    """The on-run-end hook rewrote Spark's build_info (Parquet has no UPDATE): one row, the
    Spark engine, and the row count of every other mart, each equal to its Parquet rows."""
    import json

    con = duckdb.connect()
    try:
        rows = con.sql(
            f"select engine, row_counts, failing_tests "
            f"from {_parquet(con, spark_warehouse, 'build_info')}"
        ).fetchall()
        assert len(rows) == 1
        engine, row_counts, _ = rows[0]
        assert engine == "spark"
        counted = json.loads(row_counts)
        assert set(counted) == set(MARTS)
        for mart, n in counted.items():
            got = con.sql(f"select count(*) from {_parquet(con, spark_warehouse, mart)}")
            assert got.fetchall() == [(n,)], mart
    finally:
        con.close()


def test_money_is_exact_decimal_on_spark(spark_warehouse):
    """Amounts come back as Decimal with cents, never binary floating point."""
    files = sorted((spark_warehouse / "marts.db" / "mppr_underpayments").glob("*.parquet"))
    con = duckdb.connect()
    try:
        rel = con.sql(f"select * from read_parquet({[f.as_posix() for f in files]!r})")
        money = [c for c, t in zip(rel.columns, rel.types, strict=True) if "DECIMAL" in str(t)]
        assert money
        for row in rel.select(*money).fetchall():
            assert all(v is None or isinstance(v, Decimal) for v in row)
    finally:
        con.close()


def test_export_reads_the_spark_build(spark_warehouse, built_warehouse, tmp_path):
    """`painrcm export --spark-warehouse DIR` gives the same worklist, in the same working
    order, as the export of the DuckDB build (the build swapped in DIR/serving.duckdb)."""
    import polars as pl
    from typer.testing import CliRunner

    from painrcm.cli import app
    from painrcm.spark import SERVING_FILE

    assert (spark_warehouse / SERVING_FILE).exists()
    frames = []
    for flag, source in (("--warehouse", built_warehouse), ("--spark-warehouse", spark_warehouse)):
        out = tmp_path / f"{flag.strip('-')}.csv"
        result = CliRunner().invoke(
            app, ["export", "ar_worklist", flag, str(source), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        frames.append(pl.read_csv(out, infer_schema=False))
    duck, spark = frames
    assert spark.height == duck.height > 0
    assert spark["claim_id"].to_list() == duck["claim_id"].to_list()
    assert spark["open_balance"].to_list() == duck["open_balance"].to_list()


def test_spark_build_history_counts_what_duckdb_counts(built_warehouse, spark_warehouse):
    """build_history is incremental (appended to by each build); on Spark, whose build starts
    from an empty warehouse, it holds that one build: the same as-of date and row counts."""
    files = sorted((spark_warehouse / "marts.db" / "build_history").glob("*.parquet"))
    assert files
    con = duckdb.connect()
    try:
        con.execute(f"attach '{built_warehouse}' as duck (read_only)")
        wanted = "select as_of_date, mart, row_count from {} order by mart"
        duck = con.sql(wanted.format("duck.marts.build_history")).fetchall()
        file_list = ", ".join(f"'{f.as_posix()}'" for f in files)
        spark = con.sql(wanted.format(f"read_parquet([{file_list}])")).fetchall()
    finally:
        con.close()
    assert duck and spark == duck
