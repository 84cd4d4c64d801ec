"""Pre-procedure readiness (marts.procedure_readiness, rules.md §13): every check on patients of
its own, built with the visit builder (plants/visits.py) so each upcoming line has an
approved, covering authorization (no PA gap) and each past session is billed with its auth
number and paid per contract. Near-misses sit exactly on the thresholds and must produce no
row: 4 weeks of pain and of conservative care before an ESI, a repeat ESI after exactly 50%
relief, two MBBs at exactly 80% relief exactly 14 days apart, a repeat RFA after 50% relief
for 26 weeks, a psychological evaluation on an earlier trial line, a trial with exactly 50%
relief.
"""

from __future__ import annotations

from datetime import date, timedelta

from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.visits import VisitBuilder, ground_truth_csv
from painrcm.generate.practice import Enc, Line

SECTION = "procedure_readiness"
NEAR_MISS_SECTION = "procedure_readiness_near_misses"


class Scenarios:
    def __init__(self, ctx: PlantContext):
        self.b = VisitBuilder(ctx)
        self.expected: list[dict] = []

    def covered_visit(self, p, d: date, lines: list[Line], levels: str = "L4-L5", **kw) -> Enc:
        """A visit with an approved auth covering its codes, units and levels."""
        b = self.b
        codes = " ".join(sorted({ln.code for ln in lines}))
        units = sum(ln.units for ln in lines)
        # a past visit's auth spans only its own week, so a patient's repeat sessions never
        # draw on one another's authorization
        valid = (
            (d - timedelta(days=4), d + timedelta(days=4))
            if d <= b.as_of
            else (d - timedelta(days=20), d + timedelta(days=60))
        )
        a = b.auth(
            p,
            codes,
            valid=valid,
            region=kw.get("region", "lumbar"),
            levels=levels,
            units=units,
        )
        e = b.visit(p, d, lines, levels=levels, auth_number=a["auth_number"], **kw)
        if e.status == "completed":
            b.bill(e, a["auth_number"])
        return e

    def expect(self, e: Enc, line_no: int, finding: str) -> None:
        ln = e.lines[line_no - 1]
        self.expected.append(
            {
                "appointment_id": e.appt_id,
                "line_number": str(line_no),
                "patient_id": e.patient.pid,
                "procedure_code": ln.code,
                "finding": finding,
                "revenue_at_risk": str(self.b.fee(e.patient.payer, ln, e)),
            }
        )


def _tf(code: str = "64483", units: int = 1) -> Line:
    return Line(code, "LT", units, "left")


def _mbb(code: str = "64493") -> Line:
    return Line(code, "LT", 1, "left")


def _rfa(code: str = "64635") -> Line:
    return Line(code, "LT", 1, "left")


def plant(ctx: PlantContext) -> PlantOutput:
    s = Scenarios(ctx)
    b = s.b
    near: list[str] = []

    # ESI documentation: short pain, short conservative care, missing fields
    for payer_id, days, weeks in (("COPEC", 10, "3"), ("COGCB", 17, "2")):
        p = b.patient(payer_id)
        e = s.covered_visit(p, b.future(days), [_tf()])
        e.pain_weeks = weeks
        s.expect(e, 1, "pain_duration_short")
    for payer_id, days, weeks in (("COPEC", 12, "2"), ("MCDBB", 19, "3")):
        p = b.patient(payer_id)
        e = s.covered_visit(p, b.future(days), [_tf()])
        e.conservative = weeks
        s.expect(e, 1, "conservative_care_short")
    for payer_id, days, both in (("COPEC", 9, False), ("COGCB", 22, True)):
        p = b.patient(payer_id)
        e = s.covered_visit(p, b.future(days), [_tf()])
        e.pain_weeks = ""
        if both:
            e.conservative = ""
        s.expect(e, 1, "documentation_missing")
    # near-miss: exactly 4 weeks of pain and of conservative care
    p = b.patient("COPEC", near_miss=True)
    e = s.covered_visit(p, b.future(13), [_tf()])
    e.pain_weeks, e.conservative = "4", "4"
    near.append(p.pid)

    # repeat ESI: the last session's relief below 50%, or not documented
    for payer_id, relief in (("COPEC", 40), ("COGCB", 20), ("MCDBB", None)):
        p = b.patient(payer_id)
        prior = s.covered_visit(p, b.past(70), [_tf()])
        prior.relief_pct, prior.relief_weeks = relief, 6 if relief is not None else None
        e = s.covered_visit(p, b.future(14), [_tf()])
        s.expect(e, 1, "repeat_relief_insufficient")
    p = b.patient("COPEC", near_miss=True)
    prior = s.covered_visit(p, b.past(75), [_tf()])
    prior.relief_pct, prior.relief_weeks = 50, 8
    s.covered_visit(p, b.future(15), [_tf()])
    near.append(p.pid)

    # first RFA: diagnostic blocks missing (one block; two too close; one below 80%)
    for gap, reliefs in ((None, (85,)), (10, (85, 90)), (21, (85, 79)), (21, (85, None))):
        p = b.patient("COPEC")
        d1 = b.past(90)
        m1 = s.covered_visit(p, d1, [_mbb()])
        m1.relief_pct, m1.relief_weeks = reliefs[0], 0
        if gap is not None:
            m2 = s.covered_visit(p, d1 + timedelta(days=gap), [_mbb()])
            m2.relief_pct, m2.relief_weeks = reliefs[1], 0
        e = s.covered_visit(p, b.future(18), [_rfa()])
        s.expect(e, 1, "diagnostic_blocks_missing")
    # near-miss: two MBBs at exactly 80% relief exactly 14 days apart
    p = b.patient("COPEC", near_miss=True)
    d1 = b.past(90)
    m1 = s.covered_visit(p, d1, [_mbb()])
    m1.relief_pct, m1.relief_weeks = 80, 0
    m2 = s.covered_visit(p, d1 + timedelta(days=14), [_mbb()])
    m2.relief_pct, m2.relief_weeks = 80, 0
    s.covered_visit(p, b.future(18), [_rfa()])
    near.append(p.pid)

    # repeat RFA: too little or too short relief; near-miss 50% for exactly 26 weeks
    for relief, weeks in ((60, 20), (40, 30)):
        p = b.patient("COPEC")
        prior = s.covered_visit(p, b.past(200), [_rfa()])
        prior.relief_pct, prior.relief_weeks = relief, weeks
        e = s.covered_visit(p, b.future(21), [_rfa()])
        s.expect(e, 1, "repeat_relief_insufficient")
    p = b.patient("COPEC", near_miss=True)
    prior = s.covered_visit(p, b.past(200), [_rfa()])
    prior.relief_pct, prior.relief_weeks = 50, 26
    s.covered_visit(p, b.future(21), [_rfa()])
    near.append(p.pid)

    # SCS: psychological evaluation missing before a trial
    for days in (11, 24):
        p = b.patient("COPEC")
        e = s.covered_visit(p, b.future(days), [Line("63650", "", 2)], region="thoracic")
        s.expect(e, 1, "psych_eval_missing")
    # near-miss: the evaluation is on an earlier (cancelled-then-kept) trial line
    p = b.patient("COPEC", near_miss=True)
    s.covered_visit(p, b.past(40), [Line("63650", "", 2)], region="thoracic", psych="true")
    s.covered_visit(p, b.future(25), [Line("63650", "", 2)], region="thoracic")
    near.append(p.pid)

    # SCS permanent: the trial gave too little relief, or no trial at all
    for relief in (30, None):
        p = b.patient("COPEC")
        if relief is not None:
            t = s.covered_visit(
                p, b.past(60), [Line("63650", "", 2)], region="thoracic", psych="true"
            )
            t.relief_pct, t.relief_weeks = relief, 1
        e = s.covered_visit(p, b.future(30), [Line("63685")], region="thoracic", psych="true")
        s.expect(e, 1, "scs_trial_not_successful")
    p = b.patient("COPEC", near_miss=True)
    t = s.covered_visit(p, b.past(60), [Line("63650", "", 2)], region="thoracic", psych="true")
    t.relief_pct, t.relief_weeks = 50, 1
    s.covered_visit(p, b.future(30), [Line("63685")], region="thoracic", psych="true")
    near.append(p.pid)

    # levels: three transforaminal levels; a third facet level
    for payer_id in ("COPEC", "COGCB"):
        p = b.patient(payer_id)
        e = s.covered_visit(p, b.future(16), [_tf(), _tf("64484", 2)], levels="L3-L4 L4-L5 L5-S1")
        s.expect(e, 2, "levels_exceeded")
    p = b.patient("COPEC")
    e = s.covered_visit(
        p, b.future(20), [_mbb(), _mbb("64494"), _mbb("64495")], levels="L3-L4 L4-L5 L5-S1"
    )
    s.expect(e, 3, "levels_exceeded")
    # near-miss: exactly two transforaminal levels
    p = b.patient("COPEC", near_miss=True)
    s.covered_visit(p, b.future(16), [_tf(), _tf("64484")], levels="L4-L5 L5-S1")
    near.append(p.pid)

    out = b.finish("readiness")
    out.findings[SECTION] = s.expected
    ground_truth_csv(out, SECTION, s.expected)
    out.findings[NEAR_MISS_SECTION] = [{"patient_id": pid} for pid in near]
    return out
