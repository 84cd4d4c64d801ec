"""Credentialing: licences, DEA registrations and CAQH attestations coming due."""

import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "credentialing_alerts"
ui.header("Credentialing", "Expiring licences and DEA registrations, CAQH re-attestations.")
types = ui.multiselect("Alert", MART, "alert_type", key="cr_type")
npis = ui.multiselect("Provider (NPI)", MART, "npi", key="cr_npi")
overdue = st.sidebar.checkbox("Overdue only", key="cr_overdue")
filters = Filters.build(
    values={"alert_type": types, "npi": npis}, extra=["overdue"] if overdue else []
)
by = data.aggregate(MART, ["alert_type"], [], filters)
st.plotly_chart(charts.bar(by, "alert_type", "rows", "Alerts by type", money=False), key="cr_chart")
st.subheader("Worklist (earliest due first)")
ui.worklist(MART, filters, "credentialing alerts", key="cr")
