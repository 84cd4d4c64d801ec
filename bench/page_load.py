"""Page load time of every dashboard page (server side: its loaders' SQL plus drawing).

    python bench/page_load.py --warehouse W.duckdb [--warehouse W2.duckdb ...]
    python bench/page_load.py --claims-per-month 8400 --work /tmp/bench-1m   # generate + run

Each page runs under streamlit's AppTest with an empty cache (a cold load: every loader
queries the warehouse), three times; the median is printed per page, with the claim lines
of the warehouse. Target: under 1 s per page at 1M claim lines.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

PAGES = [
    "overview", "prior_auth", "readiness", "pa_benchmark", "guidance", "chronic_pain",
    "documentation", "underpayments", "denials", "ar_worklist", "contracts", "payers",
    "credentialing", "data_health",
]  # fmt: skip
PAINRCM = Path(sys.executable).with_name("painrcm")


def claim_lines(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select count(*) from raw.claim_lines").fetchone()[0]
    except duckdb.Error:
        return con.execute("select count(*) from raw.claims").fetchone()[0]
    finally:
        con.close()


def time_pages(warehouse: Path, repeats: int = 3) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from painrcm.paths import dashboards_dir

    os.environ["PAINRCM_WAREHOUSE"] = str(warehouse)
    app = str(dashboards_dir() / "app.py")
    results: dict[str, float] = {}
    for page in PAGES:
        runs = []
        for _ in range(repeats):
            at = AppTest.from_file(app, default_timeout=120)
            at.run()
            st.cache_data.clear()
            start = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
            runs.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
        results[page] = statistics.median(runs)
    return results


def generate(claims_per_month: int, work: Path) -> Path:
    inbox, warehouse = work / "inbox", work / "warehouse.duckdb"
    if not warehouse.exists():
        subprocess.run([str(PAINRCM), "generate", "--out", str(inbox),
                        "--claims-per-month", str(claims_per_month)], check=True)  # fmt: skip
        subprocess.run([str(PAINRCM), "run", "--inbox", str(inbox), "--warehouse",
                        str(warehouse), "--as-of", "2026-11-30"], check=True)  # fmt: skip
    return warehouse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, action="append", default=[])
    parser.add_argument("--claims-per-month", type=int, action="append", default=[])
    parser.add_argument("--work", type=Path, default=Path("/tmp/painrcm-bench"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    warehouses = list(args.warehouse)
    for n in args.claims_per_month:
        warehouses.append(generate(n, args.work / f"cpm-{n}"))
    if not warehouses:
        parser.error("give --warehouse PATH or --claims-per-month N")
    table = {w: (claim_lines(w), time_pages(w, args.repeats)) for w in warehouses}
    header = "| page | " + " | ".join(f"{lines:,} claim lines" for lines, _ in table.values())
    print(header + " |")
    print("|---|" + "---:|" * len(table))
    for page in PAGES:
        cells = " | ".join(f"{times[page]:.2f} s" for _, times in table.values())
        print(f"| {page} | {cells} |")


if __name__ == "__main__":
    main()
