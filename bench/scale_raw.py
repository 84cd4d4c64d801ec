"""Scale an ingested warehouse's raw layer by a whole factor, for build benchmarks at sizes the
demo generator cannot hold in memory (it keeps a practice in memory: ~3.6 KB per claim line).

    .venv/bin/python bench/scale_raw.py SOURCE.duckdb TARGET.duckdb --factor 10

TARGET gets SOURCE's raw layer plus factor - 1 copies of every patient-level table
(appointments, authorizations, care time, claims, ledger, procedure notes and the 835
segments and transactions), each copy with its own identifiers: every generator id token
(P000123, C00000042, A..., AU..., AB..., CT..., L..., N...) gets the suffix `s<k>` wherever
it occurs (CSV columns and 835 segment text), and 835 transaction ids, file
names and hashes (and the CSV rows' `_file_name` and `_file_sha256`) get `-s<k>`. The
practice's reference tables (payers, providers, fee schedules, payer PA metrics) stay
single, as for one practice that is k times larger. Every copy is therefore a clean,
consistent practice of its own: the marts of the scaled warehouse hold k times the
patient-level rows of the source (checked by --check).

This is the scale-factor technique of TPC-style benchmarks, written by hand because it
rewrites our own id formats; nothing here is used outside bench/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.raw_tables import ensure_raw_tables  # noqa: E402

PATIENT_LEVEL = (
    "appointments",
    "authorizations",
    "care_time",
    "claims",
    "ledger",
    "procedure_notes",
    # raw.x12_segments is a view over these two (ingest/raw_tables.py)
    "x12_segment_contexts",
    "x12_segment_rows",
    "x12_transactions",
)
# The generator's identifier tokens (see painrcm/generate/__init__.py and plants/).
ID_TOKEN = r"\b(P\d{6}|C\d{8}|A\d{8}|AU\d{7}|AB\d{7}|CT\d{8}|L\d{8,9}|N\d{8})\b"
# Marts whose rows are per patient, claim or appointment (not per payer or code).
PATIENT_LEVEL_MARTS = (
    "pa_coverage_gaps",
    "ar_worklist",
    "denials",
    "mppr_underpayments",
    "guidance_recapture",
    "documentation_risk",
    "procedure_readiness",
    "chronic_pain_capture",
)
# 835/837 lineage and the CSV rows' file lineage: each copy is a delivery of its own (the
# claim submissions of issue #19 are keyed by file hash and row number).
LINEAGE_SUFFIXED = ("transaction_id", "file_name", "file_sha256", "_file_name", "_file_sha256")


def suffixed_ids(expression: str, k: int) -> str:
    return f"regexp_replace({expression}, '{ID_TOKEN}', '\\1s{k}', 'g')"


def column_expression(table: str, name: str, data_type: str, k: int, keys: int) -> str:
    """Copy k of one column; `keys` = the highest x12 context_key before scaling."""
    quoted = f'"{name}"'
    if name in LINEAGE_SUFFIXED:
        return f"{quoted} || '-s{k}'"
    if name == "context_key":  # each copy's segments point to that copy's contexts
        return f"{quoted} + {k * keys}"
    if name.startswith("_") or table in ("x12_transactions", "x12_segment_contexts"):
        return quoted
    if data_type == "VARCHAR" and (table != "x12_segment_rows" or name == "segment_text"):
        return suffixed_ids(quoted, k)
    return quoted


def scale(source: Path, target: Path, factor: int, threads: int | None = None) -> None:
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    con.execute("set memory_limit = '6GB'")
    con.execute("set preserve_insertion_order = false")
    if threads:
        con.execute(f"set threads = {threads}")
    try:
        ensure_raw_tables(con)  # a warehouse written by an older painrcm: its layout now
        ((keys,),) = con.execute(
            "select coalesce(max(context_key), 0) from raw.x12_segment_contexts"
        ).fetchall()
        for table in PATIENT_LEVEL:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            con.execute(f"create temp table source_rows as select * from raw.{table}")
            started = time.monotonic()
            for k in range(1, factor):
                select = ", ".join(column_expression(table, n, t, k, keys) for n, t in columns)
                con.execute(f"insert into raw.{table} select {select} from source_rows")
            con.execute("drop table source_rows")
            rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            print(f"raw.{table}: {rows:,} rows ({time.monotonic() - started:.0f} s)", flush=True)
        con.execute("checkpoint")
    finally:
        con.close()


def check(source: Path, target: Path, factor: int) -> None:
    """Every patient-level mart of the scaled (and built) warehouse has factor x the rows."""
    con = duckdb.connect(str(target), read_only=True)
    try:
        con.execute(f"attach '{source}' as src (read_only)")
        for mart in PATIENT_LEVEL_MARTS:
            n_src = con.execute(f"select count(*) from src.marts.{mart}").fetchone()[0]
            n_tgt = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            status = "ok" if n_tgt == factor * n_src else "MISMATCH"
            print(f"marts.{mart}: {n_src:,} x {factor} -> {n_tgt:,} {status}")
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--check", action="store_true", help="compare built marts only")
    args = parser.parse_args()
    if args.check:
        check(args.source, args.target, args.factor)
    else:
        scale(args.source, args.target, args.factor, args.threads)


if __name__ == "__main__":
    main()
