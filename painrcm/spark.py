"""`painrcm build --engine spark`: the same dbt project on Apache Spark (issue #11).

The raw layer that `painrcm ingest` wrote to a DuckDB warehouse is handed to Spark as Parquet
(DIR/raw/<table>/), registered as the tables of a Spark database `raw`, and `dbt build
--target spark` materialises seeds, intermediate models and marts as Parquet tables of the
Spark warehouse at DIR (DIR/marts.db/<mart>/). Staging models are views. Readers that have
no Spark session read the marts' Parquet files directly, e.g. DuckDB
`read_parquet('DIR/marts.db/<mart>/*.parquet')`.

A local PySpark session (local[2]) runs the build; the profile's `method: session` reuses it.
The catalog is in-memory: every build starts from the raw Parquet, and the files under DIR
are the published result.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from painrcm.build import BuildResult, build, dbt_artifacts_dir

# Nodes tagged duckdb_only (unit tests whose fixtures use DuckDB literals) are not run on
# Spark; see the tag in the models' YAML for why.
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


def export_raw(warehouse: Path, raw_dir: Path) -> list[str]:
    """Every raw.* table of the DuckDB warehouse as Parquet (raw_dir/<table>/data.parquet),
    types kept (DECIMAL, VARCHAR[] as a list, TIMESTAMP). Returns the table names."""
    raw_dir = Path(raw_dir)
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    raw_dir.mkdir(parents=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            (raw_dir / table).mkdir()
            target = (raw_dir / table / "data.parquet").as_posix().replace("'", "''")
            con.execute(f"copy raw.\"{table}\" to '{target}' (format parquet)")
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
    return build(
        warehouse,
        as_of,
        dbt_artifacts_dir(spark_dir),
        on_node,
        target="spark",
        extra_args=["--exclude", "tag:duckdb_only"],
    )


def mart_parquet_glob(spark_dir: Path, mart: str) -> str:
    """Where a Spark-built mart's Parquet files are, for readers without Spark."""
    return (Path(spark_dir) / "marts.db" / mart / "*.parquet").as_posix()
