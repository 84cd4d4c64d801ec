"""The served app in a real browser: `painrcm serve` + Playwright driving Debian's chromium.

Each page loads with its tables or charts and no exception; a `painrcm build` while the app
is open publishes a new as-of date that the app then shows; every page is screenshotted into
docs/screenshots/ (the README embeds them, so they stay true).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/lib/chromium/chromium")
PAINRCM = Path(sys.executable).with_name("painrcm")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# url path (st.Page default: the file name) -> screenshot name
PAGES = [
    "overview",
    "prior_auth",
    "readiness",
    "pa_benchmark",
    "guidance",
    "chronic_pain",
    "documentation",
    "underpayments",
    "denials",
    "ar_worklist",
    "contracts",
    "payers",
    "credentialing",
    "data_health",
]
NEW_AS_OF = "2026-12-15"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"Debian chromium is not installed ({CHROMIUM}): apt-get install -y chromium",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(built_warehouse, tmp_path_factory):
    """`painrcm serve` on a free port over a private copy of the built warehouse."""
    warehouse = tmp_path_factory.mktemp("served") / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PAINRCM_DASHBOARD_PASSWORD"}
    proc = subprocess.Popen(
        [str(PAINRCM), "serve", "--warehouse", str(warehouse), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path_factory.mktemp("cwd"),  # any working directory
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
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(page, url: str, expect: str = "As of") -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text(expect).first.wait_for(timeout=30_000)
    # Streamlit shows a running indicator while the script runs; wait for it to settle.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(800)


def _check_page(page, name: str) -> None:
    page.wait_for_selector(
        "[data-testid='stDataFrame']:visible, .js-plotly-plot:visible, "
        "[data-testid='stAlert']:visible",
        timeout=30_000,
    )
    page.wait_for_timeout(1500)  # the rest of the page's elements
    assert page.locator("[data-testid='stException']").count() == 0, name
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error:" not in body, name
    tables = page.locator("[data-testid='stDataFrame']:visible").count()
    charts = page.locator(".js-plotly-plot:visible").count()
    notes = page.locator("[data-testid='stAlert']:visible").count()
    assert tables + charts + notes > 0, f"{name}: no visible table, chart or explanation"


def test_every_page_then_a_build_while_open(served, browser):
    url, warehouse = served
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for name in PAGES:
        _open(page, url if name == "overview" else f"{url}/{name}")
        _check_page(page, name)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    # The app stays open on the Overview while a build publishes a new warehouse.
    _open(page, url)
    assert page.get_by_text("As of 2026-11-30").count() > 0
    result = subprocess.run(
        [str(PAINRCM), "build", "--warehouse", str(warehouse), "--as-of", NEW_AS_OF],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    _open(page, url, expect=f"As of {NEW_AS_OF}")
    _check_page(page, "overview after build")
