"""PA coverage gaps (marts.pa_coverage_gaps, RULES 2-5): every gap type on patients of its own.

Each scenario is a complete encounter: the appointment, the authorization log, and for a
past visit a signed note and (inside the generated window, old enough to be remitted) the
claim with its 835 paid per contract, so no other mart sees a finding it should not. The
expected rows go to the manifest section `pa_coverage_gaps` and to
`ground_truth/pa_coverage_gaps.csv`. Near-misses (a cancelled visit, Original Medicare
outside the WISeR states, a covered WISeR line, a bilateral auth covering one side, a session
one day outside the 365-day window, a withdrawn request beside an approved one, an add-on
within its units, an appeal overturned) must produce no row at all.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS, REMITS_FOLDER
from painrcm.generate.adjudicate import Adjudicator
from painrcm.generate.notes import note_text
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.practice import Enc, Line, Patient, _mbi
from painrcm.generate.reference import FAMILY, GROUP_NPI, Payer, chargemaster
from painrcm.generate.x12_writer import Transaction, render_835

GT_COLUMNS = (
    "appointment_id",
    "line_number",
    "claim_id",
    "claim_line_number",
    "gap_type",
    "auth_id",
    "revenue_at_risk",
)
# Near-miss patients: the test checks that none of them appears in the mart.
NEAR_MISS_SECTION = "pa_coverage_gaps_near_misses"


def _weekday(d: date) -> date:
    return d + timedelta(days=7 - d.weekday()) if d.weekday() >= 5 else d


def _next_weekday(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


class _Claim:
    """The shape Adjudicator.adjudicate reads (claim_id, enc, charges)."""

    __slots__ = ("claim_id", "enc", "charges", "submitted", "prior_auth")

    def __init__(self, claim_id, enc, charges, submitted, prior_auth):
        self.claim_id = claim_id
        self.enc = enc
        self.charges = charges
        self.submitted = submitted
        self.prior_auth = prior_auth


class _Builder:
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
        self.expected: list[tuple[Enc, int, str, str]] = []  # enc, line no, gap, auth_id
        self.near_miss_patients: list[str] = []
        self.adjudicator = Adjudicator(self.rng, ctx.book)

    # -- dates ---------------------------------------------------------------------------
    def future(self, days: int) -> date:
        return _weekday(self.as_of + timedelta(days=days))

    def past(self, days: int) -> date:
        return _weekday(self.as_of - timedelta(days=days))

    # -- records -------------------------------------------------------------------------
    def patient(self, payer_id: str, near_miss: bool = False) -> Patient:
        self.n_patients += 1
        payer = self.payers[payer_id]
        pid = self.ctx.patient_id(self.n_patients)
        if payer.payer_type == "medicare_ffs":
            member = _mbi(self.rng)
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

    def expect(self, e: Enc, line_no: int, gap_type: str, auth: dict | None) -> None:
        self.expected.append((e, line_no, gap_type, auth["auth_id"] if auth else ""))

    # -- output --------------------------------------------------------------------------
    def _fee(self, payer: Payer, ln: Line, e: Enc) -> Decimal:
        try:
            fee = self.ctx.book.fee(payer.payer_id, ln.code, ln.mods, e.pos, e.date)
        except KeyError:  # no fee row: RULES 4 revenue_at_risk 0.00
            return Decimal("0.00")
        return (fee * ln.units).quantize(Decimal("0.01"))

    def finish(self) -> PlantOutput:
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
            check = _next_weekday(c.submitted + timedelta(days=5), p.payer.check_weekday)
            icn = f"9{self.ns:02d}{len(runs):03d}{self.n_claims:05d}{c.claim_id[-5:]}"
            runs[(p.payer.payer_id, check)].append(self.adjudicator.adjudicate(p.payer, c, icn))
        for k, (payer_id, check) in enumerate(sorted(runs, key=lambda x: (x[1], x[0])), start=1):
            payer = self.payers[payer_id]
            # the trace names the plant (ns) and run: each remit is a payment of its own
            trace = f"{payer.x12_payer_id}{payer.payer_id}{check:%Y%m%d}9{self.ns:02d}{k:03d}"
            tx = Transaction(runs[(payer_id, check)], [], trace)
            data, _stats = render_835(payer, check, [tx], 990000000 + self.ns * 1000 + k, GROUP_NPI)
            name = f"{payer_id.lower()}_era_{check.isoformat()}_pa_gaps.{payer.file_ext}"
            out.raw_files.append((REMITS_FOLDER, name, data))
        out.extra_rows = dict(self.rows)

        expected = []
        for e, ln_no, gap_type, auth_id in self.expected:
            ln = e.lines[ln_no - 1]
            expected.append(
                {
                    "appointment_id": e.appt_id,
                    "line_number": str(ln_no),
                    "claim_id": e.claim_id,
                    "claim_line_number": str(ln_no) if e.claim_id else "",
                    "gap_type": gap_type,
                    "auth_id": auth_id,
                    "revenue_at_risk": str(self._fee(e.patient.payer, ln, e)),
                    "patient_id": e.patient.pid,
                }
            )
        buf = io.StringIO()
        w = csv.DictWriter(buf, [*GT_COLUMNS, "patient_id"], lineterminator="\n")
        w.writeheader()
        w.writerows(expected)
        out.raw_files.append(("ground_truth", "pa_coverage_gaps.csv", buf.getvalue().encode()))
        out.findings["pa_coverage_gaps"] = expected
        out.findings[NEAR_MISS_SECTION] = [{"patient_id": pid} for pid in self.near_miss_patients]
        return out


def _tf(code: str = "64483", mods: str = "LT", units: int = 1, lat: str = "left") -> Line:
    return Line(code, mods, units, lat)


def plant(ctx: PlantContext) -> PlantOutput:
    b = _Builder(ctx)

    def window(d: date, before: int = 20, after: int = 60) -> tuple[date, date]:
        return d - timedelta(days=before), d + timedelta(days=after)

    # no_auth: an upcoming visit, and a past one the payer paid anyway (audit risk)
    p = b.patient("COPEC")
    e = b.visit(p, b.future(10), [_tf()])
    b.expect(e, 1, "no_auth", None)
    p = b.patient("COGCB")
    e = b.visit(p, b.past(60), [_tf(mods="RT", lat="right")])
    b.bill(e)
    b.expect(e, 1, "no_auth", None)

    # auth_denied: plain, and with an appeal still pending
    p = b.patient("COPEC")
    e = b.visit(p, b.future(12), [_tf()])
    a = b.auth(
        p, "64483", decision="denied", request=b.as_of - timedelta(days=20), appealed="false"
    )
    b.expect(e, 1, "auth_denied", a)
    p = b.patient("MAPEC")
    e = b.visit(p, b.future(15), [_tf()])
    a = b.auth(
        p,
        "64483",
        decision="denied",
        request=b.as_of - timedelta(days=25),
        appealed="true",
        appeal_decision="pending",
    )
    b.expect(e, 1, "auth_denied", a)

    # auth_pending
    for payer_id, days in (("COPEC", 9), ("MCDBB", 20)):
        p = b.patient(payer_id)
        e = b.visit(p, b.future(days), [_tf()])
        a = b.auth(p, "64483", decision="pending", request=b.as_of - timedelta(days=3))
        b.expect(e, 1, "auth_pending", a)

    # auth_expired: past visits after valid_to (one billed and paid, one never billed)
    p = b.patient("COPEC")
    d = b.past(45)
    e = b.visit(p, d, [_tf()])
    a = b.auth(p, "64483", valid=(d - timedelta(days=100), d - timedelta(days=10)))
    b.bill(e, a["auth_number"])
    b.expect(e, 1, "auth_expired", a)
    p = b.patient("COTRM")
    d = b.past(30)
    e = b.visit(p, d, [_tf(mods="LT")])
    a = b.auth(p, "64483", valid=(d - timedelta(days=90), d - timedelta(days=1)))
    b.expect(e, 1, "auth_expired", a)

    # auth_not_yet_valid
    for payer_id, days in (("COPEC", 8), ("MCDBB", 16)):
        p = b.patient(payer_id)
        d = b.future(days)
        e = b.visit(p, d, [_tf()])
        a = b.auth(p, "64483", valid=(d + timedelta(days=3), d + timedelta(days=90)))
        b.expect(e, 1, "auth_not_yet_valid", a)

    # code_mismatch: an interlaminar visit on a transforaminal auth; a WISeR add-on missing
    # from an affirmed request (RULES 4 step 6: matched like a primary)
    p = b.patient("COPEC")
    d = b.future(11)
    e = b.visit(p, d, [Line("62323")])
    a = b.auth(p, "64483 64484", valid=window(d), units=2)
    b.expect(e, 1, "code_mismatch", a)
    p = b.patient("MCR")
    d = b.future(14)
    e = b.visit(p, d, [_tf(), _tf("64484")], pos="11", levels="L4-L5 L5-S1")
    a = b.auth(p, "64483", program="wiser", valid=window(d), levels="L4-L5 L5-S1", units=2)
    b.expect(e, 2, "code_mismatch", a)

    # region_mismatch (auth levels left empty so only the region differs)
    for payer_id, days in (("COPEC", 13), ("MAPEC", 17)):
        p = b.patient(payer_id)
        d = b.future(days)
        e = b.visit(p, d, [_tf()])
        a = b.auth(p, "64483", valid=window(d), region="cervical", levels="")
        b.expect(e, 1, "region_mismatch", a)

    # level_mismatch
    p = b.patient("COPEC")
    d = b.future(18)
    e = b.visit(p, d, [_tf()], levels="L5-S1")
    a = b.auth(p, "64483", valid=window(d), levels="L4-L5")
    b.expect(e, 1, "level_mismatch", a)
    p = b.patient("WCLSM")
    d = b.future(19)
    e = b.visit(p, d, [_tf()], levels="L4-L5 L5-S1")
    a = b.auth(p, "64483", valid=window(d), levels="L4-L5")
    b.expect(e, 1, "level_mismatch", a)

    # laterality_mismatch: a bilateral line on a left auth; a right line on a left auth
    p = b.patient("COPEC")
    d = b.future(21)
    e = b.visit(p, d, [_tf(mods="50", lat="bilateral")])
    a = b.auth(p, "64483", valid=window(d), laterality="left")
    b.expect(e, 1, "laterality_mismatch", a)
    p = b.patient("COGCB")
    d = b.future(22)
    e = b.visit(p, d, [_tf(mods="RT", lat="right")])
    a = b.auth(p, "64483", valid=window(d), laterality="left")
    b.expect(e, 1, "laterality_mismatch", a)

    # units_exceeded: the add-on passes 1 approved unit; a second session on a 1-unit auth
    p = b.patient("COPEC")
    d = b.future(23)
    e = b.visit(p, d, [_tf(), _tf("64484")], levels="L4-L5 L5-S1")
    a = b.auth(p, "64483 64484", valid=window(d), levels="L4-L5 L5-S1", units=1)
    b.expect(e, 2, "units_exceeded", a)
    p = b.patient("MAPEC")
    d1, d2 = b.future(8), b.future(24)
    b.visit(p, d1, [_tf()])
    e = b.visit(p, d2, [_tf()])
    a = b.auth(p, "64483", valid=(d1 - timedelta(days=10), d2 + timedelta(days=30)), units=1)
    b.expect(e, 1, "units_exceeded", a)

    # wiser_utn_missing: Original Medicare in TX (office) and OK (ASC)
    p = b.patient("MCR")
    e = b.visit(p, b.future(10), [_tf()], pos="11")
    b.expect(e, 1, "wiser_utn_missing", None)
    p = b.patient("MCR")
    e = b.visit(
        p, b.future(15), [_tf("64479")], pos="24", region="cervical", levels="C5-C6", state="OK"
    )
    b.expect(e, 1, "wiser_utn_missing", None)

    # wiser_associated_unaffirmed: add-on and imaging beside an unaffirmed primary
    p = b.patient("MCR")
    e = b.visit(
        p,
        b.future(12),
        [Line("22513"), Line("22515"), Line("77012")],
        pos="11",
        region="thoracic",
        levels="T11 T12",
    )
    b.expect(e, 1, "wiser_utn_missing", None)
    b.expect(e, 2, "wiser_associated_unaffirmed", None)
    b.expect(e, 3, "wiser_associated_unaffirmed", None)
    p = b.patient("MCR")
    d = b.future(16)
    e = b.visit(
        p,
        d,
        [Line("63650", "", 2), Line("77003")],
        pos="11",
        region="thoracic",
        levels="T8-T9",
        state="AZ",
        psych="true",
    )
    a = b.auth(
        p,
        "63650",
        program="wiser",
        decision="denied",
        request=b.as_of - timedelta(days=12),
        region="thoracic",
        levels="T8-T9",
        laterality="",
        appealed="false",
    )
    b.expect(e, 1, "auth_denied", a)
    b.expect(e, 2, "wiser_associated_unaffirmed", a)

    # frequency_limit: commercial ESI, 3 sessions per region per rolling 365 days. The 4th
    # session counts a session exactly 364 days earlier (inclusive window).
    last = b.future(10)
    for near_miss, first_offset in ((False, 364), (True, 365)):
        p = b.patient("COPEC", near_miss=near_miss)
        dates = [last - timedelta(days=first_offset), b.past(150), b.past(60), last]
        for k, d in enumerate(dates):
            e = b.visit(p, d, [_tf()])
            a = b.auth(p, "64483", valid=(d - timedelta(days=5), d + timedelta(days=20)))
            b.bill(e, a["auth_number"])
            if k == 3 and not near_miss:
                b.expect(e, 1, "frequency_limit", a)
    p = b.patient("MCDBB")
    for k, d in enumerate((b.past(200), b.past(120), b.past(40), b.future(20))):
        e = b.visit(p, d, [_tf()])
        a = b.auth(p, "64483", valid=(d - timedelta(days=5), d + timedelta(days=20)))
        b.bill(e, a["auth_number"])
        if k == 3:
            b.expect(e, 1, "frequency_limit", a)

    # scs_permanent_needs_auth: a successful trial on its own auth, the implant on none
    for payer_id, trial_days in (("COPEC", 50), ("MAPEC", 70)):
        p = b.patient(payer_id)
        d = b.past(trial_days)
        t = b.visit(p, d, [Line("63650", "", 2)], region="thoracic", levels="T8-T9", psych="true")
        a = b.auth(
            p,
            "63650",
            valid=(d - timedelta(days=5), d + timedelta(days=30)),
            region="thoracic",
            levels="T8-T9",
            laterality="",
            units=2,
        )
        b.bill(t, a["auth_number"])
        e = b.visit(
            p, b.future(20), [Line("63685")], region="thoracic", levels="T8-T9", psych="true"
        )
        b.expect(e, 1, "scs_permanent_needs_auth", a)

    # auth_number_missing_on_claim: billed without the number, and with another number
    for payer_id, days, number in (("COPEC", 40, ""), ("COGCB", 35, "CO000000000")):
        p = b.patient(payer_id)
        d = b.past(days)
        e = b.visit(p, d, [_tf()])
        a = b.auth(p, "64483", valid=window(d))
        b.bill(e, number)
        b.expect(e, 1, "auth_number_missing_on_claim", a)

    # renewal_due: the auth ends before the upcoming visit
    for payer_id, days in (("COPEC", 25), ("MABRZ", 27)):
        p = b.patient(payer_id)
        d = b.future(days)
        e = b.visit(p, d, [_tf()])
        a = b.auth(p, "64483", valid=(d - timedelta(days=90), d - timedelta(days=10)))
        b.expect(e, 1, "renewal_due", a)

    # ---- near-misses: no row for any of these patients -------------------------------
    # a cancelled visit without auth
    p = b.patient("COPEC", near_miss=True)
    b.visit(p, b.past(15), [_tf()], status="cancelled")
    # Original Medicare outside the WISeR states
    p = b.patient("MCR", near_miss=True)
    b.visit(p, b.future(11), [_tf()], pos="11", state="CA")
    # a covered WISeR line, billed in the office with its UTN, paid
    p = b.patient("MCR", near_miss=True)
    d = b.past(45)
    e = b.visit(p, d, [_tf(), _tf("64484")], pos="11", levels="L4-L5 L5-S1")
    a = b.auth(p, "64483 64484", program="wiser", valid=window(d), levels="L4-L5 L5-S1", units=2)
    b.bill(e, a["auth_number"])
    # WISeR in an ASC: the UTN is on the facility's claim, not ours
    p = b.patient("MCR", near_miss=True)
    d = b.past(38)
    e = b.visit(p, d, [_tf()], pos="24")
    a = b.auth(p, "64483", program="wiser", valid=window(d))
    b.bill(e, "")
    # the Original Medicare hospital-outpatient list: 64493 in POS 22, no number on our claim
    p = b.patient("MCR", near_miss=True)
    d = b.past(33)
    e = b.visit(
        p,
        d,
        [Line("64493", "50", 1, "bilateral"), Line("64494", "50", 1, "bilateral")],
        pos="22",
        levels="L4-L5 L5-S1",
    )
    a = b.auth(
        p, "64493 64494", valid=window(d), levels="L4-L5 L5-S1", laterality="bilateral", units=2
    )
    b.bill(e, "")
    # a bilateral auth covering one side
    p = b.patient("COPEC", near_miss=True)
    d = b.future(12)
    b.visit(p, d, [_tf()])
    b.auth(p, "64483", valid=window(d), laterality="bilateral")
    # a withdrawn request (the latest) beside an approved one
    p = b.patient("COPEC", near_miss=True)
    d = b.future(14)
    b.visit(p, d, [_tf()])
    b.auth(p, "64483", valid=window(d), request=b.as_of - timedelta(days=30))
    b.auth(p, "64483 64484", decision="withdrawn", request=b.as_of - timedelta(days=5))
    # an add-on within the approved units
    p = b.patient("COPEC", near_miss=True)
    d = b.future(15)
    b.visit(p, d, [_tf(), _tf("64484")], levels="L4-L5 L5-S1")
    b.auth(p, "64483 64484", valid=window(d), levels="L4-L5 L5-S1", units=2)
    # a denial overturned on appeal counts as approved
    p = b.patient("MABRZ", near_miss=True)
    d = b.future(16)
    b.visit(p, d, [_tf()])
    b.auth(
        p,
        "64483",
        decision="denied",
        appealed="true",
        appeal_decision="approved",
        valid=window(d),
        request=b.as_of - timedelta(days=40),
    )
    # Medicare Advantage in a WISeR state: payer PA only, no WISeR
    p = b.patient("MAPEC", near_miss=True)
    d = b.future(18)
    b.visit(p, d, [_tf()], pos="11")
    b.auth(p, "64483", valid=window(d))
    return b.finish()
