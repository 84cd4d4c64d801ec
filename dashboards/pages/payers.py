"""Payers: the negotiator's scorecard (issue #24). One payer and period, the figures with
their definitions, three small charts, a second payer side by side, and the scorecard as a
one-page PDF or an XLSX (what `painrcm scorecard` writes)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from dashboards import data, payer_charts, ui
from painrcm import scorecard, scorecard_files

MART = "payer_scorecard"


def _version() -> tuple[str, int, int]:
    # The published file's identity: a new build (atomic swap) is read on the next click.
    path = data.warehouse_path()
    stat = path.stat()
    return (str(path.resolve()), stat.st_ino, stat.st_mtime_ns)


@st.cache_data(ttl=data.TTL_SECONDS, show_spinner=False)
def _payers(version: tuple[str, int, int]) -> list[tuple[str, str]]:
    return scorecard.payers(Path(version[0]))


@st.cache_data(ttl=data.TTL_SECONDS, show_spinner=False)
def _periods(version: tuple[str, int, int]) -> list[str]:
    return scorecard.periods(Path(version[0]))


@st.cache_data(ttl=data.TTL_SECONDS, show_spinner=False)
def _card(version: tuple[str, int, int], payer_id: str, period: str) -> scorecard.Scorecard:
    return scorecard.load(Path(version[0]), payer_id, period)


ui.header(
    "Payers",
    "The negotiator's scorecard: what a payer pays against Medicare, how it denies, how fast "
    "it pays, what it underpays, and its prior-auth behaviour beside its CMS-0057-F report.",
)
if ui.mart_is_empty(MART):
    ui.explain_empty(MART, "payers")
    st.stop()

version = _version()
payers = _payers(version)
names = dict(payers)
label = {pid: f"{name} ({pid})" for pid, name in payers}
payer = st.sidebar.selectbox("Payer", list(names), format_func=label.get, key="py_payer")
periods = _periods(version)
period = st.sidebar.selectbox(
    "Period",
    periods,
    format_func=lambda p: "12 months to the as-of date" if p == "12m" else p,
    key="py_period",
)
others = [p for p in names if p != payer]
other = st.sidebar.selectbox(
    "Compare with", [None, *others], format_func=lambda p: "-" if p is None else label[p],
    key="py_compare",
)  # fmt: skip

card = _card(version, payer, period)
row = card.row
figs = scorecard.figures(row)
st.subheader(f"{card.payer}: {row['period_label']}")
st.caption(
    f"{row['period_start']} to {row['period_end']} · payer type {row['payer_type']} · "
    "fees are the contract in force on the as-of date"
)
by_label = {f.label: f for f in figs}
ui.metric_row(
    [
        ("Fee % of Medicare", by_label["Fee % of Medicare"].text),
        ("Worth of +10 points", by_label["Worth of +10 points"].text),
        ("First-pass denial rate", scorecard.pct(row["first_pass_denial_rate"])),
        (
            "Median days to pay",
            "-" if row["median_days_to_pay"] is None else f"{row['median_days_to_pay']} days",
        ),
        ("Underpaid vs contract", ui.money(row["underpaid_amount"])),
        ("A/R over 90 days", ui.money(row["ar_over_90_days"])),
    ]
)
for status in (row["medicare_fee_status"], row["pa_report_status"]):
    if status != "complete" and not str(status).startswith("compared"):
        st.info(str(status)[:1].upper() + str(status)[1:] + ".")

left, middle, right = st.columns(3)
left.plotly_chart(
    payer_charts.fee_by_code(card.codes, str(row["medicare_fee_status"])), key="py_fee"
)
middle.plotly_chart(payer_charts.denial_trend(card.denial_trend()), key="py_denials")
right.plotly_chart(payer_charts.days_to_pay(card.days_to_pay()), key="py_days")

stamp = card.as_of.isoformat()
base = f"scorecard_{payer}_{period}_{stamp}"
pdf_col, xlsx_col, _ = st.columns([1, 1, 4])
pdf_col.download_button(
    "Download PDF",
    data=lambda: scorecard_files.to_pdf(card),
    file_name=f"{base}.pdf",
    mime="application/pdf",
    key="py_pdf",
    on_click="ignore",
)
xlsx_col.download_button(
    "Download XLSX",
    data=lambda: scorecard_files.to_xlsx(card),
    file_name=f"{base}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="py_xlsx",
    on_click="ignore",
)

figures = pl.DataFrame(
    {
        "figure": [f.label for f in figs],
        card.payer: [f.text for f in figs],
        "definition": [f.definition for f in figs],
    }
)
if other is not None:
    compared = _card(version, other, period)
    figures = figures.insert_column(
        2, pl.Series(compared.payer, [f.text for f in scorecard.figures(compared.row)])
    )
    st.subheader("Side by side")
else:
    st.subheader("The figures")
ui.show_frame(figures, key="py_figures")

st.subheader("Details")
for title, frame, key in (
    ("Codes billed: fee beside Medicare's", card.codes, "py_codes"),
    ("Denials", card.denials, "py_denial_rows"),
    ("Underpaid lines", card.underpaid, "py_underpaid"),
):
    with st.expander(f"{title} ({frame.height:,})"):
        if frame.is_empty():
            st.info(f"No {title.split(':')[0].lower()} for this payer in the period.")
        else:
            st.caption(f"first {min(frame.height, ui.PAGE_SIZE)} of {frame.height:,}")
            ui.show_frame(frame.head(ui.PAGE_SIZE), key=f"{key}_table")
