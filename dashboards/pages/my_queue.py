"""My queue: my open work items, follow-ups due today first (managers: anyone's)."""

import datetime as dt

import polars as pl
import streamlit as st

from dashboards import ui, work
from painrcm.work.items import state_rows

ui.header("My queue", "Your open items: follow-ups due today first, then the rest by date.")
user = work.current_user()
if user is None:
    st.info("Pick who is working in the sidebar ('Working as'), or sign in.")
    st.stop()
who: str | None = user.name
if user.is_manager:
    names = [u.name for u in work.list_users(work.engine())]
    picked = st.sidebar.selectbox(
        "Queue of", ["everyone", *names], index=1 + names.index(user.name), key="mq_who"
    )
    who = None if picked == "everyone" else picked
show_snoozed = st.sidebar.checkbox("Show snoozed items not yet due", key="mq_snoozed")
today = dt.date.today()
rows = [
    r
    for r in state_rows(work.engine(), assignee=who, open_only=True)
    if show_snoozed
    or r["work_status"] != "snoozed"
    or (r["follow_up_date"] is not None and r["follow_up_date"] <= today)
]
due = [r for r in rows if r["follow_up_date"] is not None and r["follow_up_date"] <= today]
ui.metric_row(
    [("Open items", f"{len(rows):,}"), ("Follow-ups due today or overdue", f"{len(due):,}")]
)
if not rows:
    st.info("Nothing open" + (f" for {who}" if who else "") + ": the queue is clear.")
    st.stop()
# due first (oldest promise first), then by follow-up date, items without one last
rows.sort(key=lambda r: (r["follow_up_date"] is None or r["follow_up_date"] > today,
                         r["follow_up_date"] or dt.date.max, r["mart"]))  # fmt: skip
frame = pl.DataFrame(
    {
        "due": ["today" if r in due else "" for r in rows],
        "follow_up_date": [r["follow_up_date"] for r in rows],
        "worklist": [r["mart"] for r in rows],
        "item": [" · ".join(r["key"]) for r in rows],
        "status": [r["work_status"] for r in rows],
        "assignee": [r["assignee"] or "" for r in rows],
        "last_note": [r["last_note"] or "" for r in rows],
        "last_worked": [
            "" if r["last_worked_at"] is None else r["last_worked_at"].strftime("%Y-%m-%d %H:%M")
            for r in rows
        ],
        "by": [r["last_worked_by"] or "" for r in rows],
    },
    schema_overrides={"follow_up_date": pl.Date},
)
ui.show_frame(frame, key="mq_table")
