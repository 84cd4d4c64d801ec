"""A/R worklist: open claims in the order a biller should work them, each with its reason."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "ar_worklist"
ui.header(
    "A/R worklist",
    "Open claims, rank 1 first: every claim to act on before every `wait` claim; then value "
    "and deadlines dominate, age alone does not.",
)
payers = ui.multiselect("Payer", MART, "payer_id", key="ar_payer")
actions = ui.multiselect("Next action", MART, "next_action", key="ar_action")
buckets = ui.multiselect("Age bucket", MART, "age_bucket", key="ar_bucket")
providers = ui.multiselect("Provider (rendering NPI)", MART, "rendering_npi", key="ar_npi")
st.sidebar.caption("Every claim with something to do today comes before every `wait` claim.")
filters = Filters.build(
    values={
        "payer_id": payers,
        "next_action": actions,
        "age_bucket": buckets,
        "rendering_npi": providers,
    }
)
totals = data.aggregate(MART, [], ["open_balance"], filters)
acting = data.aggregate(
    MART, [], ["open_balance"], Filters(filters.values, filters.ranges, ("not_wait",))
)
ui.metric_row(
    [
        ("Open claims", f"{totals['rows'][0]:,}"),
        ui.money_tile("Open balance", totals["open_balance"][0]),
        ("To act on today", f"{acting['rows'][0]:,}"),
        ui.money_tile("Balance to act on", acting["open_balance"][0]),
    ]
)
# The buckets of seed ar_age_buckets as the mart made them, youngest first.
AGE_BUCKETS = data.ordered_by(MART, "age_bucket", "age_days")
by = data.aggregate(MART, ["age_bucket", "next_action"], ["open_balance"], filters)
st.plotly_chart(
    charts.bar(
        by,
        "age_bucket",
        "open_balance",
        "Open balance by age and action",
        color="next_action",
        category_order=AGE_BUCKETS,
        labels=ui.ACTIONS,
        x_title="Age (days since submission)",
    ),
    key="ar_chart",
)
st.subheader("Worklist (priority order)")
ui.worklist(
    MART,
    filters,
    "open claims",
    key="ar",
    first=[
        "priority_rank",
        "next_action",
        "what_to_do",
        "open_balance",
        "priority_reason",
        "appeal_deadline",
        "timely_filing_deadline",
        "claim_id",
        "patient_id",
        "payer_id",
        "rendering_npi",
        "service_date",
        "submitted_date",
        "age_days",
        "age_bucket",
        "days_to_timely_filing",
    ],
    order="priority_rank",
    derive=ui.with_what_to_do,
    derive_exports=True,
    labels={"what_to_do": "What to do"},
)
