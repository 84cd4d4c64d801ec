"""`dbt build` time on DuckDB vs Spark (local[2]) for the same generated practice.

    .venv/bin/python bench/build_engines.py [--claim-lines 1000000,10000000] [--months 12]
        [--no-spark] [--no-duckdb] [--dir /tmp/painrcm-bench]
    .venv/bin/python bench/build_engines.py --warehouse PATH [--warehouse PATH ...]

For each target size the demo generator writes a practice with about that many claim lines
(claims_per_month is derived from the lines a claim has in a small pilot practice), it is
ingested once, then built on DuckDB (`painrcm build`) and on Spark (`painrcm build --engine
spark`) from the same raw layer. Times are wall clock; the Spark time includes exporting raw
to Parquet and starting the JVM. Needs painrcm[spark] and Java 17 for the Spark column.
With --warehouse the builds are timed on warehouses that were generated and ingested before
(e.g. by bench/page_load.py), skipping generation. The Spark driver gets
PAINRCM_SPARK_DRIVER_MEMORY (default here 12g; the CLI's default is 4g).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from painrcm.build import build, dbt_artifacts_dir  # noqa: E402
from painrcm.generate import generate_practice  # noqa: E402
from painrcm.runner import ingest_into  # noqa: E402
from painrcm.warehouse import staged  # noqa: E402

AS_OF = date(2026, 11, 30)


def claim_lines(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        table = "claim_lines" if "claim_lines" in tables else "claims"
        return con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    finally:
        con.close()


def prepare(root: Path, claims_per_month: int, months: int, providers: int) -> Path:
    inbox = root / "inbox"
    warehouse = root / "warehouse.duckdb"
    generate_practice(
        inbox,
        seed=7,
        months=months,
        providers=providers,
        claims_per_month=claims_per_month,
        as_of=AS_OF,
    )
    ingest_into(warehouse, inbox)
    return warehouse


def time_duckdb(warehouse: Path) -> float:
    started = time.monotonic()
    with staged(warehouse) as work:
        result = build(work, AS_OF, dbt_artifacts_dir(warehouse))
        if not result.success:
            raise RuntimeError(f"duckdb build failed: {result.message}")
    return time.monotonic() - started


def time_spark(warehouse: Path, spark_dir: Path) -> float:
    from painrcm.spark import build_spark

    started = time.monotonic()
    result = build_spark(warehouse, spark_dir, AS_OF)
    if not result.success:
        raise RuntimeError(f"spark build failed: {result.message}")
    return time.monotonic() - started


def report(warehouse: Path, spark_dir: Path, duckdb_on: bool, spark_on: bool) -> None:
    """One line per engine, printed as soon as that build is done (a long run keeps what it
    measured if it is stopped before the other engine finishes)."""
    lines = claim_lines(warehouse)
    if duckdb_on:
        print(f"{lines:>12,} {'duckdb':>8} {time_duckdb(warehouse):>10.0f}", flush=True)
    if spark_on:
        print(f"{lines:>12,} {'spark':>8} {time_spark(warehouse, spark_dir):>10.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claim-lines", default="1000000,10000000")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--warehouse", type=Path, action="append", default=[])
    args = parser.parse_args()
    os.environ.setdefault("PAINRCM_SPARK_DRIVER_MEMORY", "12g")

    print(f"{'claim lines':>12} {'engine':>8} {'build s':>10}", flush=True)
    if args.warehouse:
        for warehouse in args.warehouse:
            spark_dir = warehouse.parent / "spark-warehouse"
            report(warehouse, spark_dir, not args.no_duckdb, not args.no_spark)
        return

    root = args.dir or Path(tempfile.mkdtemp(prefix="painrcm-bench-"))
    root.mkdir(parents=True, exist_ok=True)

    # Pilot: claim lines per unit of claims_per_month, from the difference of two small
    # practices (the planted cases add a fixed number of lines that a ratio would count).
    sizes = (100, 400)
    pilot_lines = []
    for size in sizes:
        pilot_dir = root / f"pilot-{size}"
        shutil.rmtree(pilot_dir, ignore_errors=True)
        pilot_lines.append(claim_lines(prepare(pilot_dir, size, args.months, 3)))
    per_unit = (pilot_lines[1] - pilot_lines[0]) / (sizes[1] - sizes[0])
    fixed = pilot_lines[0] - per_unit * sizes[0]

    for target in (int(x) for x in args.claim_lines.split(",")):
        per_month = max(1, round((target - fixed) / per_unit))
        providers = max(3, per_month // 10000)
        run_dir = root / f"n{target}"
        shutil.rmtree(run_dir, ignore_errors=True)
        warehouse = prepare(run_dir, per_month, args.months, providers)
        report(warehouse, run_dir / "spark-warehouse", not args.no_duckdb, not args.no_spark)


if __name__ == "__main__":
    main()
