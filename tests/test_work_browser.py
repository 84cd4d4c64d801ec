"""Two billers edit the same worklist item at once in a real browser (two sessions of the
served app): the later save sees the earlier one and nothing is lost. Screenshots of the
state editor and My queue go to docs/screenshots/ with PAINRCM_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from painrcm.work.db import open_state
from painrcm.work.items import get_item, history
from painrcm.work.users import add_user
from tests.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAINRCM,
    _free_port,
    _open,
    screenshots,  # noqa: F401 - the fixture: a temp folder unless PAINRCM_UPDATE_SCREENSHOTS
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"Debian chromium is not installed ({CHROMIUM})"
    ),
]


@pytest.fixture(scope="module")
def served_queue(built_warehouse, tmp_path_factory):
    """`painrcm serve` over a copy of the warehouse whose state has ana and mia."""
    warehouse = tmp_path_factory.mktemp("queue") / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    engine = open_state(warehouse)
    add_user(engine, "ana", "biller", "ana-password")
    add_user(engine, "mia", "manager", "mia-password")
    engine.dispose()
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PAINRCM_DASHBOARD_PASSWORD", "PAINRCM_STATE_URL")
    }
    proc = subprocess.Popen(
        [str(PAINRCM), "serve", "--warehouse", str(warehouse), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail(f"painrcm serve exited: {proc.stdout.read().decode()[-2000:]}")
    else:
        proc.kill()
        pytest.fail("painrcm serve did not answer within 60 s")
    yield url, warehouse
    # the whole session: `painrcm serve` and the Streamlit server it started
    os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    # Streamlit may outlive a SIGTERM of its parent (issue 25): nothing of the group stays
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _select(page, label: str, option: str) -> None:
    # Streamlit's selectbox is a combobox named by its label
    combo = page.get_by_role("combobox", name=label, exact=True).first
    combo.click()
    combo.fill(option)  # typing filters the list to the option
    try:
        page.get_by_role("option", name=option, exact=True).first.click(timeout=15_000)
    except Exception:
        page.screenshot(path="/tmp/wq/select_fail.png", full_page=True)
        raise
    page.wait_for_timeout(1200)


def _editor(page, url: str, user: str) -> None:
    _open(page, f"{url}/ar_worklist")
    _select(page, "Working as", user)
    page.get_by_text("Work an item").first.click()
    page.get_by_role("button", name="Save").wait_for(timeout=30_000)


def _save(page, status: str, note: str) -> None:
    _select(page, "Status", status)
    page.locator("[data-testid='stTextArea'] textarea").first.fill(note)
    page.get_by_role("button", name="Save").click()
    page.wait_for_timeout(2500)


def test_two_browser_sessions_edit_one_item(served_queue, screenshots):  # noqa: F811
    from playwright.sync_api import sync_playwright

    url, warehouse = served_queue
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            ana = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            mia = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            _editor(ana, url, "ana")
            _editor(mia, url, "mia")  # both have the item on screen
            _save(ana, "in_progress", "called the payer")
            ana.get_by_text("Saved (version 1)").wait_for(timeout=30_000)
            _save(mia, "waiting_on_payer", "portal says pending")
            mia.get_by_text("ana set status to in_progress").wait_for(timeout=30_000)
            mia.screenshot(path=str(screenshots / "work_editor.png"), full_page=True)
            # the form is drawn again with ana's status and mia's note kept: she saves knowingly
            note = mia.locator("[data-testid='stTextArea'] textarea").first
            assert note.input_value() == "portal says pending"
            _select(mia, "Status", "waiting_on_payer")
            mia.get_by_role("button", name="Save").click()
            mia.get_by_text("Saved (version 2)").wait_for(timeout=30_000)
            _open(mia, f"{url}/my_queue", expect="My queue")
            _select(mia, "Working as", "mia")
            _select(mia, "Queue of", "everyone")
            mia.screenshot(path=str(screenshots / "my_queue.png"), full_page=True)
        finally:
            browser.close()
    engine = open_state(warehouse)
    items = [r for r in history(engine, "ar_worklist", _worked_claim(engine))]
    notes = [e.new_value for e in items if e.field == "note"]
    assert notes == ["called the payer", "portal says pending"]
    assert get_item(engine, "ar_worklist", _worked_claim(engine)).status == "waiting_on_payer"


def _worked_claim(engine) -> tuple[str, ...]:
    from painrcm.work.items import state_rows

    (row,) = state_rows(engine, mart="ar_worklist")
    return row["key"]
