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
        ui.money_tile("Denied", totals["denied_amount"][0]),
        ui.money_tile("Recovered", totals["recovered_amount"][0]),
        ui.money_tile("Open past appeal deadline", missed["denied_amount"][0]),
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
carcs = data.names("carc")
st.plotly_chart(
    charts.heatmap(
        heat, "payer_id", "carc", "denied_amount", "Denied dollars: CARC x payer",
        y_labels=carcs,
    ),
    key="dn_heat",
)  # fmt: skip
st.plotly_chart(
    charts.lines(
        trend,
        "month",
        ["denied_amount", "recovered_amount"],
        "Denied and recovered by month",
        unit="money",
        labels={"denied_amount": "Denied", "recovered_amount": "Recovered"},
    ),
    key="dn_trend",
)
st.subheader("Worklist (earliest appeal deadline first)")
rows = ui.worklist(
    MART,
    filters,
    "denials",
    key="dn",
    first=[
        "appeal_deadline",
        "status",
        "denied_amount",
        "carc",
        "denial_category",
        "denial_class",
        "claim_id",
        "line_number",
        "payer_id",
        "procedure_code",
        "service_date",
        "denial_date",
        "group_code",
        "rarcs",
        "recovered_amount",
    ],
)
work.appeal_buttons(rows)
