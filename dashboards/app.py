"""The app: builds the navigation and runs the chosen page (STYLE.md multipage pattern).

Start it with `painrcm serve --warehouse PATH`. When PAINRCM_DASHBOARD_PASSWORD is set (serve
passes it on only when binding beyond 127.0.0.1), a password gate comes first
(dashboards/gate.py: guesses throttled per client).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.gate import authorised

st.set_page_config(page_title="painrcm", page_icon=":material/monitoring:", layout="wide")

PAGES = Path(__file__).resolve().parent / "pages"


if not authorised():
    st.stop()

from dashboards import work  # noqa: E402 - after set_page_config

if not work.login_gate():  # named users, when serving beyond loopback
    st.stop()


def page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES / file, title=title, icon=icon, default=default)


navigation = st.navigation(
    {
        "Practice": [
            page("overview.py", "Overview", ":material/dashboard:", default=True),
            page("data_health.py", "Data health", ":material/monitor_heart:"),
            page("my_queue.py", "My queue", ":material/inbox:"),
        ],
        "Before the procedure": [
            page("prior_auth.py", "Prior auth", ":material/verified_user:"),
            page("readiness.py", "Readiness", ":material/fact_check:"),
            page("pa_benchmark.py", "Payer PA benchmark", ":material/compare_arrows:"),
        ],
        "Coding and documentation": [
            page("guidance.py", "Guidance", ":material/radiology:"),
            page("chronic_pain.py", "Chronic pain", ":material/schedule:"),
            page("documentation.py", "Documentation", ":material/description:"),
        ],
        "After the claim": [
            page("underpayments.py", "Underpayments", ":material/money_off:"),
            page("denials.py", "Denials", ":material/block:"),
            page("rejections.py", "Rejections", ":material/report:"),
            page("ar_worklist.py", "A/R worklist", ":material/checklist:"),
        ],
        "Contracts and providers": [
            page("contracts.py", "Contracts", ":material/handshake:"),
            page("payers.py", "Payers", ":material/request_quote:"),
            page("credentialing.py", "Credentialing", ":material/badge:"),
        ],
    },
    expanded=True,  # every page listed, never "View 3 more"; the current one highlighted
)
navigation.run()
