"""Step 5: the practice-management system's CSV deliveries (shared/contract/INPUTS.md).

Reference extracts (payers, providers, fee schedules, payer PA metrics) go out before the
window; every other kind monthly by the month its record belongs to (future appointments in
the last delivery). The ledger mirrors the remits as the PM system posted them, then the
patients' payments; every completed procedure gets a note signed the same or next day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS
from painrcm.generate import practice
from painrcm.generate.billing import Claim
from painrcm.generate.calendar import Window
from painrcm.generate.notes import note_text
from painrcm.generate.payments import Payments
from painrcm.generate.reference import IMAGING, PA_METRICS_2025, PAYERS, ZERO, Provider
from painrcm.generate.writers import CsvSink, iso

PA_METRICS_PUBLISHED = date(2026, 4, 15)  # CMS-0057-F reports for 2025, on the payers' sites


def write_reference_extracts(
    sink: CsvSink, window: Window, providers: list[Provider], fees: list[tuple]
) -> None:
    first_export = window.first_export
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
    for pv in providers:
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
    if window.as_of >= PA_METRICS_PUBLISHED:
        cols = EXTRACTS["payer_pa_metrics"].column_names
        for r in PA_METRICS_2025:
            sink.write("payer_pa_metrics", PA_METRICS_PUBLISHED, [r.get(c, "") for c in cols])
    else:
        sink.touch("payer_pa_metrics", first_export)


def write_appointments(sink: CsvSink, window: Window, encounters: list[practice.Enc]) -> None:
    """One row per line; monthly by service month, future visits in the last delivery."""
    for e in encounters:
        p = e.patient
        export = window.export_of(e.date) if e.date <= window.as_of else window.as_of
        spinal = e.kind == "procedure"
        for ln_no, ln in enumerate(e.lines, start=1):
            guidance = spinal and ln.code in IMAGING
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


def write_authorizations(sink: CsvSink, window: Window, auths: list[practice.Auth]) -> None:
    """The auth log in request order (auth ids given here), monthly by decision month."""
    auths.sort(key=lambda a: (a.request_date, a.patient.n, a.codes))
    for i, a in enumerate(auths, start=1):
        a.auth_id = f"AU{i:07d}"
        granted = a.decision in ("approved", "partial")
        sink.write(
            "authorizations",
            window.export_of(a.decision_date or a.request_date),
            [
                a.auth_id,
                a.patient.pid,
                a.payer.payer_id,
                a.program,
                a.auth_number if granted else "",
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
                str(a.units) if granted else "",
                iso(a.valid_from),
                iso(a.valid_to),
            ],
        )


def write_claims(sink: CsvSink, window: Window, claims: list[Claim]) -> int:
    """One row per claim line, monthly by submission; returns the number of lines."""
    n_lines = 0
    for c in claims:
        e = c.enc
        p = e.patient
        for ln_no, ln in enumerate(e.lines, start=1):
            n_lines += 1
            sink.write(
                "claims",
                window.export_of(c.submitted),
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
    return n_lines


def write_care_time(sink: CsvSink, window: Window, care_rows: list[list[str]]) -> None:
    for row in care_rows:
        sink.write("care_time", window.export_of(date.fromisoformat(row[4])), row)


def write_ledger(
    rng: random.Random, sink: CsvSink, window: Window, pay: Payments, claims: list[Claim]
) -> None:
    """The PM system's postings mirroring the remits, then the patients' payments."""
    as_of = window.as_of
    n_post = 0

    def post(claim_id: str, line: str, d: date, kind: str, amount: Decimal, reason: str = ""):
        nonlocal n_post
        if not amount:
            return
        n_post += 1
        sink.write(
            "ledger",
            window.export_of(d),
            [f"L{n_post:09d}", claim_id, line, iso(d), kind, str(amount), reason],
        )

    for payer_id, check in pay.run_keys():
        for rc in pay.runs[(payer_id, check)]:
            posted = min(check + timedelta(days=rng.randint(0, 2)), as_of)
            for ln in rc.lines:
                line_no = str(ln.line_number)
                if rc.status == "2":
                    reason = f"secondary payer {payer_id}"
                    post(rc.claim_id, line_no, posted, "insurance_payment", ln.paid, reason)
                    continue
                post(rc.claim_id, line_no, posted, "insurance_payment", ln.paid)
                contractual = sum((a for g, _c, a in ln.cas if g in ("CO", "OA")), ZERO)
                post(rc.claim_id, line_no, posted, "contractual_adjustment", contractual)
    for c in claims:
        fp = pay.final_primary.get(c.claim_id)
        if fp is None:
            continue
        rc, check = fp
        if rc.patient_resp <= 0 or (c.enc.patient.secondary and c.payer.payer_id == "MCR"):
            continue
        if rng.random() < 0.8:
            d = check + timedelta(days=rng.randint(7, 45))
            if d <= as_of:
                post(c.claim_id, "", d, "patient_payment", rc.patient_resp, "statement payment")


def write_procedure_notes(
    rng: random.Random, sink: CsvSink, window: Window, encounters: list[practice.Enc]
) -> None:
    """A note for every completed procedure encounter, signed the same or next day."""
    n_notes = 0
    for e in encounters:
        if e.status != "completed" or e.kind != "procedure":
            continue
        signed = e.date + timedelta(days=rng.randint(0, 1))
        if signed > window.as_of:
            continue
        lat = next((ln.laterality for ln in e.lines if ln.laterality), "")
        if any(ln.laterality == "left" for ln in e.lines) and any(
            ln.laterality == "right" for ln in e.lines
        ):
            lat = "bilateral"
        n_notes += 1
        sink.write(
            "procedure_notes",
            window.export_of(signed),
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
