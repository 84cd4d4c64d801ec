"""Overview: the practice manager's numbers (last complete month), trends and leakage.

The as-of month is partial (its claims are not yet paid), so the trend lines leave it out
by default and show it shaded when asked; build and run details live on Data health.
"""

import polars as pl
import streamlit as st

from dashboards import charts, data, ui
from dashboards.data import Filters

MART = "practice_kpis"
LEAKAGE = {
    "leakage_pa": "Prior auth gaps",
    "leakage_guidance": "Guidance not billed",
    "leakage_mppr": "Underpayments",
    "leakage_denials": "Denials",
}
RATES = ["first_pass_denial_rate", "clean_claim_rate", "net_collection_rate"]
LABELS = {
    "charges": "Charges",
    "payments": "Payments",
    "first_pass_denial_rate": "First-pass denial rate",
    "clean_claim_rate": "Clean claim rate",
    "net_collection_rate": "Net collection rate",
    "days_in_ar": "Days in A/R",
    **LEAKAGE,
}

info = ui.header("Overview", "What a practice manager opens every morning.")
lo, hi = ui.date_range("Months", MART, "month", key="ov_months")
with_partial = st.sidebar.checkbox(
    "Include the partial as-of month in trends",
    key="ov_partial",
    help="The as-of month's claims are mostly not paid yet, so its rates are not final.",
)
filters = Filters.build(ranges={"month": (lo, hi)})
kpis = data.page_rows(MART, filters, order="month", limit=240)

if kpis.is_empty():
    ui.explain_empty(MART, "months")
else:
    as_of = ui.as_of()
    partial = as_of.replace(day=1)
    complete = kpis.filter(pl.col("month") < partial)
    last = (complete if not complete.is_empty() else kpis).row(-1, named=True)
    is_partial = last["month"] == partial
    st.subheader(
        f"{last['month']:%B %Y}" + (" (partial)" if is_partial else " (last complete month)")
    )
    ui.metric_row(
        [
            ui.money_tile("Charges", last["charges"]),
            ui.money_tile("Payments", last["payments"]),
            ("Days in A/R", f"{last['days_in_ar'] or 0:.1f} days"),
            ("First-pass denial rate", f"{last['first_pass_denial_rate'] or 0:.1f}%"),
            ("Clean claim rate", f"{last['clean_claim_rate'] or 0:.1f}%"),
            ("Net collection rate", f"{last['net_collection_rate'] or 0:.1f}%"),
        ]
    )
    leak_total = kpis.select(pl.sum_horizontal(list(LEAKAGE)).sum()).item()
    open_ar = last["open_balance_at_month_end"]
    ui.metric_row(
        [
            ui.money_tile("Leakage in the selected months", leak_total),
            ui.money_tile(f"Open A/R at the end of {last['month']:%b %Y}", open_ar),
        ]
    )
    has_partial = kpis.filter(pl.col("month") == partial).height > 0
    trend = kpis if with_partial else kpis.filter(pl.col("month") != partial)
    if has_partial:
        st.caption(
            f"**{partial:%B %Y} is partial** (as of {as_of}): its claims are mostly not paid "
            "yet, so its rates are not final. "
            + (
                "It is shaded in the trends."
                if with_partial
                else "It is left out of the trends; tick *Include the partial as-of month* "
                "in the sidebar to show it."
            )
        )
    mark = partial if with_partial and has_partial else None
    left, right = st.columns(2)
    left.plotly_chart(
        charts.lines(
            trend,
            "month",
            ["charges", "payments"],
            "Charges and payments",
            unit="money",
            labels=LABELS,
            partial=mark,
        ),
        key="ov_money",
    )
    right.plotly_chart(
        charts.lines(trend, "month", RATES, "Rates", unit="percent", labels=LABELS, partial=mark),
        key="ov_rates",
    )
    leakage = trend.select(["month", *LEAKAGE]).unpivot(
        index="month", variable_name="category", value_name="dollars"
    )
    left, right = st.columns(2)
    leak_fig = charts.bar(
        leakage,
        "month",
        "dollars",
        "Leakage by category and month",
        color="category",
        labels=LEAKAGE,
    )
    if mark is not None:
        charts.mark_partial(leak_fig, mark)
    left.plotly_chart(leak_fig, key="ov_leakage")
    right.plotly_chart(
        charts.lines(
            trend, "month", ["days_in_ar"], "Days in A/R", unit="days", labels=LABELS, partial=mark
        ),
        key="ov_days",
    )
    with st.expander("Monthly figures", expanded=False):
        shown = kpis.with_columns(
            pl.when(pl.col("month") == partial)
            .then(pl.lit("partial"))
            .otherwise(pl.lit(""))
            .alias("note")
        )
        ui.table(
            shown,
            mart=MART,
            key="ov_kpi_table",
            first=["month", "note", "charges", "payments", *RATES, "days_in_ar"],
        )
st.caption("Build details, row counts and scheduled runs: see **Data health**.")
