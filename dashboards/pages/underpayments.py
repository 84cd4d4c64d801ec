"""Underpayments: paid lines allowed below contract, by payer and reason, with dispute-by."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "mppr_underpayments"
ui.header("Underpayments", "Allowed below contract after MPPR and bilateral pricing.")
start, end = ui.date_range("Remit dates", MART, "remit_date", key="up_dates")
reasons = ui.multiselect("Reason", MART, "variance_reason", key="up_reason")
payers = ui.multiselect("Payer", MART, "payer_id", key="up_payer")
open_only = st.sidebar.checkbox("Dispute window still open", key="up_open")
filters = Filters.build(
    values={"variance_reason": reasons, "payer_id": payers},
    ranges={"remit_date": (start, end)},
    extra=["dispute_open"] if open_only else [],
)
totals = data.aggregate(MART, [], ["variance"], filters)
ui.metric_row(
    [
        ("Underpaid lines", f"{totals['rows'][0]:,}"),
        ("Variance", ui.money(totals["variance"][0])),
    ]
)
left, right = st.columns(2)
by = data.aggregate(MART, ["payer_id", "variance_reason"], ["variance"], filters)
left.plotly_chart(
    charts.bar(by, "payer_id", "variance", "Variance by payer and reason", color="variance_reason"),
    key="up_by",
)
countdown = data.aggregate(MART, ["dispute_by"], ["variance"], filters, order="dispute_by")
right.plotly_chart(
    charts.bar(countdown, "dispute_by", "variance", "Dispute-by countdown (variance due by date)"),
    key="up_countdown",
)
st.subheader("Worklist (earliest dispute-by first)")
ui.worklist(MART, filters, "underpaid lines", key="up")
