"""Throughput of 837P ingestion: ingest.claims_837.load_claims_837_file vs pyx12, same files.

    .venv/bin/python bench/ingest_837.py [--sizes 1000,10000,100000] [--pyx12-sample 10000]

The 837 twin of bench/ingest_835.py (same timing, same columns, same pyx12 readers:
bench/x12_throughput.py). The files are written by the demo generator's own 837P
writer (painrcm.generate.claims_837_writer.render_837, whose output a test validates in
pyx12) from synthetic claim rows made below: two service lines a claim, diagnoses with
pointers, REF*6R on every line and REF*G1 on some, one ST per CLAIMS_PER_TRANSACTION claims.

"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import x12_throughput  # noqa: E402

from ingest.claims_837 import load_claims_837_file  # noqa: E402
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


def measure(sizes: list[int], repeat: int, pyx12_sample: int) -> list[tuple]:
    """x12_throughput.measure of this bench's files (one row per size)."""
    return x12_throughput.measure(
        generate_837, load_claims_837_file, "bench.837", sizes, repeat, pyx12_sample
    )


def main() -> None:
    x12_throughput.main(__doc__.splitlines()[0], generate_837, load_claims_837_file, "bench.837")


if __name__ == "__main__":
    main()
