"""Step 3: the payers. Claims are adjudicated into check runs (one per payer and check
date): now and then a wrong payment reversed and re-paid, Medicare crossovers paid by the
Medigap secondary. Step 4 writes each run as an 835 file, with the odd PLB (prompt-pay
interest, a recouped overpayment) and one payer splitting its runs in two transactions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ingest.schemas import REMITS_FOLDER
from painrcm.generate.adjudicate import Adjudicator, FeeBook, RemitClaim, reversal_of, secondary_of
from painrcm.generate.billing import Claim
from painrcm.generate.calendar import next_weekday
from painrcm.generate.reference import GROUP_NPI, MEDIGAP_PAYER_ID, PAYER_BY_ID, ZERO, q
from painrcm.generate.x12_writer import Transaction, render_835

# Payers that now and then pay a claim wrong, reverse it and pay it again on a later run.
REDO_PAYERS = ("COPEC", "COTRM", "MAPEC")


@dataclass
class Payments:
    runs: dict[tuple[str, date], list[RemitClaim]] = field(
        default_factory=lambda: defaultdict(list)
    )
    final_primary: dict[str, tuple[RemitClaim, date]] = field(default_factory=dict)
    n_reversals: int = 0
    n_secondary: int = 0

    def run_keys(self) -> list[tuple[str, date]]:
        """(payer_id, check date) in check-date order."""
        return sorted(self.runs, key=lambda k: (k[1], k[0]))


def adjudicate_claims(
    rng: random.Random, book: FeeBook, claims: list[Claim], as_of: date
) -> Payments:
    adj = Adjudicator(rng, book)
    pay = Payments()
    icn_counter: dict[str, int] = defaultdict(int)

    def icn_for(payer_id: str, d: date) -> str:
        icn_counter[payer_id] += 1
        return (
            f"{d:%y}{d.timetuple().tm_yday:03d}{sum(map(ord, payer_id)) % 90 + 10}"
            f"{icn_counter[payer_id]:07d}"
        )

    for c in claims:
        payer = c.payer
        check = next_weekday(c.submitted + timedelta(days=rng.randint(4, 8)), payer.check_weekday)
        if check > as_of:
            continue  # still awaiting its remit (under 16 days old)
        redo = None
        if payer.payer_id in REDO_PAYERS and rng.random() < 0.015:
            redo = next_weekday(check + timedelta(days=rng.randint(14, 28)), payer.check_weekday)
            if redo > as_of:
                redo = None
        if redo is not None:
            wrong = adj.adjudicate(
                payer,
                c,
                icn_for(payer.payer_id, check),
                allowed_shift_pct=Decimal(rng.randint(8, 15)),
            )
            pay.runs[(payer.payer_id, check)].append(wrong)
            pay.runs[(payer.payer_id, redo)].append(reversal_of(wrong))
            right = adj.adjudicate(payer, c, icn_for(payer.payer_id, redo))
            pay.runs[(payer.payer_id, redo)].append(right)
            pay.final_primary[c.claim_id] = (right, redo)
            pay.n_reversals += 1
        else:
            rc = adj.adjudicate(payer, c, icn_for(payer.payer_id, check))
            pay.runs[(payer.payer_id, check)].append(rc)
            pay.final_primary[c.claim_id] = (rc, check)
        rc, paid_on = pay.final_primary[c.claim_id]
        if c.enc.patient.secondary and rc.patient_resp > 0:
            sec = PAYER_BY_ID[MEDIGAP_PAYER_ID]
            d2 = next_weekday(paid_on + timedelta(days=3), sec.check_weekday)
            if d2 <= as_of:
                pay.runs[(sec.payer_id, d2)].append(secondary_of(rc, icn_for(sec.payer_id, d2)))
                pay.n_secondary += 1
    return pay


def write_835_files(rng: random.Random, out: Path, pay: Payments) -> dict:
    """One 835 file per check run in out/remits/; returns the manifest's remit counts."""
    remit_dir = out / REMITS_FOLDER
    remit_dir.mkdir(parents=True, exist_ok=True)
    isa_counter: dict[str, int] = defaultdict(int)
    stats = {
        "files": 0,
        "transactions": 0,
        "claims": 0,
        "service_lines": 0,
        "reversals": pay.n_reversals,
        "secondary_claims": pay.n_secondary,
        "plb_adjustments": 0,
        "payments_total": ZERO,
    }
    for payer_id, check in pay.run_keys():
        payer = PAYER_BY_ID[payer_id]
        rcs = pay.runs[(payer_id, check)]
        plb = _provider_adjustments(rng, payer_id, rcs)
        stats["plb_adjustments"] += len(plb)
        trace = f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}"
        if payer_id == "MAPEC" and len(rcs) >= 4:
            half = len(rcs) // 2
            txs = [
                Transaction(rcs[:half], plb, f"{trace}1"),
                Transaction(rcs[half:], [], f"{trace}2"),
            ]
        else:
            txs = [Transaction(rcs, plb, f"{trace}1")]
        isa_counter[payer_id] += 1
        icn = (sum(map(ord, payer_id)) % 90 + 10) * 10000 + isa_counter[payer_id]
        data, st = render_835(payer, check, txs, icn, GROUP_NPI)
        name = f"{payer_id.lower()}_era_{check.isoformat()}.{payer.file_ext}"
        (remit_dir / name).write_bytes(data)
        stats["files"] += 1
        for k in ("transactions", "claims", "service_lines"):
            stats[k] += st[k]
        stats["payments_total"] += st["amount"]
    return stats


def _provider_adjustments(
    rng: random.Random, payer_id: str, rcs: list[RemitClaim]
) -> list[tuple[str, str, Decimal]]:
    """PLB rows of a run: prompt-pay interest (L6) on one paid claim of an interest-paying
    payer, and Brazos recouping an old overpayment (WO) when the run can carry it."""
    payer = PAYER_BY_ID[payer_id]
    clp_total = sum((r.paid for r in rcs), ZERO)
    plb: list[tuple[str, str, Decimal]] = []
    if payer.interest_runs and rng.random() < 0.12:
        paid_claims = [r for r in rcs if r.status == "1" and r.paid > 0]
        if paid_claims:
            r = paid_claims[rng.randrange(len(paid_claims))]
            interest = -q(r.paid * Decimal(rng.randint(20, 150)) / Decimal(10000))
            plb.append(("L6", r.claim_id, interest or Decimal("-0.01")))
    if payer_id == "MABRZ" and rng.random() < 0.15:
        amt = Decimal(rng.randint(2500, 15000)) / 100
        if clp_total > amt + 50:
            plb.append(("WO", f"C2024{rng.randint(10000, 99999)}", q(amt)))
    return plb
