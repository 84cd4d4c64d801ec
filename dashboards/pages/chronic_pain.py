"""Chronic pain: G3002/G3003 months uncaptured or over-billed, and what they are worth."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "chronic_pain_capture"
ui.header("Chronic pain", "Expected vs billed G3002/G3003 units per patient, provider and month.")
start, end = ui.date_range("Months", MART, "month", key="cp_months")
findings = ui.multiselect("Finding", MART, "finding", key="cp_finding")
providers = ui.multiselect("Provider (rendering NPI)", MART, "rendering_npi", key="cp_npi")
payers = ui.multiselect("Payer", MART, "payer_id", key="cp_payer")
filters = Filters.build(
    values={"finding": findings, "rendering_npi": providers, "payer_id": payers},
    ranges={"month": (start, end)},
)
totals = data.aggregate(MART, [], ["missed_revenue", "compliance_risk_amount"], filters)
ui.metric_row(
    [
        ("Patient-months", f"{totals['rows'][0]:,}"),
        ui.money_tile("Missed revenue", totals["missed_revenue"][0]),
        ui.money_tile("Compliance risk", totals["compliance_risk_amount"][0]),
    ]
)
by = data.aggregate(
    MART, ["month", "finding"], ["missed_revenue", "compliance_risk_amount"], filters
)
left, right = st.columns(2)
left.plotly_chart(
    charts.bar(by, "month", "missed_revenue", "Missed revenue by month", color="finding"),
    key="cp_missed",
)
right.plotly_chart(
    charts.bar(
        by,
        "month",
        "compliance_risk_amount",
        "Over-billed (compliance risk) by month",
        color="finding",
    ),
    key="cp_risk",
)
st.subheader("Worklist")
ui.worklist(
    MART,
    filters,
    "chronic pain findings",
    key="cp",
    first=[
        "month",
        "finding",
        "missed_revenue",
        "compliance_risk_amount",
        "patient_id",
        "rendering_npi",
        "payer_id",
    ],
)
