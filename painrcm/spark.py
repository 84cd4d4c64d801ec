"""`painrcm build --engine spark`: the same dbt project on Apache Spark (issue #11).

The raw layer that `painrcm ingest` wrote to a DuckDB warehouse is handed to Spark as Parquet
(DIR/raw/<table>/), registered as the tables of a Spark database `raw`, and `dbt build
--target spark` materialises seeds and models as Parquet tables of the Spark warehouse at
DIR (DIR/marts.db/<mart>/; stg_x12__segments is a view). Readers that have no Spark session
read the marts' Parquet files directly, e.g. DuckDB
`read_parquet('DIR/marts.db/<mart>/*.parquet')`.

A local PySpark session (local[2]) runs the build; the profile's `method: session` reuses it.
The catalog is in-memory: every build starts from the raw Parquet, and the files under DIR
are the published result.

`painrcm serve` and `painrcm export` read a Spark build through DuckDB, without Spark: after a
successful build the marts are copied to a snapshot (DIR/published/<build>/<mart>/) and a
small DuckDB file, DIR/serving.duckdb, is swapped in whose views `marts.<mart>` read that
snapshot's Parquet (and `raw.<table>` the raw tables the app shows on Data health and
Documentation). A dashboard open during a rebuild keeps reading the previous snapshot until
the new file is swapped in, as with the DuckDB engine's copy-and-replace (only the note texts
of the Documentation page are read from the raw export itself, which a rebuild rewrites).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from ingest.raw_tables import X12_SEGMENT_STORAGE
from painrcm.build import BuildResult, build, dbt_artifacts_dir
from painrcm.export import OPERATIONAL_TABLES

# The Spark databases a build writes (generate_schema_name: custom schemas verbatim).
BUILD_DATABASES = ("raw", "seeds", "staging", "intermediate", "marts", "painrcm")

# Session settings for local builds. ANSI mode (Spark 4's default) is switched off so that
# Spark behaves like DuckDB where the models rely on it: x / 0 is NULL, not an error. Bad
# payer text never reaches a plain cast: the models use try_cast_as / x12_date, whose spark__
# variants are try_ functions and so also work on a cluster that keeps ANSI mode on.
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.catalogImplementation": "in-memory",
    "spark.sql.sources.default": "parquet",
    "spark.sql.legacy.createHiveTableByDefault": "false",
    "spark.sql.legacy.allowNonEmptyLocationInCTAS": "true",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}


class SparkUnavailable(RuntimeError):
    pass


def spark_missing_reason() -> str | None:
    """Why a local Spark build cannot run here, or None when it can."""
    try:
        import pyspark  # noqa: F401
        from dbt.adapters.spark import SparkAdapter  # noqa: F401
    except ImportError:
        return "pyspark/dbt-spark are not installed: pip install 'painrcm[spark]'"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return "Java 17 is not installed (apt-get install openjdk-17-jre-headless)"
    return None


def spark_session(spark_dir: Path, master: str = "local[2]"):
    """The process's Spark session with the warehouse at spark_dir (created on first use;
    static settings such as the warehouse directory are fixed from then on)."""
    reason = spark_missing_reason()
    if reason:
        raise SparkUnavailable(reason)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("painrcm")
    builder = builder.config("spark.sql.warehouse.dir", str(Path(spark_dir).resolve()))
    builder = builder.config(
        "spark.driver.memory", os.environ.get("PAINRCM_SPARK_DRIVER_MEMORY", "4g")
    )
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # Runtime settings also apply when the session existed already.
    for key, value in SPARK_CONF.items():
        if key.startswith("spark.sql.") and key not in (
            "spark.sql.catalogImplementation",
            "spark.sql.legacy.createHiveTableByDefault",
        ):
            session.conf.set(key, value)
    return session


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_raw(warehouse: Path, raw_dir: Path) -> list[str]:
    """Every raw.* table and view of the DuckDB warehouse as Parquet
    (raw_dir/<table>/data.parquet), types kept (DECIMAL, VARCHAR[] as a list, TIMESTAMP).
    Returns the table names."""
    raw_dir = Path(raw_dir)
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    raw_dir.mkdir(parents=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # raw.x12_segments is a view over two storage tables: the view is what dbt reads
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' order by table_name"
            ).fetchall()
            if row[0] not in X12_SEGMENT_STORAGE
        ]
        for table in tables:
            (raw_dir / table).mkdir()
            target = _sql_text((raw_dir / table / "data.parquet").as_posix())
            con.execute(f'copy (select * from raw."{table}") to {target} (format parquet)')
    finally:
        con.close()
    return tables


def register_raw(session, raw_dir: Path, tables: list[str]) -> None:
    """The exported Parquet folders as the tables of the Spark database `raw`."""
    session.sql("create database if not exists raw")
    for table in tables:
        location = (Path(raw_dir).resolve() / table).as_uri()
        session.sql(f"drop table if exists raw.`{table}`")
        session.sql(f"create table raw.`{table}` using parquet location '{location}'")


def reset_databases(session, spark_dir: Path) -> None:
    """Drop what an earlier build left (in this session's catalog and on disk)."""
    for database in BUILD_DATABASES:
        session.sql(f"drop database if exists `{database}` cascade")
        shutil.rmtree(Path(spark_dir) / f"{database}.db", ignore_errors=True)


def build_spark(
    warehouse: Path,
    spark_dir: Path,
    as_of: date | None,
    on_node: Callable[[str], None] | None = None,
) -> BuildResult:
    """dbt build on Spark from the raw layer of the DuckDB warehouse; marts land in
    spark_dir/marts.db/<mart>/ as Parquet."""
    warehouse = Path(warehouse).resolve()
    spark_dir = Path(spark_dir).resolve()
    spark_dir.mkdir(parents=True, exist_ok=True)
    session = spark_session(spark_dir)
    reset_databases(session, spark_dir)
    raw_dir = spark_dir / "raw"
    tables = export_raw(warehouse, raw_dir)
    register_raw(session, raw_dir, tables)
    os.environ["PAINRCM_SPARK_WAREHOUSE"] = str(spark_dir)
    result = build(
        warehouse,
        as_of,
        dbt_artifacts_dir(spark_dir),
        on_node,
        target="spark",
    )
    if result.success:
        publish_views(spark_dir)
    return result


# Not "marts.duckdb": a catalog named like its schema `marts` makes `marts.x` ambiguous.
SERVING_FILE = "serving.duckdb"
PUBLISHED = "published"
# The raw tables the dashboards read besides the marts: the small operational ones are
# snapshotted with the marts; procedure_notes (large; the Documentation page's note texts) is
# read where the build exported it, so the texts are missing while a rebuild re-exports raw.
SNAPSHOT_RAW_TABLES = OPERATIONAL_TABLES
APP_RAW_TABLES = (*SNAPSHOT_RAW_TABLES, "procedure_notes")
# The staging tables the dashboards read, in place like procedure_notes: the note versions
# the marts compared (the Documentation page's side-by-side texts, dashboards/data.note_texts).
APP_STAGING_TABLES = ("stg_pm__procedure_notes",)
KEEP_SNAPSHOTS = 2  # the newest, and the one a reader that opened the old file may still use


def publish_views(spark_dir: Path) -> Path:
    """Snapshot the Spark marts and swap in DIR/serving.duckdb, whose views read them.

    DuckDB's read_parquet reads Spark's part files with their types (DECIMAL money stays
    DECIMAL). Returns the path of the serving file."""
    spark_dir = Path(spark_dir).resolve()
    marts_dir = spark_dir / "marts.db"
    marts = sorted(p.name for p in marts_dir.iterdir() if p.is_dir()) if marts_dir.is_dir() else []
    if not marts:
        raise FileNotFoundError(
            f"{marts_dir} holds no marts: run `painrcm build --engine spark "
            f"--spark-warehouse {spark_dir}` first"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshot = spark_dir / PUBLISHED / stamp
    snapshot.mkdir(parents=True)
    for mart in marts:
        shutil.copytree(
            marts_dir / mart, snapshot / mart, ignore=shutil.ignore_patterns(".*", "_*")
        )

    serving = spark_dir / SERVING_FILE
    work = spark_dir / f".{SERVING_FILE}.{stamp}"
    con = duckdb.connect(str(work))
    try:
        con.execute("create schema marts")
        con.execute("create schema raw")
        for mart in marts:
            files = _sql_text((snapshot / mart / "*.parquet").as_posix())
            con.execute(f'create view marts."{mart}" as select * from read_parquet({files})')
        for table in APP_RAW_TABLES:
            folder = spark_dir / "raw" / table
            if table in SNAPSHOT_RAW_TABLES and folder.is_dir():
                shutil.copytree(folder, snapshot / "raw" / table)
                folder = snapshot / "raw" / table
            if any(folder.glob("*.parquet")):
                files = _sql_text((folder / "*.parquet").as_posix())
                con.execute(f'create view raw."{table}" as select * from read_parquet({files})')
        con.execute("create schema staging")
        for table in APP_STAGING_TABLES:
            folder = spark_dir / "staging.db" / table
            if folder.is_dir() and any(folder.glob("*.parquet")):
                files = _sql_text((folder / "*.parquet").as_posix())
                con.execute(f'create view staging."{table}" as select * from read_parquet({files})')
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(work, serving)

    for old in sorted((spark_dir / PUBLISHED).iterdir())[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old, ignore_errors=True)
    return serving


def serving_warehouse(spark_dir: Path) -> Path:
    """The DuckDB file `painrcm serve` / `export` read for a Spark build (made if missing)."""
    spark_dir = Path(spark_dir)
    if not spark_dir.is_dir():
        raise FileNotFoundError(
            f"Spark warehouse {spark_dir} does not exist: run `painrcm build --engine spark "
            f"--spark-warehouse {spark_dir}` first"
        )
    serving = spark_dir / SERVING_FILE
    return serving if serving.exists() else publish_views(spark_dir)
