"""The visit builder the PA-gap, readiness, chronic-pain and documentation plants share.

Each scenario is a complete encounter: the appointment, the authorization log, and for a
past visit a signed note and (inside the generated window, old enough to be remitted) the
claim with its 835 paid per contract, so no other mart sees a finding it should not.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS, REMITS_FOLDER
from painrcm.generate.adjudicate import Adjudicator
from painrcm.generate.calendar import clinic_day, next_weekday
from painrcm.generate.notes import note_text
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.practice import Enc, Line, Patient, mbi
from painrcm.generate.reference import FAMILY, GROUP_NPI, Payer, chargemaster
from painrcm.generate.x12_writer import Transaction, render_835


class _Claim:
    """The shape Adjudicator.adjudicate reads (claim_id, enc, charges)."""

    __slots__ = ("claim_id", "enc", "charges", "submitted", "prior_auth")

    def __init__(self, claim_id, enc, charges, submitted, prior_auth):
        self.claim_id = claim_id
        self.enc = enc
        self.charges = charges
        self.submitted = submitted
        self.prior_auth = prior_auth


class VisitBuilder:
    """Patients, visits, authorizations, claims and their remits for a plant's scenarios.

    `visit` and `auth` add the appointment and auth-log rows, `bill` a claim for a past
    visit inside the window; `finish(name)` adds a signed note for every completed visit,
    pays every claim per contract in 835s named after the plant and returns the rows. The
    patients a plant marks `near_miss` must produce no finding (the tests check it).
    """

    def __init__(self, ctx: PlantContext):
        self.ctx = ctx
        self.ns = ctx.namespace
        self.rng = ctx.rng
        self.as_of = ctx.as_of
        self.payers = {p.payer_id: p for p in ctx.payers}
        self.provider = ctx.providers[0]
        self.n_patients = self.n_appts = self.n_auths = self.n_claims = self.n_notes = 0
        self.rows: dict[str, list[list[str]]] = defaultdict(list)
        self.encs: list[tuple[Enc, str, dict]] = []  # enc, service_state, extras
        self.claims: list[_Claim] = []
        self.near_miss_patients: list[str] = []
        self.adjudicator = Adjudicator(self.rng, ctx.book)

    # -- dates ---------------------------------------------------------------------------
    def future(self, days: int) -> date:
        return clinic_day(self.as_of + timedelta(days=days))

    def past(self, days: int) -> date:
        return clinic_day(self.as_of - timedelta(days=days))

    # -- records -------------------------------------------------------------------------
    def patient(self, payer_id: str, near_miss: bool = False) -> Patient:
        self.n_patients += 1
        payer = self.payers[payer_id]
        pid = self.ctx.patient_id(self.n_patients)
        if payer.payer_type == "medicare_ffs":
            member = mbi(self.rng)
        else:
            member = payer.payer_id[:3] + f"9{self.ns:02d}{self.n_patients:06d}"
        p = Patient(pid, payer, self.provider, member, "PLANTED", "PAGAP", False, "plant", 0)
        if near_miss:
            self.near_miss_patients.append(pid)
        return p

    def visit(
        self,
        p: Patient,
        d: date,
        lines: list[Line],
        *,
        pos: str = "24",
        region: str = "lumbar",
        levels: str = "L4-L5",
        state: str = "TX",
        status: str | None = None,
        psych: str = "",
        auth_number: str = "",
    ) -> Enc:
        family = next(
            (FAMILY.get(ln.code, "") for ln in lines if FAMILY.get(ln.code) != "imaging_guidance"),
            "",
        )
        e = Enc(
            p, d, pos, lines, "procedure", "M54.16 M51.16", region, levels, "fluoroscopy", "true"
        )
        self.n_appts += 1
        e.appt_id = f"A9{self.ns:02d}{self.n_appts:05d}"
        e.status = status or ("completed" if d <= self.as_of else "scheduled")
        e.scheduled_on = min(d - timedelta(days=21), self.as_of - timedelta(days=1))
        e.pain_weeks, e.conservative, e.pain_score = "26", "8", "6"
        e.psych = psych
        e.note_family = family
        if e.status == "completed" and d <= self.as_of - timedelta(days=21):
            e.relief_pct, e.relief_weeks = 70, 2
        self.encs.append((e, state, {"auth_number": auth_number}))
        return e

    def auth(
        self,
        p: Patient,
        codes: str,
        *,
        program: str = "payer_pa",
        decision: str = "approved",
        valid: tuple[date, date] | None = None,
        region: str = "lumbar",
        levels: str = "L4-L5",
        laterality: str = "left",
        units: int | None = 1,
        request: date | None = None,
        appealed: str = "",
        appeal_decision: str = "",
    ) -> dict:
        self.n_auths += 1
        auth_id = f"AU9{self.ns:02d}{self.n_auths:04d}"
        if program == "wiser":
            number = f"WS9{self.ns:02d}PA{self.n_auths:07d}"
        else:
            number = f"{p.payer.payer_id[:2]}9{self.ns:02d}{self.n_auths:06d}"
        approved = decision in ("approved", "partial") or appeal_decision == "approved"
        if request is None:
            request = (valid[0] if valid else self.as_of) - timedelta(days=10)
        request = min(request, self.as_of - timedelta(days=5))
        decided = None if decision == "pending" else request + timedelta(days=3)
        if decided is not None and decided > self.as_of:
            decided = self.as_of
        a = {
            "auth_id": auth_id,
            "patient_id": p.pid,
            "payer_id": p.payer.payer_id,
            "program": program,
            "auth_number": number if approved else "",
            "request_date": request.isoformat(),
            "urgency": "standard",
            "decision_date": decided.isoformat() if decided else "",
            "decision": decision,
            "decision_reason": "Records do not document functional impairment"
            if decision == "denied"
            else ("Patient chose to continue physical therapy" if decision == "withdrawn" else ""),
            "appealed": appealed,
            "appeal_decision": appeal_decision,
            "procedure_codes": codes,
            "spinal_region": region,
            "levels": levels,
            "laterality": laterality,
            "units_approved": str(units) if approved and units is not None else "",
            "valid_from": valid[0].isoformat() if approved and valid else "",
            "valid_to": valid[1].isoformat() if approved and valid else "",
        }
        self.rows["authorizations"].append(
            [a.get(c, "") for c in EXTRACTS["authorizations"].column_names]
        )
        return a

    def bill(self, e: Enc, prior_auth: str = "") -> None:
        """Bill a past visit inside the generated window (and remit it once old enough)."""
        if not (self.ctx.start <= e.date <= self.as_of - timedelta(days=20)):
            return
        self.n_claims += 1
        charges = [
            chargemaster(ln.code) * ln.units * (2 if "50" in ln.mods.split() else 1)
            for ln in e.lines
        ]
        c = _Claim(
            f"C9{self.ns:02d}{self.n_claims:05d}",
            e,
            charges,
            e.date + timedelta(days=2),
            prior_auth,
        )
        e.claim_id = c.claim_id
        self.claims.append(c)

    # -- output --------------------------------------------------------------------------
    def fee(self, payer: Payer, ln: Line, e: Enc) -> Decimal:
        """The contract fee of a line (times its units); 0.00 without a fee row."""
        try:
            fee = self.ctx.book.fee(payer.payer_id, ln.code, ln.mods, e.pos, e.date)
        except KeyError:  # no fee row: rules.md §4 revenue_at_risk 0.00
            return Decimal("0.00")
        return (fee * ln.units).quantize(Decimal("0.01"))

    def finish(self, name: str) -> PlantOutput:
        """The plant's rows and its remit files (`<payer>_era_<check date>_<name>.<ext>`)."""
        out = PlantOutput()
        ap_cols = EXTRACTS["appointments"].column_names
        for e, state, extra in self.encs:
            p = e.patient
            for ln_no, ln in enumerate(e.lines, start=1):
                guidance = FAMILY.get(ln.code) == "imaging_guidance"
                row = {
                    "appointment_id": e.appt_id,
                    "line_number": str(ln_no),
                    "patient_id": p.pid,
                    "payer_id": p.payer.payer_id,
                    "member_id": p.member_id,
                    "rendering_npi": p.provider.npi,
                    "service_state": state,
                    "place_of_service": e.pos,
                    "scheduled_on": e.scheduled_on.isoformat(),
                    "service_date": e.date.isoformat(),
                    "status": e.status,
                    "procedure_code": ln.code,
                    "modifiers": ln.mods,
                    "units": str(ln.units),
                    "spinal_region": e.region,
                    "levels": e.levels,
                    "laterality": ln.laterality,
                    "guidance_modality": e.modality,
                    "guidance_image_saved": e.image_saved,
                    "conservative_therapy_weeks": e.conservative,
                    "pain_duration_weeks": e.pain_weeks,
                    "relief_pct": "" if e.relief_pct is None or guidance else str(e.relief_pct),
                    "relief_weeks": ""
                    if e.relief_weeks is None or guidance
                    else str(e.relief_weeks),
                    "psych_eval_documented": e.psych,
                    "pain_score": e.pain_score,
                    "auth_number": extra["auth_number"],
                }
                self.rows["appointments"].append([row[c] for c in ap_cols])
            if e.status == "completed" and e.date <= self.as_of:
                self.n_notes += 1
                lat = next((ln.laterality for ln in e.lines if ln.laterality), "")
                self.rows["procedure_notes"].append(
                    [
                        f"N9{self.ns:02d}{self.n_notes:05d}",
                        e.appt_id,
                        p.pid,
                        p.provider.npi,
                        e.date.isoformat(),
                        note_text(
                            self.rng,
                            e.note_family,
                            e.region,
                            e.levels,
                            lat,
                            e.modality,
                            e.pain_weeks,
                            e.conservative,
                            e.pain_score,
                        ),
                    ]
                )
        # claims and their remits, one 835 per payer and check date
        runs: dict[tuple[str, date], list] = defaultdict(list)
        for c in self.claims:
            e = c.enc
            p = e.patient
            for ln_no, ln in enumerate(e.lines, start=1):
                self.rows["claims"].append(
                    [
                        c.claim_id,
                        str(ln_no),
                        p.pid,
                        p.payer.payer_id,
                        p.provider.npi,
                        e.appt_id,
                        e.date.isoformat(),
                        c.submitted.isoformat(),
                        ln.code,
                        ln.mods,
                        str(ln.units),
                        str(c.charges[ln_no - 1]),
                        e.dx,
                        c.prior_auth,
                        e.pos,
                    ]
                )
            check = next_weekday(c.submitted + timedelta(days=5), p.payer.check_weekday)
            icn = f"9{self.ns:02d}{len(runs):03d}{self.n_claims:05d}{c.claim_id[-5:]}"
            runs[(p.payer.payer_id, check)].append(self.adjudicator.adjudicate(p.payer, c, icn))
        for k, (payer_id, check) in enumerate(sorted(runs, key=lambda x: (x[1], x[0])), start=1):
            payer = self.payers[payer_id]
            # the trace names the plant (ns) and run: each remit is a payment of its own
            trace = f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}9{self.ns:02d}{k:03d}"
            tx = Transaction(runs[(payer_id, check)], [], trace)
            data, _stats = render_835(payer, check, [tx], 990000000 + self.ns * 1000 + k, GROUP_NPI)
            file_name = f"{payer_id.lower()}_era_{check.isoformat()}_{name}.{payer.file_ext}"
            out.raw_files.append((REMITS_FOLDER, file_name, data))
        out.extra_rows = dict(self.rows)
        return out


def ground_truth_csv(out: PlantOutput, section: str, rows: list[dict]) -> None:
    """The section's expected rows, also as ground_truth/<section>.csv."""
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    out.raw_files.append(("ground_truth", f"{section}.csv", buf.getvalue().encode()))
