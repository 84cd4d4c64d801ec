"""Contracts: each payer's fee as % of Medicare, volume-weighted, and 10 more points' worth."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "fee_schedule_comparison"
ui.header("Contracts", "Contracted rates beside Medicare's, weighted by the practice's volume.")
payers = ui.multiselect("Payer", MART, "payer_id", key="ct_payer")
families = ui.multiselect("Procedure family", MART, "procedure_family", key="ct_family")
codes = ui.multiselect("Procedure code", MART, "procedure_code", key="ct_code")
filters = Filters.build(
    values={"payer_id": payers, "procedure_family": families, "procedure_code": codes}
)
by_payer = data.contracts_by_payer(filters)
if by_payer.is_empty():
    ui.explain_empty(MART, "fee schedule rows")
else:
    ui.metric_row(
        [
            ("Revenue, last 12 months", ui.money(by_payer["revenue_last_12_months"].sum())),
            ("Gain at +10 points of Medicare", ui.money(by_payer["gain_of_10_points"].sum())),
        ]
    )
    left, right = st.columns(2)
    left.plotly_chart(
        charts.bar(
            by_payer,
            "payer_id",
            "weighted_pct_of_medicare",
            "Volume-weighted % of Medicare",
            money=False,
        ),
        key="ct_pct",
    )
    right.plotly_chart(
        charts.bar(by_payer, "payer_id", "gain_of_10_points", "Revenue of 10 more points"),
        key="ct_gain",
    )
    ui.show_frame(by_payer, key="ct_payers")
    st.subheader("By code")
    ui.worklist(MART, filters, "fee schedule rows", key="ct")
