"""The synthetic demo practice: an inbox of every extract kind, X12 835 remits, ground truth.

`generate_practice` writes `out/<kind>/...` for every kind of shared/contract/INPUTS.md plus
`out/ground_truth/` (manifest.json, quarantine_expected.csv). Same seed and arguments give
byte-identical files: one `random.Random(seed)` drives everything, in a fixed order.
"""

from __future__ import annotations

import csv
import json
import logging
import random
import shutil
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ingest.schemas import EXTRACTS, INBOX_FOLDERS, REMITS_FOLDER
from painrcm.generate import practice
from painrcm.generate.ack_writer import write_acknowledgments
from painrcm.generate.adjudicate import (
    Adjudicator,
    FeeBook,
    RemitClaim,
    reversal_of,
    secondary_of,
)
from painrcm.generate.notes import note_text
from painrcm.generate.plants import PLANT_SECTIONS, PlantContext, registry
from painrcm.generate.reference import (
    MEDIGAP_PAYER_ID,
    PA_METRICS_2025,
    PAYER_BY_ID,
    PAYERS,
    ZERO,
    chargemaster,
    fee_rows,
    make_providers,
    q,
)
from painrcm.generate.writers import CsvSink, iso
from painrcm.generate.x12_writer import Transaction, render_835

log = logging.getLogger(__name__)

__all__ = ["generate_practice"]

# Calibrated so that claims per month come out near `claims_per_month` in steady state.
CLAIMS_PER_ARRIVAL = 4.6
ESTABLISHED_PER_CLAIM = 2.2
GROUP_NPI = "1558291835"  # the practice's type-2 NPI (Luhn-valid with prefix 80840)


class Claim:
    __slots__ = ("claim_id", "enc", "submitted", "charges", "payer")

    def __init__(self, claim_id, enc, submitted, charges, payer):
        self.claim_id = claim_id
        self.enc = enc
        self.submitted = submitted
        self.charges = charges
        self.payer = payer


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _month_end(d: date) -> date:
    return _add_months(d, 1) - timedelta(days=1)


def _next_weekday(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


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
    for folder in (*INBOX_FOLDERS, "ground_truth", "_maps"):  # _maps: see generate/pm_style.py
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    out.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    start = _add_months(_month_start(as_of), -(months - 1))
    horizon = as_of + timedelta(days=60)
    month_exports: dict[tuple[int, int], date] = {}

    def export_of(d: date) -> date:
        """The monthly delivery a record of date d goes into (the last one: as_of)."""
        k = (d.year, d.month)
        e = month_exports.get(k)
        if e is None:
            e = month_exports[k] = min(_month_end(d), as_of)
        return e

    provs = make_providers(rng, providers, as_of)
    years = list(range(min(start.year, as_of.year - 1), as_of.year + 1))
    fees = fee_rows(years)
    book = FeeBook(fees, years)

    # ---- patients and their encounters ------------------------------------------------
    say("patients and encounters")
    payer_weights = [p.weight for p in PAYERS]
    names, weights = zip(*practice.PATHWAYS, strict=True)
    s_names, s_weights = zip(*practice.SIMPLE_PATHWAYS, strict=True)
    encs_all: list[practice.Enc] = []
    auths_all: list[practice.Auth] = []
    ccm: list[tuple[practice.Patient, date, int]] = []  # patient, first month, n months
    n_patients = 0

    def admit(t0: date, pathway: str) -> None:
        nonlocal n_patients
        n_patients += 1
        p = practice.make_patient(
            rng, n_patients, f"P{n_patients:06d}", PAYERS, payer_weights, provs, pathway
        )
        encs = practice.finalize_schedule(
            rng, practice.pathway_encounters(rng, p, t0), start, as_of, horizon
        )
        if not encs:
            return
        extra = []
        for e in encs:
            if e.kind == "procedure" and rng.random() < 0.04:
                c = practice.cancelled_copy(rng, e)
                if c.date > as_of:
                    # a visit not yet due cannot have been missed: only a cancellation (the
                    # warehouse reads a future no_show as still scheduled: stg_pm__appointments)
                    c.status = "cancelled"
                if c.date >= start and c.scheduled_on <= as_of:
                    extra.append(c)
        auths_all.extend(practice.build_auths(rng, p, encs, as_of))
        auths_all.extend(practice.unperformed_auths(rng, p, encs, as_of))
        first = encs[0]
        if (
            first.kind == "em"
            and first.pain_weeks
            and int(first.pain_weeks) >= 13
            and first.status == "completed"
            and rng.random() < 0.22
        ):
            m0 = _add_months(_month_start(first.date), 1)
            if m0 <= as_of:
                ccm.append((p, m0, rng.randint(2, 9)))
        encs_all.extend(encs)
        encs_all.extend(extra)

    # an established panel (seen before the window) on simple pathways, then new arrivals
    for _ in range(int(claims_per_month * ESTABLISHED_PER_CLAIM)):
        admit(start - timedelta(days=rng.randint(1, 180)), rng.choices(s_names, s_weights)[0])
    rate = claims_per_month / CLAIMS_PER_ARRIVAL / 30.44
    d = start
    while d <= horizon:
        k = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        for _ in range(k):
            admit(d, rng.choices(names, weights)[0])
        d += timedelta(days=1)

    encs_all.sort(key=lambda e: (e.date, e.patient.n, e.status != "completed"))
    for i, e in enumerate(encs_all, start=1):
        e.appt_id = f"A{i:08d}"

    # ---- claims -----------------------------------------------------------------------
    say("claims")
    claims: list[Claim] = []

    def charges_of(lines) -> list[Decimal]:
        return [
            chargemaster(ln.code) * ln.units * (2 if "50" in ln.mods.split() else 1) for ln in lines
        ]

    for e in encs_all:
        if e.status != "completed":
            continue
        sub = e.date + timedelta(days=rng.randint(1, 4))
        if sub > as_of:
            continue
        claims.append(Claim("", e, sub, charges_of(e.lines), e.patient.payer))

    # chronic pain management months (G3002/G3003) with their documented time
    care_rows: list[list[str]] = []
    n_act = 0
    for p, m0, n in ccm:
        for k in range(n):
            m = _add_months(m0, k)
            if m > as_of:
                break
            mend = _month_end(m)
            in_progress = mend >= as_of
            acts: list[tuple[date, int, bool, str]] = []
            last_day = min(mend, as_of)
            span = (last_day - m).days
            if in_progress:
                for _ in range(rng.randint(0, 2)):
                    acts.append(
                        (
                            m + timedelta(days=rng.randint(0, span)),
                            rng.randint(5, 12),
                            False,
                            "care coordination call",
                        )
                    )
            else:
                if k == 0:
                    acts.append(
                        (
                            m + timedelta(days=rng.randint(0, 10)),
                            rng.randint(30, 45),
                            True,
                            "initial chronic pain management visit",
                        )
                    )
                for _ in range(rng.randint(1, 3)):
                    acts.append(
                        (
                            m + timedelta(days=rng.randint(0, span)),
                            rng.randint(8, 25),
                            False,
                            rng.choice(
                                (
                                    "medication management",
                                    "care plan review",
                                    "care coordination call",
                                    "patient education",
                                )
                            ),
                        )
                    )
                total = sum(a[1] for a in acts)
                if total < 30:
                    acts.append(
                        (
                            m + timedelta(days=rng.randint(0, span)),
                            30 - total + 5,
                            False,
                            "care plan review",
                        )
                    )
            acts.sort()
            for a in acts:
                n_act += 1
                care_rows.append(
                    [
                        f"CT{n_act:08d}",
                        p.pid,
                        p.payer.payer_id,
                        p.provider.npi,
                        iso(a[0]),
                        str(a[1]),
                        "true" if a[2] else "false",
                        a[3],
                    ]
                )
            if in_progress:
                continue
            minutes = sum(a[1] for a in acts)
            lines = [practice.Line("G3002")]
            extra_units = (minutes - 30) // 15
            if extra_units:
                lines.append(practice.Line("G3003", "", extra_units))
            e = practice.Enc(p, acts[-1][0], "11", lines, "ccm", "G89.29 M54.50")
            sub = min(mend + timedelta(days=rng.randint(1, 4)), as_of)
            claims.append(Claim("", e, sub, charges_of(lines), p.payer))

    claims.sort(key=lambda c: (c.submitted, c.enc.date, c.enc.patient.n, c.enc.appt_id))
    for i, c in enumerate(claims, start=1):
        c.claim_id = f"C{i:08d}"

    # ---- adjudication and remits ------------------------------------------------------
    say("adjudication")
    adj = Adjudicator(rng, book)
    runs: dict[tuple[str, date], list[RemitClaim]] = defaultdict(list)
    icn_counter: dict[str, int] = defaultdict(int)
    final_primary: dict[str, tuple[RemitClaim, date]] = {}
    n_reversals = n_secondary = 0

    def icn_for(payer_id: str, d: date) -> str:
        icn_counter[payer_id] += 1
        return (
            f"{d:%y}{d.timetuple().tm_yday:03d}{sum(map(ord, payer_id)) % 90 + 10}"
            f"{icn_counter[payer_id]:07d}"
        )

    for c in claims:
        payer = c.payer
        check = _next_weekday(c.submitted + timedelta(days=rng.randint(4, 8)), payer.check_weekday)
        if check > as_of:
            continue  # still awaiting its remit (under 16 days old)
        redo = None
        if payer.payer_id in ("COPEC", "COTRM", "MAPEC") and rng.random() < 0.015:
            redo = _next_weekday(check + timedelta(days=rng.randint(14, 28)), payer.check_weekday)
            if redo > as_of:
                redo = None
        if redo is not None:
            wrong = adj.adjudicate(
                payer,
                c,
                icn_for(payer.payer_id, check),
                allowed_shift_pct=Decimal(rng.randint(8, 15)),
            )
            runs[(payer.payer_id, check)].append(wrong)
            runs[(payer.payer_id, redo)].append(reversal_of(wrong))
            right = adj.adjudicate(payer, c, icn_for(payer.payer_id, redo))
            runs[(payer.payer_id, redo)].append(right)
            final_primary[c.claim_id] = (right, redo)
            n_reversals += 1
        else:
            rc = adj.adjudicate(payer, c, icn_for(payer.payer_id, check))
            runs[(payer.payer_id, check)].append(rc)
            final_primary[c.claim_id] = (rc, check)
        rc, paid_on = final_primary[c.claim_id]
        if c.enc.patient.secondary and rc.patient_resp > 0:
            sec = PAYER_BY_ID[MEDIGAP_PAYER_ID]
            d2 = _next_weekday(paid_on + timedelta(days=3), sec.check_weekday)
            if d2 <= as_of:
                runs[(sec.payer_id, d2)].append(secondary_of(rc, icn_for(sec.payer_id, d2)))
                n_secondary += 1

    # ---- 835 files --------------------------------------------------------------------
    say("835 remits")
    remit_dir = out / REMITS_FOLDER
    remit_dir.mkdir(parents=True, exist_ok=True)
    isa_counter: dict[str, int] = defaultdict(int)
    remit_stats = {
        "files": 0,
        "transactions": 0,
        "claims": 0,
        "service_lines": 0,
        "reversals": n_reversals,
        "secondary_claims": n_secondary,
        "plb_adjustments": 0,
        "payments_total": ZERO,
    }
    run_keys = sorted(runs, key=lambda k: (k[1], k[0]))
    for payer_id, check in run_keys:
        payer = PAYER_BY_ID[payer_id]
        rcs = runs[(payer_id, check)]
        clp_total = sum((r.paid for r in rcs), ZERO)
        plb: list[tuple[str, str, Decimal]] = []
        if payer.interest_runs and rng.random() < 0.12:
            paid_claims = [r for r in rcs if r.status == "1" and r.paid > 0]
            if paid_claims:
                r = paid_claims[rng.randrange(len(paid_claims))]
                plb.append(
                    (
                        "L6",
                        r.claim_id,
                        -q(r.paid * Decimal(rng.randint(20, 150)) / Decimal(10000))
                        or Decimal("-0.01"),
                    )
                )
        if payer_id == "MABRZ" and rng.random() < 0.15:
            amt = Decimal(rng.randint(2500, 15000)) / 100
            if clp_total > amt + 50:
                plb.append(("WO", f"C2024{rng.randint(10000, 99999)}", q(amt)))
        remit_stats["plb_adjustments"] += len(plb)
        if payer_id == "MAPEC" and len(rcs) >= 4:
            half = len(rcs) // 2
            txs = [
                Transaction(
                    rcs[:half], plb, f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}1"
                ),
                Transaction(rcs[half:], [], f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}2"),
            ]
        else:
            txs = [Transaction(rcs, plb, f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}1")]
        isa_counter[payer_id] += 1
        icn = (sum(map(ord, payer_id)) % 90 + 10) * 10000 + isa_counter[payer_id]
        data, st = render_835(payer, check, txs, icn, GROUP_NPI)
        name = f"{payer_id.lower()}_era_{check.isoformat()}.{payer.file_ext}"
        (remit_dir / name).write_bytes(data)
        remit_stats["files"] += 1
        for k in ("transactions", "claims", "service_lines"):
            remit_stats[k] += st[k]
        remit_stats["payments_total"] += st["amount"]

    # ---- CSV deliveries ---------------------------------------------------------------
    say("CSV extracts")
    sink = CsvSink(out)
    first_export = start - timedelta(days=1)
    for p in PAYERS:
        sink.write(
            "payers",
            first_export,
            [
                p.payer_id,
                p.payer_name,
                p.payer_type,
                p.x12_payer_id,
                p.parent_organization,
                str(p.timely_filing_days),
                str(p.appeal_window_days),
                str(p.mppr_secondary_pct),
                str(p.bilateral_pct),
                p.bilateral_billing,
                p.underpayment_tolerance,
                p.pa_report_id,
            ],
        )
    for pv in provs:
        sink.write(
            "providers",
            first_export,
            [
                pv.npi,
                pv.name,
                pv.state,
                iso(pv.license_expires_on),
                iso(pv.dea_expires_on),
                iso(pv.caqh_attested_on),
            ],
        )
    for payer_id, code, mod, setting, amount, eff_from, eff_to in fees:
        export = min(date(eff_from.year - 1, 12, 15), first_export)
        sink.write(
            "fee_schedules",
            export,
            [payer_id, code, mod, setting, str(amount), iso(eff_from), iso(eff_to)],
        )
    published = date(2026, 4, 15)
    if as_of >= published:
        cols = EXTRACTS["payer_pa_metrics"].column_names
        for r in PA_METRICS_2025:
            sink.write("payer_pa_metrics", published, [r.get(c, "") for c in cols])
    else:
        sink.touch("payer_pa_metrics", first_export)

    # appointments: one row per line; monthly by service month, future ones in the last
    for e in encs_all:
        p = e.patient
        export = export_of(e.date) if e.date <= as_of else as_of
        spinal = e.kind == "procedure"
        for ln_no, ln in enumerate(e.lines, start=1):
            guidance = spinal and ln.code in ("77002", "77003", "77012", "76942")
            sink.write(
                "appointments",
                export,
                [
                    e.appt_id,
                    str(ln_no),
                    p.pid,
                    p.payer.payer_id,
                    p.member_id,
                    p.provider.npi,
                    p.provider.state,
                    e.pos,
                    iso(e.scheduled_on),
                    iso(e.date),
                    e.status,
                    ln.code,
                    ln.mods,
                    str(ln.units),
                    e.region if spinal else "",
                    e.levels if spinal else "",
                    ln.laterality,
                    e.modality if spinal else "",
                    e.image_saved if spinal else "",
                    e.conservative,
                    e.pain_weeks,
                    "" if e.relief_pct is None or guidance else str(e.relief_pct),
                    "" if e.relief_weeks is None or guidance else str(e.relief_weeks),
                    e.psych,
                    e.pain_score,
                    ln.auth.auth_number if ln.auth else "",
                ],
            )

    auths_all.sort(key=lambda a: (a.request_date, a.patient.n, a.codes))
    for i, a in enumerate(auths_all, start=1):
        a.auth_id = f"AU{i:07d}"
        export = export_of(a.decision_date or a.request_date)
        sink.write(
            "authorizations",
            export,
            [
                a.auth_id,
                a.patient.pid,
                a.payer.payer_id,
                a.program,
                a.auth_number if a.decision in ("approved", "partial") else "",
                iso(a.request_date),
                a.urgency,
                iso(a.decision_date),
                a.decision,
                a.reason,
                a.appealed,
                a.appeal_decision,
                " ".join(a.codes),
                a.region,
                a.levels,
                a.laterality,
                str(a.units) if a.decision in ("approved", "partial") else "",
                iso(a.valid_from),
                iso(a.valid_to),
            ],
        )

    n_claim_lines = 0
    for c in claims:
        e = c.enc
        p = e.patient
        for ln_no, ln in enumerate(e.lines, start=1):
            n_claim_lines += 1
            sink.write(
                "claims",
                export_of(c.submitted),
                [
                    c.claim_id,
                    str(ln_no),
                    p.pid,
                    p.payer.payer_id,
                    p.provider.npi,
                    e.appt_id,
                    iso(e.date),
                    iso(c.submitted),
                    ln.code,
                    ln.mods,
                    str(ln.units),
                    str(c.charges[ln_no - 1]),
                    e.dx,
                    e.prior_auth,
                    e.pos,
                ],
            )

    for row in care_rows:
        sink.write("care_time", export_of(date.fromisoformat(row[4])), row)

    # ledger: the PM system's postings mirroring the remits, then the patients' payments
    n_post = 0

    def post(claim_id: str, line: str, d: date, kind: str, amount: Decimal, reason: str = ""):
        nonlocal n_post
        if not amount:
            return
        n_post += 1
        sink.write(
            "ledger",
            export_of(d),
            [f"L{n_post:09d}", claim_id, line, iso(d), kind, str(amount), reason],
        )

    for payer_id, check in run_keys:
        for rc in runs[(payer_id, check)]:
            posted = min(check + timedelta(days=rng.randint(0, 2)), as_of)
            for ln in rc.lines:
                if rc.status == "2":
                    post(
                        rc.claim_id,
                        str(ln.line_number),
                        posted,
                        "insurance_payment",
                        ln.paid,
                        f"secondary payer {payer_id}",
                    )
                    continue
                post(rc.claim_id, str(ln.line_number), posted, "insurance_payment", ln.paid)
                post(
                    rc.claim_id,
                    str(ln.line_number),
                    posted,
                    "contractual_adjustment",
                    sum((a for g, _c, a in ln.cas if g in ("CO", "OA")), ZERO),
                )
    for c in claims:
        fp = final_primary.get(c.claim_id)
        if fp is None:
            continue
        rc, check = fp
        if rc.patient_resp <= 0 or (c.enc.patient.secondary and c.payer.payer_id == "MCR"):
            continue
        if rng.random() < 0.8:
            d = check + timedelta(days=rng.randint(7, 45))
            if d <= as_of:
                post(c.claim_id, "", d, "patient_payment", rc.patient_resp, "statement payment")

    # procedure notes: every completed procedure encounter, signed the same or next day
    n_notes = 0
    for e in encs_all:
        if e.status != "completed" or e.kind != "procedure":
            continue
        signed = e.date + timedelta(days=rng.randint(0, 1))
        if signed > as_of:
            continue
        lat = next((ln.laterality for ln in e.lines if ln.laterality), "")
        if any(ln.laterality == "left" for ln in e.lines) and any(
            ln.laterality == "right" for ln in e.lines
        ):
            lat = "bilateral"
        n_notes += 1
        sink.write(
            "procedure_notes",
            export_of(signed),
            [
                f"N{n_notes:08d}",
                e.appt_id,
                e.patient.pid,
                e.patient.provider.npi,
                iso(signed),
                note_text(
                    rng,
                    e.note_family,
                    e.region,
                    e.levels,
                    lat,
                    e.modality,
                    e.pain_weeks,
                    e.conservative,
                    e.pain_score,
                ),
            ],
        )

    # ---- plants -------------------------------------------------------------------------
    say("plants")
    plants_gt: dict[str, list[dict]] = {s: [] for s in PLANT_SECTIONS}
    quarantine_expected: list[dict[str, str]] = []
    rejected: list[tuple[str, str]] = []
    for ns, (plant_name, plant) in enumerate(registry()):
        ctx = PlantContext(
            random.Random(f"{seed}-{plant_name}"), as_of, start, PAYERS, provs, book, ns
        )
        po = plant(ctx)
        for f in po.csv_files:
            sink.write_file(f.kind, f.file_name, f.columns, f.rows)
        for folder, name, data in po.raw_files:
            (out / folder).mkdir(parents=True, exist_ok=True)
            (out / folder / name).write_bytes(data)
            segs = [seg.strip().split("*") for seg in data.decode("ascii").split("~")]
            if folder == REMITS_FOLDER and ["ST", "835"] in [s[:2] for s in segs]:
                # A planted 835 counts like the background's (a planted 999 does not).
                ids = [s[0] for s in segs]
                remit_stats["files"] += 1
                remit_stats["transactions"] += ids.count("ST")
                remit_stats["claims"] += ids.count("CLP")
                remit_stats["service_lines"] += ids.count("SVC")
        for kind, rows in po.extra_rows.items():
            for row in rows:
                sink.write(kind, as_of, row)
        quarantine_expected += po.quarantine_expected
        rejected += po.rejected_files
        for section, rows in po.findings.items():
            plants_gt.setdefault(section, []).extend(rows)

    for kind in EXTRACTS:  # every kind is delivered, if only as a header
        if not (out / kind).exists() or not any((out / kind).iterdir()):
            sink.touch(kind, first_export)
    sink.close()

    # ---- ground truth -------------------------------------------------------------------
    gt = out / "ground_truth"
    gt.mkdir(parents=True, exist_ok=True)
    with open(gt / "quarantine_expected.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(
            fh, ["kind", "file_name", "row_number", "reason_contains"], lineterminator="\n"
        )
        w.writeheader()
        w.writerows(quarantine_expected)

    good = dict(sink.rows_by_kind)
    for q_row in quarantine_expected:
        if q_row["row_number"] and q_row["kind"] in good:
            good[q_row["kind"]] -= 1
    for kind, name in rejected:
        if kind in good:
            good[kind] -= sink.rows_by_file.get(f"{kind}/{name}", 0)
    files_by_kind = {k: len(list((out / k).glob("*.csv"))) for k in EXTRACTS}
    manifest = {
        "generator": "painrcm.generate",
        "seed": seed,
        "as_of_date": as_of.isoformat(),
        "start_date": start.isoformat(),
        "months": months,
        "providers": providers,
        "claims_per_month": claims_per_month,
        "counts": {
            "patients": n_patients,
            "claims": len(claims),
            "claim_lines": n_claim_lines,
            "rows_written": dict(sorted(sink.rows_by_kind.items())),
            "expected_good_rows": dict(sorted(good.items())),
            "files": files_by_kind,
            "remits": {
                **{k: v for k, v in remit_stats.items() if k != "payments_total"},
                "payments_total": str(remit_stats["payments_total"]),
                "files_rejected": sum(1 for k, _n in rejected if k == REMITS_FOLDER),
            },
        },
        "plants": plants_gt,
    }
    (gt / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    write_acknowledgments(out)  # the 277CAs (generate/ack_writer.py)
    say("done")
    return manifest
