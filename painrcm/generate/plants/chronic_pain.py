"""Chronic pain management capture (marts.chronic_pain_capture, rules.md §14) on patients of
its own: care_time activities, the G3002/G3003 claims (paid per contract) and, where the
chronic pain has to be documented elsewhere, an E/M visit billed with G89.29. Findings:
uncaptured, under_captured, over_billed (also billing with no care time), and
initial_visit_required. Near-misses: 29 minutes in a later month (no G3002 expected, none
billed), exactly 30 in-person minutes billed G3002, exactly 45 minutes billed G3002 + G3003.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.visits import VisitBuilder, ground_truth_csv
from painrcm.generate.practice import Enc, Line

SECTION = "chronic_pain_capture"
NEAR_MISS_SECTION = "chronic_pain_capture_near_misses"
PAYER = "MCR"
DX = "G89.29 M54.50"


def _month(as_of: date, back: int) -> date:
    y, m = as_of.year, as_of.month - back
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def plant(ctx: PlantContext) -> PlantOutput:
    b = VisitBuilder(ctx)
    care: list[list[str]] = []
    expected: list[dict] = []
    near: list[str] = []
    n_act = 0

    def fee(code: str, d: date) -> Decimal:
        return ctx.book.fee(PAYER, code, "", "11", d)

    def activity(p, d: date, minutes: int, in_person: bool, what: str) -> None:
        nonlocal n_act
        n_act += 1
        row = {
            "activity_id": f"CT9{ctx.namespace:02d}{n_act:05d}",
            "patient_id": p.pid,
            "payer_id": PAYER,
            "rendering_npi": p.provider.npi,
            "activity_date": d.isoformat(),
            "minutes": str(minutes),
            "in_person": "true" if in_person else "false",
            "activity": what,
        }
        care.append([row.get(c, "") for c in EXTRACTS["care_time"].column_names])

    def bill_month(p, d: date, g3002: int, g3003: int) -> None:
        lines = [Line("G3002", "", 1)] * g3002 + ([Line("G3003", "", g3003)] if g3003 else [])
        e = Enc(p, d, "11", lines, "ccm", DX)
        b.bill(e)

    def em_visit(p, d: date) -> None:
        """An office visit billed with a chronic pain diagnosis (documents chronic pain)."""
        e = b.visit(p, d, [Line("99213")], pos="11", region="", levels="")
        e.dx = DX
        e.modality, e.image_saved = "", ""
        b.bill(e)

    def expect(p, m: date, minutes: int, exp: tuple[int, int], billed: tuple[int, int], finding):
        missed = fee("G3002", m) * max(exp[0] - billed[0], 0) + fee("G3003", m) * max(
            exp[1] - billed[1], 0
        )
        risk = fee("G3002", m) * max(billed[0] - exp[0], 0) + fee("G3003", m) * max(
            billed[1] - exp[1], 0
        )
        expected.append(
            {
                "patient_id": p.pid,
                "rendering_npi": p.provider.npi,
                "month": m.isoformat(),
                "minutes_documented": str(minutes),
                "expected_g3002_units": str(exp[0]),
                "expected_g3003_units": str(exp[1]),
                "billed_g3002_units": str(billed[0]),
                "billed_g3003_units": str(billed[1]),
                "finding": finding,
                "missed_revenue": str(missed.quantize(Decimal("0.01"))),
                "compliance_risk_amount": str(risk.quantize(Decimal("0.01"))),
            }
        )

    m3, m2 = _month(ctx.as_of, 3), _month(ctx.as_of, 2)
    # uncaptured: 45 minutes (G3002 + one G3003), chronic pain on an E/M claim, nothing billed
    for k in range(2):
        p = b.patient(PAYER)
        em_visit(p, m3 + timedelta(days=1 + k))
        activity(p, m3 + timedelta(days=3 + k), 35, True, "initial chronic pain management visit")
        activity(p, m3 + timedelta(days=12), 10, False, "care plan review")
        expect(p, m3, 45, (1, 1), (0, 0), "uncaptured")
    # under_captured: 65 minutes (two G3003 units), one billed
    for k in range(2):
        p = b.patient(PAYER)
        activity(p, m3 + timedelta(days=4 + k), 40, True, "initial chronic pain management visit")
        activity(p, m3 + timedelta(days=15), 25, False, "medication management")
        bill_month(p, m3 + timedelta(days=15), 1, 1)
        expect(p, m3, 65, (1, 2), (1, 1), "under_captured")
    # over_billed: 35 minutes billed with a G3003; a month billed with no care time at all
    p = b.patient(PAYER)
    activity(p, m3 + timedelta(days=5), 30, True, "initial chronic pain management visit")
    activity(p, m3 + timedelta(days=9), 5, False, "care coordination call")
    bill_month(p, m3 + timedelta(days=9), 1, 1)
    expect(p, m3, 35, (1, 0), (1, 1), "over_billed")
    p = b.patient(PAYER)
    bill_month(p, m2 + timedelta(days=6), 1, 0)
    expect(p, m2, 0, (0, 0), (1, 0), "over_billed")
    # initial_visit_required: 40 minutes, none in person, in the first month
    for k in range(2):
        p = b.patient(PAYER)
        em_visit(p, m3 + timedelta(days=2 + k))
        activity(p, m3 + timedelta(days=8 + k), 25, False, "care coordination call")
        activity(p, m3 + timedelta(days=18), 15, False, "patient education")
        expect(p, m3, 40, (0, 0), (0, 0), "initial_visit_required")

    # near-misses: exactly 30 in-person minutes billed G3002, then 29 minutes unbilled;
    # exactly 45 minutes billed G3002 + G3003
    p = b.patient(PAYER, near_miss=True)
    activity(p, m3 + timedelta(days=6), 30, True, "initial chronic pain management visit")
    bill_month(p, m3 + timedelta(days=6), 1, 0)
    activity(p, m2 + timedelta(days=3), 20, False, "care plan review")
    activity(p, m2 + timedelta(days=10), 9, False, "medication management")
    near.append(p.pid)
    p = b.patient(PAYER, near_miss=True)
    activity(p, m3 + timedelta(days=7), 30, True, "initial chronic pain management visit")
    activity(p, m3 + timedelta(days=16), 15, False, "care plan review")
    bill_month(p, m3 + timedelta(days=16), 1, 1)
    near.append(p.pid)

    out = b.finish("chronic_pain")
    out.extra_rows.setdefault("care_time", []).extend(care)
    out.findings[SECTION] = expected
    ground_truth_csv(out, SECTION, expected)
    out.findings[NEAR_MISS_SECTION] = [{"patient_id": pid} for pid in near]
    return out
