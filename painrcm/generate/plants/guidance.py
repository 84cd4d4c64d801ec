"""Imaging-guidance plants (rules.md §6): every finding twice or more, each on a patient of its
own, beside near-misses (guidance documented and billed; a claim without an appointment whose
documentation is unknown). Joint, trigger-point and nerve-block codes need no authorization.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.encounters import Builder, money, weekday_before

COLUMNS = [
    "encounter_id",
    "claim_id",
    "appointment_id",
    "patient_id",
    "payer_id",
    "service_date",
    "primary_code",
    "guidance_code",
    "finding_type",
    "recapture_amount",
    "compliance_risk_amount",
]


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    b = Builder(ctx, out, f"9{ctx.namespace:02d}")
    rows: list[dict] = []
    base = weekday_before(ctx.as_of - timedelta(days=55))

    def enc(lines, modality, saved, payer_id="COPEC", billed=True, with_appointment=True, dos=None):
        dos = dos or weekday_before(base + timedelta(days=b.n))
        e = b.encounter(
            payer_id,
            dos,
            "11",
            lines,
            modality,
            saved,
            billed=billed,
            with_appointment=with_appointment,
        )
        if billed:
            b.pay(e, dos + timedelta(days=21))
        return e

    def row(e, primary, guidance, finding, recapture=None, risk=None):
        rows.append(
            {
                "encounter_id": e["claim_id"] or e["appt_id"],
                "claim_id": e["claim_id"],
                "appointment_id": e["appt_id"],
                "patient_id": e["pid"],
                "payer_id": e["payer"].payer_id,
                "service_date": e["dos"].isoformat(),
                "primary_code": primary,
                "guidance_code": guidance,
                "finding_type": finding,
                "recapture_amount": money(recapture),
                "compliance_risk_amount": money(risk),
            }
        )

    # missing_guidance_code: documented, separately billable, not billed
    e = enc([("20552", "", 1)], "ultrasound", True)
    row(e, "20552", "76942", "missing_guidance_code", recapture=b.fee(e, "76942"))
    e = enc([("64450", "LT", 1)], "fluoroscopy", True, payer_id="COGCB")
    row(e, "64450", "77002", "missing_guidance_code", recapture=b.fee(e, "77002"))
    # ... on a completed appointment not billed yet
    e = enc(
        [("20553", "", 1)],
        "ultrasound",
        True,
        billed=False,
        dos=weekday_before(ctx.as_of - timedelta(days=2)),
    )
    row(e, "20553", "76942", "missing_guidance_code", recapture=b.fee(e, "76942"))
    # code_should_include_imaging: ultrasound documented on a without-imaging code
    e = enc([("20610", "RT", 1)], "ultrasound", True)
    row(
        e,
        "20610",
        "20611",
        "code_should_include_imaging",
        recapture=b.fee(e, "20611") - b.fee(e, "20610"),
    )
    e = enc([("20605", "LT", 1)], "ultrasound", True, payer_id="MCDBB")
    row(
        e,
        "20605",
        "20606",
        "code_should_include_imaging",
        recapture=b.fee(e, "20606") - b.fee(e, "20605"),
    )
    # ... with the guidance code billed beside it: not payable once recoded (may be < 0)
    e = enc([("20610", "LT", 1), ("76942", "", 1)], "ultrasound", True)
    row(
        e,
        "20610",
        "20611",
        "code_should_include_imaging",
        recapture=b.fee(e, "20611") - b.fee(e, "20610") - b.fee(e, "76942"),
    )
    e = enc([("20605", "RT", 1), ("76942", "", 1)], "ultrasound", True, payer_id="COGCB")
    row(
        e,
        "20605",
        "20606",
        "code_should_include_imaging",
        recapture=b.fee(e, "20606") - b.fee(e, "20605") - b.fee(e, "76942"),
    )
    # unbundled_guidance: guidance billed with an image-inclusive primary
    e = enc([("20611", "RT", 1), ("76942", "", 1)], "ultrasound", True)
    row(e, "20611", "76942", "unbundled_guidance", risk=b.fee(e, "76942"))
    e = enc([("20606", "LT", 1), ("76942", "", 1)], "ultrasound", True, payer_id="MCR")
    row(e, "20606", "76942", "unbundled_guidance", risk=b.fee(e, "76942"))
    # ... on a claim without an appointment (needs only the claim)
    e = enc([("20611", "LT", 1), ("77002", "", 1)], "fluoroscopy", True, with_appointment=False)
    row(e, "20611", "77002", "unbundled_guidance", risk=b.fee(e, "77002"))
    # undocumented_guidance: guidance billed, no modality or no saved image
    e = enc([("64405", "RT", 1), ("76942", "", 1)], "none", False)
    row(e, "64405", "76942", "undocumented_guidance", risk=b.fee(e, "76942"))
    e = enc([("20552", "", 1), ("77002", "", 1)], "fluoroscopy", False, payer_id="COTRM")
    row(e, "20552", "77002", "undocumented_guidance", risk=b.fee(e, "77002"))

    # ---- near-misses: nothing to flag -------------------------------------------------
    enc([("64405", "LT", 1), ("76942", "", 1)], "ultrasound", True)  # documented and billed
    enc([("20610", "RT", 1), ("77002", "", 1)], "fluoroscopy", True)  # hip: 77002 beside
    enc([("20553", "", 1)], "none", False)  # no guidance at all
    # without an appointment documentation is unknown: no recode or undocumented finding
    enc([("20610", "LT", 1), ("76942", "", 1)], "ultrasound", True, with_appointment=False)

    b.finish()
    out.findings["guidance_recapture"] = rows
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    out.raw_files.append(("ground_truth", "guidance_recapture.csv", buf.getvalue().encode()))
    return out
