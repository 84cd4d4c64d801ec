"""The synthetic demo practice: an inbox of every extract kind, X12 835 remits, ground truth.

`generate_practice` writes `out/<kind>/...` for every kind of shared/contract/INPUTS.md plus
`out/ground_truth/` (manifest.json, quarantine_expected.csv). Same seed and arguments give
byte-identical files: one `random.Random(seed)` drives the background, in a fixed order of
named steps (each a module of this package), and each plant a stream of its own
(tests/test_generate_digest.py pins the bytes).
"""

from __future__ import annotations

import logging
import random
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ingest.schemas import EXTRACTS, INBOX_FOLDERS
from painrcm.generate import billing, deliveries
from painrcm.generate.ack_writer import write_acknowledgments
from painrcm.generate.adjudicate import FeeBook
from painrcm.generate.calendar import Window
from painrcm.generate.ground_truth import write_ground_truth
from painrcm.generate.payments import adjudicate_claims, write_835_files
from painrcm.generate.planting import apply_plants
from painrcm.generate.reference import fee_rows, make_providers
from painrcm.generate.schedule import schedule_encounters
from painrcm.generate.writers import CsvSink

log = logging.getLogger(__name__)

__all__ = ["generate_practice"]


def clear_inbox(out: Path) -> None:
    """Remove what an earlier run wrote (re-running is safe), keep anything else in `out`."""
    for folder in (*INBOX_FOLDERS, "ground_truth", "_maps"):  # _maps: see generate/pm_style.py
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    out.mkdir(parents=True, exist_ok=True)


def generate_practice(
    out: Path,
    seed: int = 7,
    months: int = 12,
    providers: int = 6,
    claims_per_month: int = 400,
    as_of: date = date(2026, 11, 30),
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write the demo inbox into `out` and return the manifest (also ground_truth/manifest.json)."""
    out = Path(out)
    say = progress or (lambda msg: log.info(msg))
    clear_inbox(out)
    rng = random.Random(seed)
    window = Window.ending(as_of, months)
    provs = make_providers(rng, providers, as_of)
    fees = fee_rows(window.fee_years)
    book = FeeBook(fees, window.fee_years)

    say("patients and encounters")
    schedule = schedule_encounters(rng, window, provs, claims_per_month)

    say("claims")
    claims = billing.bill_encounters(rng, window, schedule.encounters)
    care_rows, ccm_claims = billing.chronic_pain_months(rng, window, schedule.ccm)
    claims = billing.number_claims(claims + ccm_claims)

    say("adjudication")
    payments = adjudicate_claims(rng, book, claims, as_of)

    say("835 remits")
    remit_stats = write_835_files(rng, out, payments)

    say("CSV extracts")
    sink = CsvSink(out)
    deliveries.write_reference_extracts(sink, window, provs, fees)
    deliveries.write_appointments(sink, window, schedule.encounters)
    deliveries.write_authorizations(sink, window, schedule.auths)
    n_claim_lines = deliveries.write_claims(sink, window, claims)
    deliveries.write_care_time(sink, window, care_rows)
    deliveries.write_ledger(rng, sink, window, payments, claims)
    deliveries.write_procedure_notes(rng, sink, window, schedule.encounters)

    say("plants")
    planted = apply_plants(out, sink, seed, window, provs, book, remit_stats)
    for kind in EXTRACTS:  # every kind is delivered, if only as a header
        if not (out / kind).exists() or not any((out / kind).iterdir()):
            sink.touch(kind, window.first_export)
    sink.close()

    manifest = write_ground_truth(
        out,
        {
            "seed": seed,
            "as_of_date": as_of.isoformat(),
            "start_date": window.start.isoformat(),
            "months": months,
            "providers": providers,
            "claims_per_month": claims_per_month,
        },
        {"patients": schedule.n_patients, "claims": len(claims), "claim_lines": n_claim_lines},
        sink,
        planted,
        remit_stats,
    )
    write_acknowledgments(out)  # the 277CAs (generate/ack_writer.py)
    say("done")
    return manifest
