"""The work queue in the app: who is working, sign-in, and the state editor a worklist page
calls under its table (`work.state_editor(MART, rows, filters)`).

State is read and written through painrcm.work (the state database beside the warehouse or
PAINRCM_STATE_URL), never the warehouse: the marts stay pure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import polars as pl
import streamlit as st

from dashboards import data
from painrcm.work.db import open_state, state_exists
from painrcm.work.items import STATUSES, StaleEdit, get_item, history, save, state_rows
from painrcm.work.join import with_state_for
from painrcm.work.keys import WORKLISTS
from painrcm.work.users import User, authenticate, get_user, list_users

LOGIN_ENV = "PAINRCM_DASHBOARD_LOGIN"  # set by `painrcm serve` beyond loopback
USER_KEY = "_painrcm_user"


@st.cache_resource(show_spinner=False)
def _engine(path: str):
    return open_state(data.warehouse_path())


def engine():
    return _engine(str(data.warehouse_path()))


def login_required() -> bool:
    return os.environ.get(LOGIN_ENV) == "1"


def login_gate() -> bool:
    """Beyond loopback with named users: sign in with name and password first."""
    if not login_required() or st.session_state.get("_painrcm_signed_in"):
        return True
    if not state_exists(data.warehouse_path()) or not list_users(engine()):
        return True  # no named users: the shared password gate (if any) is the only one
    st.title("painrcm: sign in")
    with st.form("login"):
        name = st.text_input("Name", key="_login_name")
        password = st.text_input("Password", type="password", key="_login_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        user = authenticate(engine(), name.strip(), password)
        if user is None:
            st.error("Wrong name or password.")
        else:
            st.session_state["_painrcm_signed_in"] = user.name
            st.rerun()
    return False


def current_user() -> User | None:
    """The signed-in user; on this machine only (loopback), whoever is picked as 'Working as'."""
    signed = st.session_state.get("_painrcm_signed_in")
    if signed:
        return get_user(engine(), signed)
    users = list_users(engine()) if state_exists(data.warehouse_path()) else []
    if not users:
        st.sidebar.caption("No users yet: `painrcm users add NAME --warehouse W`.")
        return None
    names = [u.name for u in users]
    picked = st.sidebar.selectbox("Working as", names, index=None, key=USER_KEY)
    return next((u for u in users if u.name == picked), None)


def with_key_columns(mart: str, columns: list[str] | None) -> list[str] | None:
    """A worklist's shown columns plus its work key (state is joined on it)."""
    if not columns or mart not in WORKLISTS:
        return columns
    return [*columns, *(k for k in WORKLISTS[mart].key if k not in columns)]


WORK_COLUMNS = ("work_status", "assignee", "follow_up_date", "last_worked_at", "last_worked_by")


def with_work_columns(mart: str, rows: pl.DataFrame) -> pl.DataFrame:
    """The shown rows with their work state: status, assignee, next follow-up, last worked."""
    if mart not in WORKLISTS or not all(k in rows.columns for k in WORKLISTS[mart].key):
        return rows
    return with_state_for(rows, mart, data.warehouse_path()).select(*rows.columns, *WORK_COLUMNS)


def hide_worked(mart: str, filters, key: str):
    """Leave out the items that are done, or snoozed and not yet due, unless the person asks
    to see them (a sidebar checkbox per worklist)."""
    if mart not in WORKLISTS or not state_exists(data.warehouse_path()):
        return filters
    if st.sidebar.checkbox("Show done and snoozed items", key=f"{key}_show_worked"):
        return filters
    today = dt.date.today()
    hidden = tuple(
        r["key"]
        for r in state_rows(engine(), mart=mart)
        if r["work_status"] == "done"
        or (
            r["work_status"] == "snoozed"
            and (r["follow_up_date"] is None or r["follow_up_date"] > today)
        )
    )
    if not hidden:
        return filters
    return dataclasses.replace(filters, exclude=(WORKLISTS[mart].key, hidden))


def _label(key: tuple[str, ...]) -> str:
    return " · ".join(v or "(none)" for v in key)


def _submit(mart: str, picked: tuple[str, ...], user: str, form: str) -> None:
    """The Save callback (runs before the page's next run): the changes are the fields the
    person moved away from what the form showed; the base version is the one it showed."""
    ss = st.session_state
    gen = ss.get(f"{form}_gen", 0)
    drawn_version, drawn = ss[f"{form}_drawn_{gen}"]
    now = {
        "status": ss[f"{form}_status_{gen}"],
        "assignee": ss[f"{form}_assignee_{gen}"] or None,
        "follow_up_date": ss[f"{form}_follow_{gen}"],
    }
    note = ss.get(f"{form}_note_{gen}", "")
    changes = {f: v for f, v in now.items() if v != drawn[f]}
    try:
        new = save(engine(), mart, picked, user, note=note, base_version=drawn_version, **changes)
        ss[f"{form}_message"] = ("success", f"Saved (version {new.version}).")
        carry = ""
    except StaleEdit as exc:
        # nothing written: the form is drawn again with the other person's values and the
        # note kept, so the next save is made knowingly and nothing typed is lost
        ss[f"{form}_message"] = ("warning", str(exc))
        carry = note
    except (PermissionError, ValueError) as exc:
        ss[f"{form}_message"] = ("error", str(exc))
        carry = note
    ss[f"{form}_gen"] = gen + 1
    ss[f"{form}_carry"] = carry


def state_editor(mart: str, rows: pl.DataFrame | None, filters=None) -> None:
    """Set status, assignee, follow-up and a note for one of the rows shown; a manager may
    assign every row of the filtered list (`filters`, all its pages) at once."""
    if rows is None or rows.is_empty() or mart not in WORKLISTS:
        return
    keys = WORKLISTS[mart].key
    if not all(k in rows.columns for k in keys):
        return
    with st.expander("Work an item: status, assignee, follow-up, notes", expanded=False):
        user = current_user()
        if user is None:
            st.info("Pick who is working in the sidebar ('Working as') to record work.")
            return
        options = list(
            dict.fromkeys(
                tuple("" if v is None else str(v) for v in r) for r in rows.select(keys).iter_rows()
            )
        )
        picked = st.selectbox(" · ".join(keys), options, format_func=_label, key=f"{mart}_work_key")
        if picked is None:
            return
        eng = engine()
        form = f"{mart}_work_{_label(picked)}"
        ss = st.session_state
        message = ss.pop(f"{form}_message", None)
        if message:
            getattr(st, message[0])(message[1])
        item = get_item(eng, mart, picked)
        gen = ss.get(f"{form}_gen", 0)
        if f"{form}_drawn_{gen}" not in ss:
            # a fresh form shows the item as it is now: that version is what a save is based on
            current = {
                "status": item.status if item else "new",
                "assignee": item.assignee if item else None,
                "follow_up_date": item.follow_up_date if item else None,
            }
            ss[f"{form}_drawn_{gen}"] = (item.version if item else 0, current)
            ss[f"{form}_status_{gen}"] = current["status"]
            ss[f"{form}_assignee_{gen}"] = current["assignee"] or ""
            ss[f"{form}_follow_{gen}"] = current["follow_up_date"]
            ss[f"{form}_note_{gen}"] = ss.pop(f"{form}_carry", "")
        shown = ss[f"{form}_drawn_{gen}"][1]
        st.caption(
            f"Now: {item.status if item else 'new'}"
            + (f", {item.assignee}" if item and item.assignee else ", unassigned")
            + (
                f", follow up {item.follow_up_date.isoformat()}"
                if item and item.follow_up_date
                else ""
            )
        )
        people = [u.name for u in list_users(eng)] if user.is_manager else [user.name]
        choices = [""] + sorted(set(people) | ({shown["assignee"]} if shown["assignee"] else set()))
        with st.form(f"{form}_form_{gen}"):
            st.selectbox("Status", STATUSES, key=f"{form}_status_{gen}")
            st.selectbox(
                "Assignee",
                choices,
                key=f"{form}_assignee_{gen}",
                format_func=lambda n: n or "unassigned",
            )
            st.date_input("Follow-up", min_value=dt.date(2000, 1, 1), key=f"{form}_follow_{gen}")
            st.text_area("Note", key=f"{form}_note_{gen}")
            st.form_submit_button("Save", on_click=_submit, args=(mart, picked, user.name, form))
        if user.is_manager:
            keys_all = filtered_keys(mart, filters) if filters is not None else options
            _bulk_assign(mart, keys_all, user.name)
        events = history(eng, mart, picked)
        if events:
            st.table(
                pl.DataFrame(
                    {
                        "when (UTC)": [e.at.strftime("%Y-%m-%d %H:%M") for e in events],
                        "who": [e.actor for e in events],
                        "what": [e.field for e in events],
                        "value": [e.new_value or "" for e in events],
                    }
                ).reverse()
            )


def filtered_keys(mart: str, filters) -> list[tuple[str, ...]]:
    """The work keys of every row the filters select (every page, not only the one shown)."""
    keys = WORKLISTS[mart].key
    frame = data.all_rows(mart, filters, None, list(keys))
    return list(
        dict.fromkeys(
            tuple("" if v is None else str(v) for v in r) for r in frame.select(keys).iter_rows()
        )
    )


def _bulk_assign(mart: str, keys: list[tuple[str, ...]], manager: str) -> None:
    """A manager hands every row of the filtered list (all its pages) to one person, after
    confirming the count."""
    names = [u.name for u in list_users(engine())]
    left, right = st.columns([3, 1])
    who = left.selectbox(
        f"Assign all {len(keys):,} rows of this list to", names, index=None, key=f"{mart}_bulk_who"
    )
    confirmed = left.checkbox(
        f"Yes, assign all {len(keys):,} rows of the filtered list"
        + (f" to {who}" if who else "")
        + " (every page, not only the rows shown)",
        key=f"{mart}_bulk_confirm",
        disabled=who is None,
    )
    if right.button("Assign", key=f"{mart}_bulk_go", disabled=who is None or not confirmed):
        for key in keys:
            save(engine(), mart, key, manager, assignee=who)
        st.success(f"{len(keys):,} item(s) assigned to {who}.")


def appeal_buttons(rows: pl.DataFrame | None) -> None:
    """Denials page: the appeal packet of a claim shown, as PDF (to send) or DOCX (to edit)."""
    if rows is None or rows.is_empty() or "claim_id" not in rows.columns:
        return
    import tempfile
    from pathlib import Path

    from painrcm.appeal.packet import write_packet

    claims = list(dict.fromkeys(str(c) for c in rows.get_column("claim_id").to_list() if c))
    left, mid, right = st.columns([2, 1, 1])
    claim = left.selectbox("Appeal packet for claim", claims, key="dn_appeal_claim")

    def packet(suffix: str) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"appeal{suffix}"
            write_packet(data.warehouse_path(), claim, out)
            return out.read_bytes()

    mid.download_button(
        "Appeal letter (PDF)",
        data=lambda: packet(".pdf"),
        file_name=f"appeal_{claim}.pdf",
        mime="application/pdf",
        key="dn_appeal_pdf",
        on_click="ignore",
    )
    right.download_button(
        "Appeal letter (DOCX)",
        data=lambda: packet(".docx"),
        file_name=f"appeal_{claim}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="dn_appeal_docx",
        on_click="ignore",
    )
