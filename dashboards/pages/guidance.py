"""Guidance: imaging guidance to recapture, and guidance billed at compliance risk, apart.

rules.md §6: a recapture_amount may be negative (the with-imaging code pays less than what was
billed): that is a compliance correction, not money to gain, so it is never netted into
"to recapture".
"""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "guidance_recapture"
FINDINGS = {
    "missing_guidance_code": "Guidance documented, not billed",
    "code_should_include_imaging": "Billed without the with-imaging code",
    "unbundled_guidance": "Guidance billed separately (bundled)",
    "undocumented_guidance": "Guidance billed, not documented",
}
ui.header("Guidance", "Imaging guidance documented but not billed, or billed at risk.")
start, end = ui.date_range("Service dates", MART, "service_date", key="gd_dates")
findings = ui.multiselect("Finding", MART, "finding_type", key="gd_finding")
payers = ui.multiselect("Payer", MART, "payer_id", key="gd_payer")
values = {"finding_type": findings, "payer_id": payers}
ranges = {"service_date": (start, end)}
filters = Filters.build(values=values, ranges=ranges)
gain = Filters.build(values, ranges, extra=["recapture_gain"])
correction = Filters.build(values, ranges, extra=["recapture_correction"])
totals = data.aggregate(MART, [], ["compliance_risk_amount"], filters)
gains = data.aggregate(MART, [], ["recapture_amount"], gain)
corrections = data.aggregate(MART, [], ["recapture_amount"], correction)
corrected = -(corrections["recapture_amount"][0] or 0)
ui.metric_row(
    [
        ("Findings", f"{totals['rows'][0]:,}"),
        ui.money_tile("To recapture", gains["recapture_amount"][0]),
        ui.money_tile("Compliance risk", totals["compliance_risk_amount"][0]),
        ui.money_tile("To correct", corrected),
    ]
)
st.caption(
    "*To recapture*: guidance documented but not (fully) billed. *Compliance risk*: guidance "
    "billed that the chart or the bundling rules do not support. *To correct*: claims billed "
    "above what the with-imaging code pays (rules.md §6 keeps these as negative recapture)."
)
by_gain = data.aggregate(MART, ["finding_type", "payer_id"], ["recapture_amount"], gain)
by_risk = data.aggregate(MART, ["finding_type", "payer_id"], ["compliance_risk_amount"], filters)
by_corr = data.aggregate(MART, ["finding_type", "payer_id"], ["recapture_amount"], correction)
risk = pl.concat(
    [
        by_risk.select(
            "finding_type", "payer_id", pl.col("compliance_risk_amount").alias("amount")
        ).filter(pl.col("amount") > 0),
        by_corr.select(
            pl.lit("code_should_include_imaging").alias("finding_type"),
            "payer_id",
            (-pl.col("recapture_amount")).alias("amount"),
        ),
    ],
    how="vertical_relaxed",
)
left, right = st.columns(2)
left.plotly_chart(
    charts.bar(
        by_gain, "finding_type", "recapture_amount", "To recapture, by finding",
        color="payer_id", labels=FINDINGS,
    ),
    key="gd_recap",
)  # fmt: skip
right.plotly_chart(
    charts.bar(
        risk, "finding_type", "amount", "Compliance risk and corrections, by finding",
        color="payer_id", labels=FINDINGS,
    ),
    key="gd_risk",
)  # fmt: skip
st.subheader("Worklist")
ui.worklist(
    MART,
    filters,
    "guidance findings",
    key="gd",
    first=[
        "service_date",
        "finding_type",
        "recapture_amount",
        "compliance_risk_amount",
        "claim_id",
        "patient_id",
        "payer_id",
        "primary_code",
        "guidance_code",
    ],
)
