"""Readiness: upcoming procedures whose documentation a payer or auditor will find short."""

import datetime as dt

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "procedure_readiness"
ui.header("Readiness", "Upcoming procedures with open documentation checks (next 30 days).")
as_of = ui.as_of()
start, end = ui.date_range(
    "Service dates",
    MART,
    "service_date",
    key="rd_dates",
    default=(as_of, as_of + dt.timedelta(days=30)),
)
findings = ui.multiselect("Check", MART, "finding", key="rd_finding")
providers = ui.multiselect("Provider (rendering NPI)", MART, "rendering_npi", key="rd_npi")
payers = ui.multiselect("Payer", MART, "payer_id", key="rd_payer")
filters = Filters.build(
    values={"finding": findings, "rendering_npi": providers, "payer_id": payers},
    ranges={"service_date": (start, end)},
)
totals = data.aggregate(MART, [], ["revenue_at_risk"], filters)
ui.metric_row(
    [
        ("Open checks", f"{totals['rows'][0]:,}"),
        ui.money_tile("Revenue at risk", totals["revenue_at_risk"][0]),
    ]
)
by = data.aggregate(MART, ["finding", "rendering_npi"], [], filters)
providers_named = data.names("provider")
st.plotly_chart(
    charts.bar(
        by,
        "finding",
        "rows",
        "Open checks by check and provider",
        color="rendering_npi",
        unit="count",
        labels=providers_named,
    ),
    key="rd_chart",
)
st.subheader("Worklist")
ui.worklist(
    MART,
    filters,
    "open readiness checks",
    key="rd",
    first=[
        "service_date",
        "days_until_service",
        "recommended_action",
        "finding",
        "detail",
        "revenue_at_risk",
        "patient_id",
        "rendering_npi",
        "payer_id",
        "procedure_code",
        "appointment_id",
    ],
)
