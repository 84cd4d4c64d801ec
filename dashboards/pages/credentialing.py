"""Credentialing: licences, DEA registrations and CAQH attestations coming due or lapsed.

A licence or DEA registration whose days_left is negative has expired: the page says so
("expired 10 days ago"); a CAQH re-attestation past due is "overdue".
"""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters
from painrcm import words

MART = "credentialing_alerts"
ALERTS = words.ALERTS
ui.header("Credentialing", "Expiring licences and DEA registrations, CAQH re-attestations.")
types = ui.multiselect("Alert", MART, "alert_type", key="cr_type")
npis = ui.multiselect("Provider (NPI)", MART, "npi", key="cr_npi")
overdue = st.sidebar.checkbox("Expired or overdue only", key="cr_overdue")
filters = Filters.build(
    values={"alert_type": types, "npi": npis}, extra=["overdue"] if overdue else []
)
every = data.aggregate(MART, [], [], filters)
lapsed = data.aggregate(
    MART, [], [], Filters(filters.values, filters.ranges, (*filters.extra, "overdue"))
)
soon = data.aggregate(
    MART, [], [], Filters(filters.values, filters.ranges, (*filters.extra, "due_soon"))
)
# The window is the mart's (seed practice_policies credential_due_soon_days), not the page's.
window = data.distinct(MART, "due_soon_days")
ui.metric_row(
    [
        ("Alerts", f"{every['rows'][0]:,}"),
        ("Expired or overdue", f"{lapsed['rows'][0]:,}"),
        (
            f"Due within {window[0]} days" if window else "Due soon",
            f"{soon['rows'][0]:,}",
            "Not yet lapsed and due within the window of seed practice_policies "
            "(credential_due_soon_days).",
        ),
    ]
)


by = data.aggregate(MART, ["alert_type", "days_left"], [], filters)
if not by.is_empty():
    by = by.with_columns(
        pl.when(pl.col("days_left") < 0)
        .then(pl.lit("Expired or overdue"))
        .otherwise(pl.lit("Coming due"))
        .alias("state")
    )
st.plotly_chart(
    charts.bar(
        by,
        "alert_type",
        "rows",
        "Alerts by type",
        color="state",
        unit="count",
        labels=ALERTS,
        category_order=list(ALERTS),
        colors={"Expired or overdue": "#d62728", "Coming due": "#1f77b4"},
    ),
    key="cr_chart",
)
st.subheader("Worklist (earliest due first)")
ui.worklist(
    MART,
    filters,
    "credentialing alerts",
    key="cr",
    derive=words.with_alert_words,  # the alert and its status in words, downloads too
    derive_exports=True,
    labels={"status": "Status", "alert": "Alert"},
    first=["due_date", "status", "alert", "provider_name", "npi"],
    hide=["alert_type", "days_left", "due_soon_days"],
)
