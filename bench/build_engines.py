"""`dbt build` time on DuckDB vs Spark (local[2]) for the same generated practice.

    .venv/bin/python bench/build_engines.py [--claim-lines 1000000,10000000] [--months 12]
        [--no-spark] [--dir /tmp/painrcm-bench]

For each target size the demo generator writes a practice with about that many claim lines
(claims_per_month is derived from the lines a claim has in a small pilot practice), it is
ingested once, then built on DuckDB (`painrcm build`) and on Spark (`painrcm build --engine
spark`) from the same raw layer. Times are wall clock; the Spark time includes exporting raw
to Parquet and starting the JVM. Needs painrcm[spark] and Java 17 for the Spark column.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claim-lines", default="1000000,10000000")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    root = args.dir or Path(tempfile.mkdtemp(prefix="painrcm-bench-"))
    root.mkdir(parents=True, exist_ok=True)

    # Pilot: lines per claim of the generator, to size the real runs.
    pilot_dir = root / "pilot"
    shutil.rmtree(pilot_dir, ignore_errors=True)
    pilot_claims = 50
    pilot = prepare(pilot_dir, pilot_claims, 2, 2)
    lines_per_claim_month = claim_lines(pilot) / (pilot_claims * 2)

    print(f"{'claim lines':>12} {'duckdb s':>10} {'spark s':>10}")
    for target in (int(x) for x in args.claim_lines.split(",")):
        per_month = max(1, round(target / (lines_per_claim_month * args.months)))
        providers = max(3, per_month // 400)
        run_dir = root / f"n{target}"
        shutil.rmtree(run_dir, ignore_errors=True)
        warehouse = prepare(run_dir, per_month, args.months, providers)
        lines = claim_lines(warehouse)
        duck = time_duckdb(warehouse)
        spark = None if args.no_spark else time_spark(warehouse, run_dir / "spark-warehouse")
        spark_text = "-" if spark is None else f"{spark:.0f}"
        print(f"{lines:>12,} {duck:>10.0f} {spark_text:>10}", flush=True)


if __name__ == "__main__":
    main()
