"""The work queue in the app (AppTest): My queue, the state editor under a worklist with two
sessions editing the same item, the sign-in page, and the Denials page's appeal packet."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from streamlit.elements.widgets.button import ButtonMixin
from streamlit.testing.v1 import AppTest

from painrcm.paths import dashboards_dir
from painrcm.work.db import STATE_URL_ENV, open_state
from painrcm.work.items import get_item, history, save
from painrcm.work.users import add_user

pytestmark = pytest.mark.slow
APP = dashboards_dir() / "app.py"


@pytest.fixture
def warehouse(built_warehouse, tmp_path, monkeypatch):
    """A private copy (its own state database) with ana (biller) and mia (manager)."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, path)
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(path))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    monkeypatch.delenv("PAINRCM_DASHBOARD_LOGIN", raising=False)
    monkeypatch.delenv(STATE_URL_ENV, raising=False)
    engine = open_state(path)
    add_user(engine, "ana", "biller", "ana-password")
    add_user(engine, "mia", "manager", "mia-password")
    return path


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _as(at: AppTest, user: str) -> AppTest:
    at.selectbox(key="_painrcm_user").select(user).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _first_claim(at: AppTest) -> str:
    return str(at.selectbox(key="ar_worklist_work_key").value[0])


def _save(at: AppTest, status: str | None = None, note: str = "") -> AppTest:
    if status:
        next(s for s in at.selectbox if s.label == "Status").select(status)
    next(t for t in at.text_area if t.label == "Note").input(note)
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_my_queue_shows_my_items_due_first(warehouse):
    engine = open_state(warehouse)
    today = dt.date.today()
    save(engine, "ar_worklist", ("C-LATER",), "mia", assignee="ana",
         follow_up_date=today + dt.timedelta(days=5), note="later")  # fmt: skip
    save(engine, "ar_worklist", ("C-DUE",), "mia", assignee="ana", follow_up_date=today,
         note="call back today")  # fmt: skip
    save(engine, "denials", ("C-BEN", "1", "CO", "16"), "mia", assignee="mia")
    save(engine, "ar_worklist", ("C-SNOOZE",), "mia", assignee="ana", status="snoozed",
         follow_up_date=today + dt.timedelta(days=9))  # fmt: skip
    at = _as(_open("my_queue"), "ana")
    table = at.dataframe[-1].value
    assert table["item"].tolist() == ["C-DUE", "C-LATER"]  # snoozed hidden, due first
    assert table["due"].tolist() == ["today", ""]
    assert table["last_note"].tolist() == ["call back today", "later"]
    # a manager sees everyone's queue
    mia = _as(_open("my_queue"), "mia")
    mia.selectbox(key="mq_who").select("everyone").run()
    assert set(mia.dataframe[-1].value["item"]) == {"C-DUE", "C-LATER", "C-BEN · 1 · CO · 16"}


def test_two_sessions_editing_one_item_lose_nothing(warehouse):
    ana = _as(_open("ar_worklist"), "ana")
    mia = _as(_open("ar_worklist"), "mia")
    claim = _first_claim(ana)
    assert _first_claim(mia) == claim
    # both have the item on screen; ana saves first
    _save(ana, status="in_progress", note="called the payer")
    assert any("Saved" in s.value for s in ana.success)
    # mia's screen is stale: her status change is refused with what ana did
    _save(mia, status="waiting_on_payer", note="portal says pending")
    assert any("ana set status to in_progress" in w.value for w in mia.warning)
    engine = open_state(warehouse)
    assert get_item(engine, "ar_worklist", (claim,)).status == "in_progress"
    # having seen it, mia saves again on purpose; both notes are in the history
    _save(mia, status="waiting_on_payer", note="portal says pending")
    assert get_item(engine, "ar_worklist", (claim,)).status == "waiting_on_payer"
    notes = [e.new_value for e in history(engine, "ar_worklist", (claim,)) if e.field == "note"]
    assert notes == ["called the payer", "portal says pending"]
    # the worklist table shows the state of the row
    fresh = _open("ar_worklist")
    table = fresh.dataframe[-1].value
    row = table[table["claim_id"] == claim]
    assert row["work_status"].tolist() == ["waiting_on_payer"]
    assert row["last_worked_by"].tolist() == ["mia"]


def test_sign_in_with_a_named_user_beyond_loopback(warehouse, monkeypatch):
    monkeypatch.setenv("PAINRCM_DASHBOARD_LOGIN", "1")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert at.title[0].value == "painrcm: sign in"
    at.text_input(key="_login_name").input("ana")
    at.text_input(key="_login_password").input("wrong-password")
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert any("Wrong name or password" in e.value for e in at.error)
    at.text_input(key="_login_password").input("ana-password")
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    assert at.title[0].value != "painrcm: sign in"
    at.switch_page("pages/my_queue.py").run()
    assert not any(s.key == "_painrcm_user" for s in at.selectbox)  # signed in: no picker
    assert not at.exception


def test_denials_page_serves_the_appeal_packet(warehouse, monkeypatch):
    served: dict[str, bytes] = {}
    original = ButtonMixin.download_button

    def spy(self, label, data, *args, **kwargs):
        payload = data() if callable(data) and "appeal" in (kwargs.get("key") or "") else data
        served[kwargs.get("key") or label] = payload if isinstance(payload, bytes) else b""
        return original(self, label, payload, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", spy)
    _open("denials")
    assert served["dn_appeal_pdf"][:5] == b"%PDF-"
    assert served["dn_appeal_docx"][:2] == b"PK"


def test_a_manager_bulk_assigns_every_row_of_the_filtered_list(warehouse, monkeypatch):
    """Issue #23: bulk assign covers the whole filtered list, every page of it, not only the
    rows on screen, and only after a confirmation that shows the count."""
    import dashboards.ui

    monkeypatch.setattr(dashboards.ui, "PAGE_SIZE", 5)  # the list spans several pages
    mia = _as(_open("ar_worklist"), "mia")
    total = _caption_total(mia)
    shown = mia.selectbox(key="ar_worklist_work_key").options
    assert len(shown) == 5 < total
    mia.selectbox(key="ar_worklist_bulk_who").select("ana").run()
    confirm = mia.checkbox(key="ar_worklist_bulk_confirm")
    assert f"all {total:,} rows" in confirm.label and "ana" in confirm.label
    engine = open_state(warehouse)
    from painrcm.work.items import state_rows

    # not confirmed: the button cannot be pressed
    assert mia.button(key="ar_worklist_bulk_go").disabled
    assert not state_rows(engine, mart="ar_worklist", assignee="ana")
    confirm.check().run()
    mia.button(key="ar_worklist_bulk_go").click().run()
    assert not mia.exception
    assigned = state_rows(engine, mart="ar_worklist", assignee="ana")
    assert len(assigned) == total
    assert all(r["last_worked_by"] == "mia" for r in assigned)
    # a biller has no bulk assign
    ana = _as(_open("ar_worklist"), "ana")
    assert not any(s.key == "ar_worklist_bulk_who" for s in ana.selectbox)


def test_bulk_assign_follows_the_filters(warehouse):
    """A filtered list: exactly its rows are assigned, none of the others."""
    mia = _as(_open("ar_worklist"), "mia")
    total = _caption_total(mia)
    payers = mia.multiselect(key="ar_payer")
    for payer in payers.options:
        payers.set_value([payer]).run()
        if _caption_total(mia) < total:
            break
    filtered = _caption_total(mia)
    assert 0 < filtered < total
    mia.selectbox(key="ar_worklist_bulk_who").select("ana").run()
    mia.checkbox(key="ar_worklist_bulk_confirm").check().run()
    mia.button(key="ar_worklist_bulk_go").click().run()
    assert not mia.exception
    from painrcm.work.items import state_rows

    assert len(state_rows(open_state(warehouse), mart="ar_worklist", assignee="ana")) == filtered


def _caption_total(at: AppTest) -> int:
    import re

    for caption in at.caption:
        match = re.search(r"rows [\d,]+-[\d,]+ of ([\d,]+) · marts.ar_worklist", caption.value)
        if match:
            return int(match.group(1).replace(",", ""))
    raise AssertionError("no rows caption")


def test_done_and_snoozed_items_are_hidden_by_default(warehouse):
    at = _open("ar_worklist")
    before = _caption_total(at)
    claims = at.dataframe[-1].value["claim_id"].tolist()
    engine = open_state(warehouse)
    save(engine, "ar_worklist", (claims[0],), "mia", status="done")
    save(engine, "ar_worklist", (claims[1],), "mia", status="snoozed",
         follow_up_date=dt.date.today() + dt.timedelta(days=3))  # fmt: skip
    save(engine, "ar_worklist", (claims[2],), "mia", status="snoozed",
         follow_up_date=dt.date.today())  # due again: shown  # fmt: skip
    at = _open("ar_worklist")
    assert _caption_total(at) == before - 2
    shown = at.dataframe[-1].value["claim_id"].tolist()
    assert claims[0] not in shown and claims[1] not in shown and claims[2] in shown
    at.checkbox(key="ar_show_worked").check().run()
    assert _caption_total(at) == before
