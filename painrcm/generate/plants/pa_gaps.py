"""PA coverage gaps (marts.pa_coverage_gaps, rules.md §2-5): every gap type on patients of its own.

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
from datetime import date, timedelta

from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.visits import VisitBuilder
from painrcm.generate.practice import Enc, Line

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


class PaGapBuilder(VisitBuilder):
    """The visit builder plus the PA-gap rows a scenario expects (the plant's ground truth)."""

    def __init__(self, ctx: PlantContext):
        super().__init__(ctx)
        self.expected: list[tuple[Enc, int, str, str]] = []  # enc, line no, gap, auth_id

    def expect(self, e: Enc, line_no: int, gap_type: str, auth: dict | None) -> None:
        self.expected.append((e, line_no, gap_type, auth["auth_id"] if auth else ""))

    def finish_with_truth(self) -> PlantOutput:
        out = self.finish("pa_gaps")
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
                    "revenue_at_risk": str(self.fee(e.patient.payer, ln, e)),
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
    b = PaGapBuilder(ctx)

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
    # from an affirmed request (rules.md §4 step 6: matched like a primary)
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
    return b.finish_with_truth()
