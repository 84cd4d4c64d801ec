"""Page load time of every dashboard page (server side: its loaders' SQL plus drawing).

    python bench/page_load.py                      # the demo practice (`painrcm demo`), built once
    python bench/page_load.py --warehouse W.duckdb [--warehouse W2.duckdb ...]
    python bench/page_load.py --claims-per-month 8400 --work /tmp/bench-1m   # generate + run

The pages are the app's own: every `page("<file>.py", "<title>", ...)` of dashboards/app.py's
navigation, in its order (read from the source, so a new page is measured without an edit
here). Each page runs under streamlit's AppTest with an empty cache (a cold load: every
loader queries the warehouse), three times; the median is printed per page, with the claim
lines of the warehouse, the date and the machine's load average. Target: under 1 s per page
at 1M claim lines.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb


def app_pages(app: Path | None = None) -> list[tuple[str, str]]:
    """(page file stem, title) of every page the app's navigation lists, in its order."""
    if app is None:
        from painrcm.paths import dashboards_dir

        app = dashboards_dir() / "app.py"
    found = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "page"
            and len(node.args) >= 2
            and all(isinstance(a, ast.Constant) for a in node.args[:2])
        ):
            found.append((node.lineno, Path(node.args[0].value).stem, node.args[1].value))
    return [(stem, title) for _, stem, title in sorted(found)]


PAINRCM = Path(sys.executable).with_name("painrcm")


def claim_lines(warehouse: Path) -> int:
    """The claim lines in effect (staging.stg_pm__claims: CSV and 837 claims alike; the raw
    tables hold an 837 practice's claims as X12 segments)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table in ("staging.stg_pm__claims", "raw.claim_lines", "raw.claims"):
            try:
                return con.execute(f"select count(*) from {table}").fetchone()[0]
            except duckdb.Error:
                continue
        return 0
    finally:
        con.close()


def time_pages(warehouse: Path, repeats: int = 3) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from painrcm.paths import dashboards_dir

    os.environ["PAINRCM_WAREHOUSE"] = str(warehouse)
    app = str(dashboards_dir() / "app.py")
    results: dict[str, float] = {}
    for page, _ in app_pages():
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


def demo(work: Path) -> Path:
    """The demo practice (`painrcm demo`: the README's first column), built once in work."""
    warehouse = work / "warehouse.duckdb"
    if not warehouse.exists():
        subprocess.run([str(PAINRCM), "demo", "--dir", str(work)], check=True)
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
        warehouses.append(demo(args.work / "demo"))
    load_before = os.getloadavg()
    table = {w: (claim_lines(w), time_pages(w, args.repeats)) for w in warehouses}
    load_after = os.getloadavg()
    header = "| page | " + " | ".join(f"{lines:,} claim lines" for lines, _ in table.values())
    print(header + " |")
    print("|---|" + "---:|" * len(table))
    for page, title in app_pages():
        cells = " | ".join(f"{times[page]:.2f} s" for _, times in table.values())
        print(f"| {title} | {cells} |")
    loads = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(load_before, load_after, strict=True))
    print(
        f"\nmeasured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, median of {args.repeats} "
        f"cold runs; load average 1/5/15 min before/after: {loads}; {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
