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
# marts.contracts_by_payer: a payer's whole contract (the code filters narrow the table below)
by_payer = data.contracts_by_payer(Filters.build(values={"payer_id": payers}))
if by_payer.is_empty():
    ui.explain_empty(MART, "fee schedule rows")
else:
    ui.metric_row(
        [
            ui.money_tile("Revenue, last 12 months", by_payer["revenue_last_12_months"].sum()),
            ui.money_tile("Gain at +10 points of Medicare", by_payer["gain_of_10_points"].sum()),
        ]
    )
    left, right = st.columns(2)
    left.plotly_chart(
        charts.bar(
            by_payer,
            "payer_id",
            "weighted_pct_of_medicare",
            "Volume-weighted % of Medicare",
            unit="percent",
        ),
        key="ct_pct",
    )
    right.plotly_chart(
        charts.bar(by_payer, "payer_id", "gain_of_10_points", "Revenue of 10 more points"),
        key="ct_gain",
    )
    ui.table(
        by_payer,
        key="ct_payers",
        units={
            "units_last_12_months": "count",
            "revenue_last_12_months": "money",
            "revenue_at_medicare": "money",
            "weighted_pct_of_medicare": "percent",
            "gain_of_10_points": "money",
        },
        labels={
            "payer_id": "Payer",
            "units_last_12_months": "Units, 12 months",
            "revenue_last_12_months": "Revenue, 12 months",
            "revenue_at_medicare": "Revenue at Medicare rates",
            "weighted_pct_of_medicare": "% of Medicare (volume-weighted)",
            "gain_of_10_points": "Gain of +10 points",
        },
        first=["payer_id", "weighted_pct_of_medicare", "gain_of_10_points"],
    )
    st.subheader("By code")
    ui.worklist(
        MART,
        filters,
        "fee schedule rows",
        key="ct",
        first=[
            "payer_id",
            "procedure_code",
            "modifier",
            "setting",
            "pct_of_medicare",
            "allowed_amount",
            "medicare_allowed",
            "units_last_12_months",
            "revenue_last_12_months",
            "revenue_at_medicare_plus_10pts",
        ],
    )
