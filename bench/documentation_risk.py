"""Throughput of the documentation-risk similarity (rules.md §15) at 10k and 100k notes.

    .venv/bin/python bench/documentation_risk.py [--sizes 10000,100000] [--keep DIR]

Times exactly what the warehouse build runs: the dbt models int_procedure_notes_shingled
(tokens -> 3-token shingles) and int_procedure_notes_compared (each note against its
patient's previous same-family note: join on shingles + counts), executed by dbt on DuckDB
over a synthetic warehouse of N notes written with the demo generator's note templates
(painrcm.generate.notes), five visits a patient. The per-model times are dbt's own
(target/run_results.json); notes/s = N / (shingled + compared seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from painrcm.generate.notes import note_text  # noqa: E402

MODELS = ("int_procedure_notes_shingled", "int_procedure_notes_compared")
FAMILIES = {
    "64483": ("esi_transforaminal", "lumbar"),
    "64493": ("facet_mbb", "lumbar"),
    "64635": ("facet_rfa", "lumbar"),
    "20610": ("joint_injection", ""),
}


def write_warehouse(path: Path, n_notes: int, seed: int = 7) -> None:
    """staging.stg_pm__procedure_notes / stg_pm__appointments and the two seeds the models
    read, as tables (a full ingest is not what is being timed)."""
    rng = random.Random(seed)
    notes, appts = [], []
    codes = list(FAMILIES)
    for i in range(n_notes):
        patient = f"P{i // 5:07d}"
        code = codes[(i // 5) % len(codes)]
        family, region = FAMILIES[code]
        d = date(2025, 1, 1) + timedelta(days=30 * (i % 5) + (i // 5) % 20)
        appt = f"A{i:08d}"
        appts.append((appt, 1, patient, "1234567893", d, "completed", code))
        text = note_text(rng, family, region, "L4-L5", "left", "fluoroscopy", "26", "8", "6")
        notes.append((f"N{i:08d}", appt, patient, "1234567893", d, text))
    con = duckdb.connect(str(path))
    con.execute("create schema staging; create schema seeds; create schema intermediate")
    notes_frame = pl.DataFrame(
        notes,
        schema=["note_id", "appointment_id", "patient_id", "author_npi", "signed_at", "note_text"],
        orient="row",
    )
    appts_frame = pl.DataFrame(
        appts,
        schema=[
            "appointment_id",
            "line_number",
            "patient_id",
            "rendering_npi",
            "service_date",
            "status",
            "procedure_code",
        ],
        orient="row",
    )
    con.register("notes_frame", notes_frame.to_arrow())
    con.register("appts_frame", appts_frame.to_arrow())
    con.execute("create table staging.stg_pm__procedure_notes as select * from notes_frame")
    con.execute("create table staging.stg_pm__appointments as select * from appts_frame")
    for seed_name in ("procedure_families", "documentation_rules"):
        csv_path = ROOT / "seeds" / f"{seed_name}.csv"
        con.execute(
            f"create table seeds.{seed_name} as select * from read_csv('{csv_path}', "
            "all_varchar = true, header = true)"
        )
    con.execute(
        "create or replace table seeds.documentation_rules as select rule, "
        "cast(numeric_value as decimal(9, 4)) as numeric_value, text_value "
        "from seeds.documentation_rules"
    )
    con.close()


def run_models(warehouse: Path, target: Path) -> dict[str, float]:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "PAINRCM_WAREHOUSE": str(warehouse)}
    subprocess.run(
        [
            str(dbt),
            "run",
            "--project-dir",
            str(ROOT / "dbt_project"),
            "--profiles-dir",
            str(ROOT / "dbt_project"),
            "--select",
            *MODELS,
            "--vars",
            "{as_of_date: 2026-11-30}",
            "--target-path",
            str(target),
            "--quiet",
        ],
        check=True,
        env=env,
    )
    results = json.loads((target / "run_results.json").read_text())
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results["results"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--keep", type=Path, default=None, help="keep the bench warehouses here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="painrcm_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'notes':>8} {'shingled s':>11} {'compared s':>11} {'total s':>8} {'notes/s':>9}")
    for n in (int(x) for x in args.sizes.split(",")):
        wh = work / f"notes_{n}.duckdb"
        wh.unlink(missing_ok=True)
        write_warehouse(wh, n)
        times = run_models(wh, work / "dbt_target")
        total = sum(times[m] for m in MODELS)
        con = duckdb.connect(str(wh), read_only=True)
        compared = con.execute(
            "select count(*) from intermediate.int_procedure_notes_compared"
            " where previous_note_id is not null"
        ).fetchone()[0]
        con.close()
        assert compared == n - n // 5, (compared, n)
        print(
            f"{n:>8} {times[MODELS[0]]:>11.2f} {times[MODELS[1]]:>11.2f} {total:>8.2f}"
            f" {n / total:>9.0f}"
        )


if __name__ == "__main__":
    main()
