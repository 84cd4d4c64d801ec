"""Payer PA benchmark: the practice's own PA figures beside the payer's CMS-0057-F report."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "payer_pa_benchmark"
ui.header("Payer PA benchmark", "Same definitions as the payer's public report: like for like.")
years = ui.multiselect("Report year", MART, "report_year", key="bm_year")
types = st.sidebar.multiselect("Request type", ["standard", "expedited"], key="bm_type")
payers = ui.multiselect("Payer", MART, "payer_id", key="bm_payer")
filters = Filters.build(values={"report_year": years, "request_type": types, "payer_id": payers})
rows = data.page_rows(MART, filters, limit=500)
if rows.is_empty():
    ui.explain_empty(MART, "payer rows")
else:
    for request_type in ("standard", "expedited"):
        part = rows.filter(rows["request_type"] == request_type)
        if part.is_empty():
            continue
        st.subheader(request_type.capitalize())
        left, right = st.columns(2)
        left.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_pct_approved", "payer_pct_approved"],
                "% approved: practice vs payer report",
            ),
            key=f"bm_appr_{request_type}",
        )
        right.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_avg_decision_days", "payer_avg_decision_days"],
                "Average decision days: practice vs payer",
            ),
            key=f"bm_days_{request_type}",
        )
        st.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_pct_within_deadline"],
                "% decided within the deadline in force for the payer type",
            ),
            key=f"bm_deadline_{request_type}",
        )
    st.subheader("All rows")
    ui.worklist(MART, filters, "benchmark rows", key="bm")
