"""Data health: the build, what changed, last runs, the load log, quarantined rows, flagged
835s, unmatched 999/277CA acknowledgments, 837 claims set aside for an unrecognised payer,
extract freshness.

One function per section, run in the order of SECTIONS: a new section is a new function and
one line in that list.
"""

import polars as pl
import streamlit as st

from dashboards import data, ui
from dashboards.data import Filters

info = ui.header("Data health", "What was built, loaded, set aside and run.")
kinds = ui.multiselect("Extract kind", "raw.load_log", "kind", key="dh_kind")


def build_section() -> None:
    st.subheader("This build")
    if info is None:
        return
    failing = info.get("failing_tests") or ""
    ui.metric_row(
        [
            ("As of", str(info["as_of_date"])),
            ("Built", f"{info['built_at']:%b %d, %H:%M}"),
            ("Engine", str(info["engine"])),
            ("Tests that warned", str(len(failing.split(",")) if failing else 0)),
        ]
    )
    st.caption(
        f"dbt {info.get('dbt_version')} · painrcm {info.get('painrcm_version')} · "
        f"invocation {info.get('invocation_id')}" + (f" · warned: {failing}" if failing else "")
    )


def changes_section() -> None:
    st.subheader("Rows per mart: what changed since the last build")
    counts = data.sql_frame("mart_counts")
    previous = data.previous_build(info) if info else None
    units = {"rows": "count", "before": "count", "change": "count"}
    if previous is None:
        st.caption(
            "The first build of this warehouse (marts.build_history): row counts of this "
            "build. The next `painrcm build` or `painrcm run` shows the difference."
        )
        ui.table(counts, key="dh_counts", units=units)
        return
    before = previous["counts"]
    changed = counts.with_columns(
        pl.col("mart").replace_strict(before, default=None, return_dtype=pl.Int64).alias("before")
    ).with_columns((pl.col("rows") - pl.col("before")).alias("change"))
    st.caption(f"Previous build: as of {previous['as_of_date']}, built {previous['built_at']}.")
    ui.table(changed, key="dh_counts", units=units)


def runs_section() -> None:
    st.subheader("Last runs")
    runs = data.page_rows("raw.run_history", order="started_at desc", limit=20)
    if runs.is_empty():
        st.info("No scheduled run recorded yet: `painrcm run` writes raw.run_history.")
    else:
        ui.table(runs, key="dh_runs", first=["started_at", "ended_at", "status"])
        if "ingest_seconds" in runs.columns:  # a warehouse from before phases were timed
            st.caption("Seconds per phase: ingest, dbt models, dbt tests, publish (copy + swap)")
            ui.table(data.sql_frame("run_phases"), key="dh_phases")


def freshness_section() -> None:
    st.subheader("Freshness per extract")
    if not data.has_table("raw.source_freshness"):
        st.info("No freshness check yet: the next `painrcm build` runs `dbt source freshness`.")
        return
    st.caption(
        "`dbt source freshness` at the build: pass, warn or error by the rules of _sources.yml."
    )
    fresh = data.sql_frame("freshness")
    if kinds:
        fresh = fresh.filter(fresh["kind"].is_in(kinds))
    ui.table(
        fresh,
        key="dh_fresh",
        units={
            "files": "count",
            "rows_loaded": "count",
            "rows_quarantined": "count",
            "days_since_load": "days",
        },
    )


def quarantine_section() -> None:
    st.subheader("Quarantined rows by reason")
    reasons = data.sql_frame("quarantine_reasons")
    if kinds:
        reasons = reasons.filter(reasons["kind"].is_in(kinds))
    if reasons.is_empty():
        st.info("Nothing quarantined.")
        return
    ui.table(reasons, key="dh_reasons", units={"rows": "count"})
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


def x12_section() -> None:
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
        units = {"bpr_amount": "money", "clp_paid_total": "money", "plb_total": "money"}
        ui.table(flags, key="dh_x12", units=units)


def acknowledgments_section() -> None:
    """INPUTS.md "acknowledgments": a 999 or 277CA that answers no claim we know of is kept
    in raw and listed here, never dropped (its 837 not delivered yet, or another practice's)."""
    st.subheader("Acknowledgments that match no claim")
    unmatched = data.sql_frame("unmatched_acknowledgments")
    if unmatched.is_empty():
        st.info("Every 999 and 277CA answer matches a claim submission.")
        return
    st.caption(
        "Each 999 answer names an 837 batch (functional group and transaction), each 277CA "
        "claim answer a claim; these name none that was loaded. Deliver the 837 batch or "
        "the claims extract they answer, or check that the file is this practice's."
    )
    ui.table(unmatched, mart="acknowledgments_unmatched", key="dh_acks")


def unresolved_837_section() -> None:
    """INPUTS.md "claims_837": an 837 claim whose payer id matches no payer, or several the
    filing indicator cannot tell apart, is kept out of the claims history; listed here."""
    st.subheader("837 claims set aside: payer not recognised")
    claims = data.sql_frame("unresolved_837_claims")
    if claims.is_empty():
        st.info("Every 837 claim's payer id matches exactly one payer.")
        return
    st.caption(
        f"{claims.height} claim(s) from the 837 batches are not in any page or worklist: their "
        "payer id matches no payer, or several. To do: add the payer's x12_payer_id to the "
        "payers extract (or the right one, when two payers share an id), or fix the claim "
        "filing indicator (SBR09) in the practice management system and resend; the next "
        "build reads them. Timely filing runs from the service date."
    )
    ui.table(claims, mart="claims_837_unresolved", key="dh_837_payers")


def load_log_section() -> None:
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


def column_maps_section() -> None:
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
        ui.table(in_use, key="dh_maps")
    by_map = data.sql_frame("column_map_quarantine")
    if kinds:
        by_map = by_map.filter(by_map["kind"].is_in(kinds))
    if not by_map.is_empty():
        st.caption("Rows each map quarantined (and files it rejected), by map version")
        ui.table(by_map, key="dh_map_q")


SECTIONS = [
    build_section,
    changes_section,
    runs_section,
    freshness_section,
    quarantine_section,
    x12_section,
    acknowledgments_section,
    unresolved_837_section,
    column_maps_section,
    load_log_section,
]
for section in SECTIONS:
    section()
