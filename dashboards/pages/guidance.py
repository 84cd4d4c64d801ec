"""Guidance: imaging guidance to recapture, and guidance billed at compliance risk."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "guidance_recapture"
ui.header("Guidance", "Imaging guidance documented but not billed, or billed at risk.")
start, end = ui.date_range("Service dates", MART, "service_date", key="gd_dates")
findings = ui.multiselect("Finding", MART, "finding_type", key="gd_finding")
payers = ui.multiselect("Payer", MART, "payer_id", key="gd_payer")
filters = Filters.build(
    values={"finding_type": findings, "payer_id": payers},
    ranges={"service_date": (start, end)},
)
totals = data.aggregate(MART, [], ["recapture_amount", "compliance_risk_amount"], filters)
ui.metric_row(
    [
        ("Findings", f"{totals['rows'][0]:,}"),
        ("To recapture", ui.money(totals["recapture_amount"][0])),
        ("Compliance risk", ui.money(totals["compliance_risk_amount"][0])),
    ]
)
by = data.aggregate(
    MART, ["finding_type", "payer_id"], ["recapture_amount", "compliance_risk_amount"], filters
)
left, right = st.columns(2)
left.plotly_chart(
    charts.bar(by, "finding_type", "recapture_amount", "Recapture by finding", color="payer_id"),
    key="gd_recap",
)
right.plotly_chart(
    charts.bar(
        by, "finding_type", "compliance_risk_amount", "Compliance risk by finding", color="payer_id"
    ),
    key="gd_risk",
)
st.subheader("Worklist")
ui.worklist(MART, filters, "guidance findings", key="gd")
