"""End to end at scale: a generated practice, one `painrcm run` (ingest + build + publish),
the wall time and its phases.

    .venv/bin/python bench/run_1m.py [--claims-per-month 66000] [--dir DIR] [--keep]

Generating the practice is timed and printed but excluded from the figure: the figure is
what a practice waits for each night, `painrcm run` over an inbox (a first load: every file
new). The phases come from the run's raw.run_history row (painrcm/runner.py): ingest, dbt
models, dbt tests, publish (copying the last warehouse and the checkpoint before the swap).
66000 claims a month for 12 months is ~1M claim lines (the README's scale goal: <= 5 min).
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

from painrcm.generate import generate_practice  # noqa: E402
from painrcm.runner import scheduled_run  # noqa: E402

AS_OF = date(2026, 11, 30)
PHASES = ("ingest_seconds", "dbt_models_seconds", "dbt_tests_seconds", "publish_seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims-per-month", type=int, default=66000)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp one)")
    parser.add_argument("--keep", action="store_true", help="keep the inbox and warehouse")
    parser.add_argument(
        "--reuse-inbox", action="store_true", help="use DIR/inbox as it is (no generate)"
    )
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="painrcm-run1m-"))
    work.mkdir(parents=True, exist_ok=True)
    inbox, warehouse = work / "inbox", work / "warehouse.duckdb"
    for stale in work.glob("warehouse.duckdb*"):
        stale.unlink() if stale.is_file() else shutil.rmtree(stale)
    try:
        if not args.reuse_inbox:
            shutil.rmtree(inbox, ignore_errors=True)
            t = time.perf_counter()
            manifest = generate_practice(inbox, claims_per_month=args.claims_per_month, as_of=AS_OF)
            print(f"generate (excluded): {time.perf_counter() - t:.1f} s")
            lines = manifest["counts"]["claim_lines"]
        else:
            import json

            manifest = json.loads((inbox / "ground_truth" / "manifest.json").read_text())
            lines = manifest["counts"]["claim_lines"]
        size = sum(f.stat().st_size for f in inbox.rglob("*") if f.is_file())
        load = os.getloadavg()[0]
        t = time.perf_counter()
        outcome = scheduled_run(inbox, warehouse, AS_OF)
        total = time.perf_counter() - t
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            row = con.execute(
                f"select {', '.join(PHASES)} from raw.run_history where run_id = ?",
                [outcome.run_id],
            ).fetchone()
        finally:
            con.close()
        print(
            f"{lines:,} claim lines, {outcome.report.files_loaded} files "
            f"({size / 1e6:,.0f} MB), {outcome.report.rows_loaded:,} rows loaded; "
            f"load average before: {load:.2f}"
        )
        print(f"end to end (painrcm run): {total:.1f} s = {lines / total:,.0f} claim lines/s")
        for name, seconds in zip(PHASES, row, strict=True):
            print(f"  {name.removesuffix('_seconds'):<11} {seconds:8.1f} s")
        rest = total - sum(s or 0 for s in row)
        print(f"  {'other':<11} {rest:8.1f} s (locking, run_history, work-queue sync)")
        print(f"warehouse: {warehouse.stat().st_size / 1e9:.2f} GB")
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
