"""Data health: last runs, the load log, quarantined rows, flagged 835s, extract freshness."""

import streamlit as st

from dashboards import data, ui
from dashboards.data import Filters

ui.header("Data health", "What was loaded, set aside and run.")
kinds = ui.multiselect("Extract kind", "raw.load_log", "kind", key="dh_kind")

st.subheader("Last runs")
runs = data.page_rows("raw.run_history", order="started_at desc", limit=20)
if runs.is_empty():
    st.info("No scheduled run recorded yet: `painrcm run` writes raw.run_history.")
else:
    ui.show_frame(runs, key="dh_runs")
    if "ingest_seconds" in runs.columns:  # a warehouse from before phases were timed
        st.caption("Seconds per phase: ingest, dbt models, dbt tests, publish (copy + swap)")
        ui.show_frame(data.sql_frame("run_phases"), key="dh_phases")

st.subheader("Freshness per extract")
fresh = data.sql_frame("freshness")
if kinds:
    fresh = fresh.filter(fresh["kind"].is_in(kinds))
ui.show_frame(fresh, key="dh_fresh")

st.subheader("Quarantined rows by reason")
reasons = data.sql_frame("quarantine_reasons")
if kinds:
    reasons = reasons.filter(reasons["kind"].is_in(kinds))
if reasons.is_empty():
    st.info("Nothing quarantined.")
else:
    ui.show_frame(reasons, key="dh_reasons")
    with st.expander("Quarantined rows (file, row, reason)"):
        ui.worklist(
            "raw.quarantine",
            Filters.build(values={"kind": kinds}),
            "quarantined rows",
            key="dh_q",
            columns=[
                "kind",
                "file_name",
                "row_number",
                "segment_position",
                "reason",
                "quarantined_at",
            ],
            order="quarantined_at desc, file_name, row_number",
        )

st.subheader("Flagged 835 transactions: unbalanced, miscounted, re-delivered")
flags = data.sql_frame("x12_flags")
if flags.is_empty():
    st.info(
        "Every 835 transaction balances (BPR = CLP payments - PLB), its SE, GE and IEA "
        "trailers agree, and none is a re-delivery."
    )
else:
    st.caption(
        "A flagged transaction still counts (it is what the payer sent); a re-delivery "
        "(message: re-delivery of ...) is kept in raw and read once. Claim payments with "
        "unreadable amounts are under Quarantined rows, with file, segment and value."
    )
    ui.show_frame(flags, key="dh_x12")

st.subheader("Load log")
ui.worklist(
    "raw.load_log",
    Filters.build(values={"kind": kinds}),
    "files",
    key="dh_log",
    columns=[
        "loaded_at",
        "kind",
        "file_name",
        "status",
        "rows_loaded",
        "rows_quarantined",
        "message",
    ],
    order="loaded_at desc, file_name",
)


def column_maps_section(kinds: list[str]) -> None:
    """Per extract kind: is a column map (inbox/_maps/<kind>.yml) in use, its source text,
    and the rows each version of a map set aside."""
    st.subheader("Column maps")
    in_use = data.sql_frame("column_maps_in_use")
    if kinds:
        in_use = in_use.filter(in_use["kind"].is_in(kinds))
    if in_use.is_empty() or not in_use["map_in_use"].any():
        st.info(
            "No column map in use: every extract came with the canonical headers. A practice's "
            "own PM export goes in through inbox/_maps/<kind>.yml (`painrcm map suggest`)."
        )
    else:
        ui.show_frame(in_use, key="dh_maps")
    by_map = data.sql_frame("column_map_quarantine")
    if kinds:
        by_map = by_map.filter(by_map["kind"].is_in(kinds))
    if not by_map.is_empty():
        st.caption("Rows each map quarantined (and files it rejected), by map version")
        ui.show_frame(by_map, key="dh_map_q")


column_maps_section(kinds)
