"""Throughput of 837P ingestion: ingest.claims_837.load_claims_837_file vs pyx12, same files.

    .venv/bin/python bench/ingest_837.py [--sizes 1000,10000,100000] [--pyx12-sample 10000]

The 837 twin of bench/ingest_835.py (same timing, same columns, same pyx12 readers; its
helpers are imported from there). The files are written by the demo generator's own 837P
writer (painrcm.generate.claims_837_writer.render_837, whose output a test validates in
pyx12) from synthetic claim rows made below: two service lines a claim, diagnoses with
pointers, REF*6R on every line and REF*G1 on some, one ST per CLAIMS_PER_TRANSACTION claims.
Ours is timed end to end: bytes -> split -> arrow -> DuckDB file, committed and checkpointed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_835 import best, time_bare_split, time_pyx12  # noqa: E402

from ingest.claims_837 import load_claims_837_file  # noqa: E402
from ingest.raw_tables import ensure_raw_tables  # noqa: E402
from painrcm.generate.claims_837_writer import render_837  # noqa: E402

CLAIMS_PER_TRANSACTION = 500
CODES = ["64483", "64484", "64490", "64491", "64493", "64494", "64635", "62321", "20610"]
MODS = ["", "50", "RT", "LT", "59"]
DIAGNOSES = ["M54.16", "M47.816", "M54.5", "M51.26", "M48.061", "G89.4", "M17.11"]
PAYERS = {
    "BCBSTX": SimpleNamespace(
        payer_name="Blue Cross Blue Shield of Texas", x12_payer_id="84980", claim_filing_code="BL"
    ),
    "MCR": SimpleNamespace(
        payer_name="Medicare Part B", x12_payer_id="04412", claim_filing_code="MB"
    ),
}


def generate_837(claims: int, seed: int = 7) -> bytes:
    """One interchange, one GS, one ST (one submission date) per CLAIMS_PER_TRANSACTION claims."""
    rnd = random.Random(seed)
    rows: list[dict] = []
    first_day = date(2026, 1, 5)
    for n in range(claims):
        submitted = first_day + timedelta(days=n // CLAIMS_PER_TRANSACTION)
        served = submitted - timedelta(days=rnd.randint(1, 5))
        payer = "BCBSTX" if n % 3 else "MCR"
        dx = rnd.sample(DIAGNOSES, 2)
        for line in (1, 2):
            rows.append(
                {
                    "claim_id": f"CLM{n:08d}",
                    "line_number": str(line),
                    "submitted_date": submitted.isoformat(),
                    "service_date": served.isoformat(),
                    "payer_id": payer,
                    "patient_id": f"P{n % 997:05d}",
                    "place_of_service": "11",
                    "rendering_npi": "1999999984",
                    "procedure_code": rnd.choice(CODES),
                    "modifiers": rnd.choice(MODS),
                    "units": "1",
                    "charge_amount": f"{rnd.randint(200, 2000)}.00",
                    "diagnosis_codes": " ".join(dx if line == 1 else dx[:1]),
                    "line_control_number": f"{n}-{line}",
                    "prior_auth_number": f"PA{n:07d}" if n % 4 == 0 else "",
                }
            )
    return render_837(rows, date(2026, 3, 30), 1, {}, PAYERS)


def time_ours(data: bytes, tmp: Path) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the process incl. DuckDB threads, segments loaded, status)."""
    db = tmp / f"bench-{len(data)}.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    ensure_raw_tables(con)
    sha = hashlib.sha256(data).hexdigest()
    t0, c0 = time.perf_counter(), time.process_time()
    result = load_claims_837_file(con, Path("bench.837"), data, sha, datetime(2026, 3, 30))
    con.execute("checkpoint")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    db.unlink(missing_ok=True)
    return wall, cpu, result.rows_loaded, result.status


def measure(sizes: list[int], repeat: int, pyx12_sample: int) -> list[tuple]:
    """One row per size: (claims, MB, segments, (wall, cpu), pyx12 {ctx: (wall, cpu)},
    pyx12 measured (not extrapolated), (split s, split+el s))."""
    rows = []
    rate: dict[bool, tuple[float, float]] = {}  # pyx12 seconds per claim (wall, cpu)
    with tempfile.TemporaryDirectory() as tmp:
        # Warm-up: pyarrow and DuckDB set themselves up lazily on first use.
        time_ours(generate_837(50), Path(tmp))
        for claims in sizes:
            data = generate_837(claims)
            ours: list[tuple[float, ...]] = []
            bare = [time_bare_split(data) for _ in range(repeat)]
            theirs: dict[bool, list[tuple[float, ...]]] = {True: [], False: []}
            measured = claims <= pyx12_sample
            # Interleaved, so both sides see the same background load.
            for k in range(repeat if claims < 100_000 else max(2, repeat - 1)):
                wall, cpu, segments, status = time_ours(data, Path(tmp))
                assert status == "loaded", status
                ours.append((wall, cpu))
                if measured and (k == 0 or claims <= 1000):
                    for context in (True, False):
                        theirs[context].append(time_pyx12(data, context))
            if measured:
                for context in (True, False):
                    w, c = best(theirs[context])
                    rate[context] = (w / claims, c / claims)
            elif not rate:
                sample = generate_837(pyx12_sample)
                for context in (True, False):
                    w, c = time_pyx12(sample, context)
                    rate[context] = (w / pyx12_sample, c / pyx12_sample)
            pyx = {ctx: (rate[ctx][0] * claims, rate[ctx][1] * claims) for ctx in (True, False)}
            rows.append((claims, len(data) / 1e6, segments, best(ours), pyx, measured, best(bare)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--pyx12-sample", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    rows = measure(sizes, args.repeat, args.pyx12_sample)
    print(
        f"{'claims':>7} {'MB':>5} {'segments':>9} | {'ours s':>6} {'cpu s':>5} {'MB/s':>5} "
        f"{'claims/s':>8} | {'pyx12 ctx s':>11} {'claims/s':>8} {'wall x':>6} {'cpu x':>5} |"
        f" {'pyx12 raw s':>11} {'claims/s':>8} {'wall x':>6} |"
        f" {'split s':>7} {'% of split':>10} {'split+el s':>10} {'% of split+el':>13}"
    )
    for claims, mb, segments, (wall, cpu), pyx, measured, (split, split_el) in rows:
        mark = " " if measured else "*"
        (cw, cc), (rw, _) = pyx[True], pyx[False]
        print(
            f"{claims:>7} {mb:>5.1f} {segments:>9} | {wall:>6.2f} {cpu:>5.2f} {mb / wall:>5.1f} "
            f"{claims / wall:>8.0f} | {cw:>10.1f}{mark} {claims / cw:>8.0f} {cw / wall:>5.0f}x "
            f"{cc / cpu:>4.0f}x | {rw:>10.1f}{mark} {claims / rw:>8.0f} {rw / wall:>5.1f}x |"
            f" {split:>7.3f} {100 * split / wall:>9.1f}% {split_el:>10.3f}"
            f" {100 * split_el / wall:>12.1f}%"
        )
    if not all(r[5] for r in rows):
        print(
            f"* pyx12 not run at this size: extrapolated linearly from its measured run on "
            f"{args.pyx12_sample} claims (same generator; its cost is linear in segments)."
        )
    print(
        "ours = load_claims_837_file into a fresh DuckDB file incl. commit and checkpoint; "
        "pyx12 ctx = X12ContextReader.iter_segments (loop-aware parse), pyx12 raw = X12Reader "
        "(segment tokenizer only); split / split+el as in bench/ingest_835.py. "
        "Times: median of the repeats; cpu = process CPU seconds (DuckDB threads included)."
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
