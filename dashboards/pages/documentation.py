"""Documentation: copied and missing procedure notes by provider, and the note pair compared.

Note text is PHI: it is read by note_id for the pair on screen only, in this local app.
"""

import streamlit as st

from dashboards import charts, data, highlight, ui
from dashboards.data import Filters

MART = "documentation_risk"
RISKS = {"cloned_note": "Copied from the previous note", "note_missing": "No signed note"}
ui.header("Documentation", "Procedure notes copied from the previous one, and notes missing.")
start, end = ui.date_range("Service dates", MART, "service_date", key="dc_dates")
risks = ui.multiselect("Risk", MART, "risk", key="dc_risk")
providers = ui.multiselect("Provider (rendering NPI)", MART, "rendering_npi", key="dc_npi")
filters = Filters.build(
    values={"risk": risks, "rendering_npi": providers}, ranges={"service_date": (start, end)}
)
totals = data.aggregate(MART, [], ["billed_amount"], filters)
ui.metric_row(
    [
        ("Notes at risk", f"{totals['rows'][0]:,}"),
        ui.money_tile("Billed amount exposed", totals["billed_amount"][0]),
    ]
)
by = data.aggregate(MART, ["rendering_npi", "risk"], ["billed_amount"], filters)
st.plotly_chart(
    charts.bar(
        by,
        "rendering_npi",
        "rows",
        "Notes at risk by provider",
        color="risk",
        unit="count",
        labels={**data.names("provider"), **RISKS},
    ),
    key="dc_chart",
)
st.subheader("Worklist")
rows = ui.worklist(
    MART,
    filters,
    "notes at risk",
    key="dc",
    first=[
        "service_date",
        "risk",
        "billed_amount",
        "similarity",
        "rendering_npi",
        "patient_id",
        "procedure_family",
        "note_id",
        "previous_note_id",
        "appointment_id",
    ],
)

if rows is not None:
    cloned = rows.filter(rows["risk"] == "cloned_note")
    if not cloned.is_empty():
        st.subheader("Compare a copied note with the one before it")
        labels = {
            f"{r['note_id']} ({r['service_date']}, similarity {r['similarity']})": r
            for r in cloned.iter_rows(named=True)
        }
        choice = labels[st.selectbox("Note (from the page above)", list(labels), key="dc_note")]
        texts = data.note_texts((choice["previous_note_id"], choice["note_id"]))
        prev_text = texts.get(choice["previous_note_id"], "")
        this_text = texts.get(choice["note_id"], "")
        left, right = st.columns(2)
        left.markdown(f"**Previous note {choice['previous_note_id']}**")
        left.markdown(highlight.highlight(prev_text, this_text), unsafe_allow_html=True)
        right.markdown(f"**This note {choice['note_id']}**")
        right.markdown(highlight.highlight(this_text, prev_text), unsafe_allow_html=True)
        st.caption("Highlighted: passages (3-word runs) the two notes share.")
