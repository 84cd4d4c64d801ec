"""Prior auth: upcoming services with authorization gaps, renewals due, WISeR."""

import datetime as dt

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "pa_coverage_gaps"
ui.header("Prior auth", "Procedure lines no valid authorization covers (next 30 days by default).")
as_of = ui.as_of()
start, end = ui.date_range(
    "Service dates",
    MART,
    "service_date",
    key="pa_dates",
    default=(as_of, as_of + dt.timedelta(days=30)),
)
statuses = st.sidebar.multiselect(
    "Line status",
    data.distinct(MART, "line_status"),
    default=None,
    key="pa_status",
    help="Empty = every status; `upcoming` = not yet performed.",
)
gap_types = ui.multiselect("Gap type", MART, "gap_type", key="pa_gap")
payers = ui.multiselect("Payer", MART, "payer_id", key="pa_payer")
wiser = st.sidebar.checkbox("WISeR only", key="pa_wiser")
filters = Filters.build(
    values={"line_status": statuses, "gap_type": gap_types, "payer_id": payers},
    ranges={"service_date": (start, end)},
    extra=["wiser"] if wiser else [],
)
totals = data.aggregate(MART, [], ["revenue_at_risk"], filters)
renewals = data.count(
    MART,
    Filters.build(
        values={"payer_id": payers}, ranges={"service_date": (start, end)}, extra=["renewal_due"]
    ),
)
wiser_n = data.count(
    MART,
    Filters.build(
        values={"payer_id": payers}, ranges={"service_date": (start, end)}, extra=["wiser"]
    ),
)
ui.metric_row(
    [
        ("Lines with a gap", f"{totals['rows'][0]:,}"),
        ui.money_tile("Revenue at risk", totals["revenue_at_risk"][0]),
        ("Renewals due", f"{renewals:,}"),
        ("WISeR findings", f"{wiser_n:,}"),
    ]
)
by_gap = data.aggregate(MART, ["gap_type", "payer_id"], ["revenue_at_risk"], filters)
st.plotly_chart(
    charts.bar(
        by_gap,
        "gap_type",
        "revenue_at_risk",
        "Revenue at risk by gap type and payer",
        color="payer_id",
        horizontal=True,
    ),
    key="pa_chart",
)
st.subheader("Worklist")
ui.worklist(
    MART,
    filters,
    "authorization gaps",
    key="pa",
    first=[
        "service_date",
        "days_until_service",
        "recommended_action",
        "gap_type",
        "revenue_at_risk",
        "patient_id",
        "payer_id",
        "procedure_code",
        "gap_detail",
        "appointment_id",
        "claim_id",
        "auth_id",
    ],
)
