"""Rejections: claims the clearinghouse or the payer rejected before adjudication (rules.md §16),
nearest timely-filing deadline first: fix and resubmit them, no remit will ever come."""

from decimal import Decimal

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "claim_rejections"
ui.header(
    "Rejections",
    "Claims a 999 or 277CA rejected before adjudication: the payer never received them and "
    "no remit will come. Fix and resubmit before timely filing ends, nearest deadline first.",
)
payers = ui.multiselect("Payer", MART, "payer_id", key="rj_payer")
reasons = ui.multiselect("Reason", MART, "reason", key="rj_reason")
statuses = ui.multiselect("Status", MART, "status", key="rj_status")
sources = ui.multiselect("Rejected by (999 or 277CA)", MART, "source", key="rj_source")
values = {"payer_id": payers, "reason": reasons, "status": statuses, "source": sources}
filters = Filters.build(values=values)
st.sidebar.caption("`open`: not resubmitted since; `resubmitted`: a newer submission was sent.")
opened = Filters.build(values={**values, "status": ["open"]})  # whatever the status filter
# timely filing ending within the A/R worklist's escalation window (seed practice_policies
# timely_filing_escalation_days, rules.md §10), as the mart says: no window of the page's own
near = Filters.build({**values, "status": ["open"]}, extra=["near_timely_filing"])
window = data.distinct(MART, "escalation_days")


def claims(f: Filters):
    """One row per rejected submission (a claim has a row per reason), with its charges."""
    by = ["claim_id", "submitted_date"]
    return data.aggregate(MART, by, [], f, avgs=["charge_amount"], limit=1_000_000)


def charges(rows) -> Decimal:
    """The claims' charges, once each (avg over a claim's identical reason rows)."""
    return sum((Decimal(str(round(x, 2))) for x in rows["avg_charge_amount"]), Decimal(0))


open_claims = claims(opened)
ui.metric_row(
    [
        ("Rejected submissions", f"{claims(filters).height:,}"),
        ("Still open", f"{open_claims.height:,}"),
        ui.money_tile("Open charges", charges(open_claims)),
        (
            f"Open, timely filing within {window[0]} days"
            if window
            else "Open, timely filing near",
            f"{claims(near).height:,}",
            "Timely filing ends within the A/R worklist's escalation window (seed "
            "practice_policies timely_filing_escalation_days), or has ended.",
        ),
    ]
)
by = data.aggregate(MART, ["reason", "status"], [], filters)
if by.height:
    st.plotly_chart(
        charts.bar(
            by,
            "reason",
            "rows",
            "Rejection reasons",
            color="status",
            money=False,
            horizontal=True,
            unit="count",
        ),
        key="rj_chart",
    )
st.subheader("Worklist (nearest timely-filing deadline first)")
ui.worklist(
    MART,
    filters,
    "rejections",
    key="rj",
    first=[
        "timely_filing_deadline",
        "days_to_timely_filing",
        "status",
        "reason",
        "claim_id",
        "payer_id",
        "charge_amount",
        "rejected_on",
        "source",
        "rejecter",
        "level",
        "line_number",
        "category_code",
        "status_code",
        "entity_code",
        "patient_id",
        "rendering_npi",
        "service_date",
        "submitted_date",
    ],
    order="timely_filing_deadline, claim_id, submitted_date, rejected_on, line_number",
    hide=["submission_id", "escalation_days"],
)
