"""Payer PA benchmark: the practice's own PA figures beside the payer's CMS-0057-F report.

One report year at a time (a year picker): figures of different years never stack.
"""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "payer_pa_benchmark"
LABELS = {
    "practice_pct_approved": "Practice: % approved",
    "payer_pct_approved": "Payer report: % approved",
    "practice_avg_decision_days": "Practice: average days",
    "payer_avg_decision_days": "Payer report: average days",
    "practice_pct_within_deadline": "Practice: % within the deadline",
}
ui.header("Payer PA benchmark", "Same definitions as the payer's public report: like for like.")
years = sorted(data.distinct(MART, "report_year"), reverse=True)
reported = data.aggregate(MART, ["report_year"], [], Filters.build(extra=["payer_report"]))
with_report = sorted(reported["report_year"].to_list(), reverse=True) if reported.height else []
default = years.index(with_report[0]) if with_report else 0
year = st.sidebar.selectbox(
    "Report year",
    years,
    index=default,
    key="bm_year",
    help="One year at a time. The default is the latest year with a payer report.",
)
types = st.sidebar.multiselect("Request type", ["standard", "expedited"], key="bm_type")
payers = ui.multiselect("Payer", MART, "payer_id", key="bm_payer")
filters = Filters.build(
    values={"report_year": [year] if year is not None else [], "request_type": types,
            "payer_id": payers}
)  # fmt: skip
rows = data.page_rows(MART, filters, limit=500)
if rows.is_empty():
    ui.explain_empty(MART, "payer rows")
else:
    st.caption(
        f"Report year {year}. A payer without a public report for {year} shows the practice's "
        "bars only."
    )
    for request_type in ("standard", "expedited"):
        part = rows.filter(rows["request_type"] == request_type)
        if part.is_empty():
            continue
        st.subheader(f"{request_type.capitalize()} requests, {year}")
        left, right = st.columns(2)
        left.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_pct_approved", "payer_pct_approved"],
                "% approved: practice vs payer report",
                unit="percent",
                labels=LABELS,
            ),
            key=f"bm_appr_{request_type}",
        )
        right.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_avg_decision_days", "payer_avg_decision_days"],
                "Average decision time (days): practice vs payer",
                unit="days",
                labels=LABELS,
            ),
            key=f"bm_days_{request_type}",
        )
        st.plotly_chart(
            charts.grouped_bars(
                part,
                "payer_id",
                ["practice_pct_within_deadline"],
                "% decided within the deadline in force for the payer type",
                unit="percent",
                labels=LABELS,
            ),
            key=f"bm_deadline_{request_type}",
        )
    st.subheader(f"Every row, {year}")
    ui.worklist(
        MART,
        filters,
        "benchmark rows",
        key="bm",
        first=[
            "payer_id",
            "request_type",
            "practice_requests",
            "practice_pct_approved",
            "payer_pct_approved",
            "approval_gap_pts",
            "practice_avg_decision_days",
            "payer_avg_decision_days",
            "decision_days_gap",
            "practice_pct_within_deadline",
        ],
    )
