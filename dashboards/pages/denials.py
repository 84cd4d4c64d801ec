"""Denials: CARC x payer, trend, recovery and the dollars past their appeal deadline."""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui, work
from dashboards.data import Filters

MART = "denials"
ui.header("Denials", "Denied and reduced-to-zero line adjustments from the 835s.")
start, end = ui.date_range("Denial dates", MART, "denial_date", key="dn_dates")
payers = ui.multiselect("Payer", MART, "payer_id", key="dn_payer")
categories = ui.multiselect("Category", MART, "denial_category", key="dn_cat")
classes = ui.multiselect("Class", MART, "denial_class", key="dn_class")
statuses = ui.multiselect("Status", MART, "status", key="dn_status")
values = {
    "payer_id": payers,
    "denial_category": categories,
    "denial_class": classes,
    "status": statuses,
}
ranges = {"denial_date": (start, end)}
filters = Filters.build(values=values, ranges=ranges)
totals = data.aggregate(MART, [], ["denied_amount", "recovered_amount"], filters)
missed = data.aggregate(
    MART, [], ["denied_amount"], Filters.build(values, ranges, extra=["missed_deadline"])
)
ui.metric_row(
    [
        ("Denied lines", f"{totals['rows'][0]:,}"),
        ("Denied", ui.money(totals["denied_amount"][0])),
        ("Recovered", ui.money(totals["recovered_amount"][0])),
        ("Open past appeal deadline", ui.money(missed["denied_amount"][0])),
    ]
)
heat = data.aggregate(MART, ["carc", "payer_id"], ["denied_amount"], filters)
daily = data.aggregate(MART, ["denial_date"], ["denied_amount", "recovered_amount"], filters)
trend = (
    daily.with_columns(pl.col("denial_date").dt.truncate("1mo").alias("month"))
    .group_by("month")
    .agg(pl.col("denied_amount", "recovered_amount").sum())
    .sort("month")
)
left, right = st.columns(2)
left.plotly_chart(
    charts.heatmap(heat, "payer_id", "carc", "denied_amount", "Denied dollars: CARC x payer"),
    key="dn_heat",
)
right.plotly_chart(
    charts.lines(
        trend,
        "month",
        ["denied_amount", "recovered_amount"],
        "Denied and recovered by month",
        money=True,
    ),
    key="dn_trend",
)
st.subheader("Worklist (earliest appeal deadline first)")
rows = ui.worklist(MART, filters, "denials", key="dn")
work.appeal_buttons(rows)
