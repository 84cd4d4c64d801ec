"""Overview: practice KPIs, leakage by category and month, what changed since the last build."""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

info = ui.header("Overview", "What a practice manager opens every morning.")
lo, hi = ui.date_range("Months", "practice_kpis", "month", key="ov_months")
filters = Filters.build(ranges={"month": (lo, hi)})
kpis = data.page_rows("practice_kpis", filters, order="month", limit=240)

if kpis.is_empty():
    ui.explain_empty("practice_kpis", "months")
else:
    last = kpis.row(-1, named=True)
    leakage_cols = ["leakage_pa", "leakage_guidance", "leakage_mppr", "leakage_denials"]
    total_leak = sum(kpis.select(pl.sum_horizontal(leakage_cols)).to_series().to_list())
    st.subheader(f"Month of {last['month']:%B %Y}")
    ui.metric_row(
        [
            ("Charges", ui.money(last["charges"])),
            ("Payments", ui.money(last["payments"])),
            ("Days in A/R", f"{last['days_in_ar'] or 0:.1f}"),
            ("First-pass denial rate", f"{last['first_pass_denial_rate'] or 0:.2f}%"),
            ("Clean claim rate", f"{last['clean_claim_rate'] or 0:.2f}%"),
            ("Net collection rate", f"{last['net_collection_rate'] or 0:.2f}%"),
        ]
    )
    st.metric("Leakage in the selected months", ui.money(total_leak))
    left, right = st.columns(2)
    left.plotly_chart(
        charts.lines(kpis, "month", ["charges", "payments"], "Charges and payments", money=True),
        key="ov_money",
    )
    right.plotly_chart(
        charts.lines(
            kpis,
            "month",
            ["first_pass_denial_rate", "clean_claim_rate", "net_collection_rate"],
            "Rates (%)",
        ),
        key="ov_rates",
    )
    leakage = (
        kpis.select(["month", *leakage_cols])
        .unpivot(index="month", variable_name="category", value_name="dollars")
        .with_columns(pl.col("category").str.replace("leakage_", ""))
    )
    st.plotly_chart(
        charts.bar(leakage, "month", "dollars", "Leakage by category and month", color="category"),
        key="ov_leakage",
    )
    with st.expander("Monthly figures"):
        ui.show_frame(kpis, key="ov_kpi_table")

st.subheader("What changed since the last build")
counts = data.sql_frame("mart_counts")
previous = data.previous_build(info) if info else None
if previous is None:
    st.caption(
        "The first build this app has seen: row counts of this build. Open the app again after "
        "the next `painrcm build` or `painrcm run` to see the difference."
    )
    ui.show_frame(counts.with_columns(pl.col("mart").str.replace("rows_", "")), key="ov_counts")
else:
    before = {k: v for k, v in previous.items() if k.startswith("rows_")}
    changed = counts.with_columns(
        pl.col("mart").replace_strict(before, default=None, return_dtype=pl.Int64).alias("before"),
    ).with_columns(
        (pl.col("rows") - pl.col("before")).alias("change"),
        pl.col("mart").str.replace("rows_", ""),
    )
    st.caption(f"Previous build: as of {previous['as_of_date']}, built {previous['built_at']}.")
    ui.show_frame(changed, key="ov_counts")
runs = data.page_rows("raw.run_history", order="started_at desc", limit=5)
if not runs.is_empty():
    st.caption("Last scheduled runs (raw.run_history)")
    ui.show_frame(runs.drop("run_id"), key="ov_runs")
