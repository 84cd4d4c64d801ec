"""Underpayments: paid lines allowed below contract, by payer and reason, with dispute-by.

A biller works the lines still disputable first (earliest dispute-by first); lines whose
dispute-by date has passed are flagged "past dispute-by" and listed after them.
"""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "mppr_underpayments"
ui.header("Underpayments", "Allowed below contract after MPPR and bilateral pricing.")
as_of = ui.as_of()
start, end = ui.date_range("Remit dates", MART, "remit_date", key="up_dates")
reasons = ui.multiselect("Reason", MART, "variance_reason", key="up_reason")
payers = ui.multiselect("Payer", MART, "payer_id", key="up_payer")
open_only = st.sidebar.checkbox("Dispute window still open", key="up_open")
values = {"variance_reason": reasons, "payer_id": payers}
ranges = {"remit_date": (start, end)}
filters = Filters.build(values, ranges, extra=["dispute_open"] if open_only else [])
totals = data.aggregate(MART, [], ["variance"], filters)
still = data.aggregate(MART, [], ["variance"], Filters.build(values, ranges, ["dispute_open"]))
past = data.aggregate(MART, [], ["variance"], Filters.build(values, ranges, ["past_dispute_by"]))
ui.metric_row(
    [
        ("Underpaid lines", f"{totals['rows'][0]:,}"),
        ui.money_tile("Underpaid by", totals["variance"][0]),
        ui.money_tile(f"Still disputable ({ui.lines(still['rows'][0])})", still["variance"][0]),
        ui.money_tile(f"Past dispute-by ({ui.lines(past['rows'][0])})", past["variance"][0]),
    ]
)
if past["rows"][0]:
    st.caption(
        f"{past['rows'][0]:,} lines are past their dispute-by date (as of {as_of}): flagged "
        "below and listed after the lines still open to dispute."
    )
left, right = st.columns(2)
by = data.aggregate(MART, ["payer_id", "variance_reason"], ["variance"], filters)
left.plotly_chart(
    charts.bar(
        by, "payer_id", "variance", "Underpaid by payer and reason", color="variance_reason"
    ),
    key="up_by",
)
countdown = data.aggregate(
    MART, ["dispute_by"], ["variance"], Filters.build(values, ranges, ["dispute_open"]),
    order="dispute_by",
)  # fmt: skip
right.plotly_chart(
    charts.bar(countdown, "dispute_by", "variance", "Still disputable: dollars by dispute-by date"),
    key="up_countdown",
)


def flag(rows: pl.DataFrame) -> pl.DataFrame:
    """'past dispute-by' or the days left, beside the date."""
    days = (pl.col("dispute_by") - pl.lit(as_of)).dt.total_days()
    return rows.with_columns(
        pl.when(days < 0)
        .then(pl.lit("past dispute-by"))
        .when(days == 0)
        .then(pl.lit("today"))
        .otherwise(days.cast(pl.String) + pl.lit(" days left"))
        .alias("dispute_window")
    )


st.subheader("Worklist (still disputable first, earliest dispute-by first)")
ui.worklist(
    MART,
    filters,
    "underpaid lines",
    key="up",
    order="past_dispute_by, dispute_by, claim_id, line_number",
    derive=flag,
    labels={"dispute_window": "Dispute window"},
    first=[
        "dispute_by",
        "dispute_window",
        "variance",
        "variance_reason",
        "claim_id",
        "line_number",
        "patient_id",
        "payer_id",
        "procedure_code",
        "modifiers",
        "service_date",
        "remit_date",
        "expected_allowed",
        "paid_allowed",
    ],
)
