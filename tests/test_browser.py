"""The served app in a real browser: `painrcm serve` + Playwright driving Debian's chromium.

Each page loads with its tables or charts and no exception; what a reader would catch is
asserted (no "$" in a percent column, PA benchmark bars within 100 %, the partial as-of month
marked, worklist rank 1 something to do); a `painrcm build` while the app is open publishes
a new as-of date that the app then shows. Every page is screenshotted full page into a
temporary folder, or into docs/screenshots/ (which the README embeds) when asked:
`PAINRCM_UPDATE_SCREENSHOTS=1 pytest tests/test_browser.py`, so `make test` leaves the clone
clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import AS_OF

CHROMIUM = Path("/usr/lib/chromium/chromium")
PAINRCM = Path(sys.executable).with_name("painrcm")
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WIDTH = 1400
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
    "rejections",
    "ar_worklist",
    "contracts",
    "payers",
    "credentialing",
    "data_health",
]
# Pages in the navigation that this test does not visit (tests/test_work_browser.py does).
NAV_ONLY = ["My queue"]
# a day after the suite's as-of, whatever it is (PAINRCM_TEST_AS_OF)
NEW_AS_OF = (AS_OF + timedelta(days=15)).isoformat()

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
            _stop(proc)
            pytest.fail(f"painrcm serve exited: {proc.stdout.read().decode()[-2000:]}")
    else:
        _stop(proc)
        pytest.fail("painrcm serve did not answer within 60 s")
    try:
        yield url, warehouse
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """End serve and everything it started (its own process group), so no server outlives
    the test."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    if proc.stdout:
        proc.stdout.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    if os.environ.get("PAINRCM_UPDATE_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


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


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so Playwright's full_page sees one screen:
    grow the viewport to the content's height first, then shoot."""
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]')
                || document.querySelector('[data-testid="stAppViewContainer"]');
            const side = document.querySelector('[data-testid="stSidebarContent"]');
            return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0,
                            document.body.scrollHeight);
        }"""
    )
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(1500)  # charts re-layout at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": WIDTH, "height": 1000})


def _plot_data(page) -> list[dict]:
    """Every plotly figure's traces on the page (name, x, y, and the layout's axes)."""
    raw = page.evaluate(
        """() => JSON.stringify(Array.from(document.querySelectorAll('.js-plotly-plot')).map(
            p => ({
                title: (p.layout && p.layout.title && p.layout.title.text) || '',
                traces: (p.data || []).map(t => ({name: t.name, x: t.x, y: t.y, type: t.type})),
                barmode: p.layout && p.layout.barmode,
                yaxis: {
                    tickprefix: p.layout && p.layout.yaxis && p.layout.yaxis.tickprefix,
                    ticksuffix: p.layout && p.layout.yaxis && p.layout.yaxis.ticksuffix,
                },
            })))"""
    )
    return json.loads(raw)


def _metrics(page) -> dict[str, str]:
    """KPI tile label -> the value shown."""
    pairs = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(m => [
            (m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText || '',
            (m.querySelector('[data-testid="stMetricValue"]') || {}).innerText || ''])"""
    )
    return {label.strip(): value.strip() for label, value in pairs}


def _assert_readable(page, name: str) -> None:
    """What issue #18 found wrong on screen, checked in the browser."""
    plots = _plot_data(page)
    for plot in plots:  # a percentage axis is never money
        if plot["yaxis"].get("ticksuffix") == "%":
            assert plot["yaxis"].get("tickprefix") != "$", (name, plot["title"])
    if name == "overview":
        body = page.inner_text("body")
        assert "is partial" in body, "the partial as-of month is marked"
        tiles = _metrics(page)
        rates = {k: v for k, v in tiles.items() if k.endswith("rate")}
        assert len(rates) == 3, tiles
        for label, value in rates.items():
            assert value.endswith("%") and "$" not in value, (label, value)
        assert "$" not in tiles["Days in A/R"] and tiles["Days in A/R"].endswith("days")
        assert tiles["Charges"].startswith("$") and len(tiles["Charges"]) <= 9, tiles
        assert "%" in " ".join(p["title"] for p in plots) or any(
            p["yaxis"].get("ticksuffix") == "%" for p in plots
        )
    if name == "pa_benchmark":
        titles = [re.sub(r"<[^>]+>", "", p["title"]) for p in plots]
        shares = [p for p, t in zip(plots, titles, strict=True) if t.startswith("%")]
        assert shares, titles
        for plot in plots:  # one bar per payer and series: report years never stack
            assert plot["barmode"] == "group", plot["title"]
            for trace in plot["traces"]:
                assert len(trace["x"]) == len(set(trace["x"])), (plot["title"], trace["x"])
        for plot in shares:
            for trace in plot["traces"]:
                values = [v for v in trace["y"] or [] if v is not None]
                assert all(0 <= v <= 100 for v in values), (plot["title"], trace)
    if name == "ar_worklist":
        rows = _grid_cells(page)
        header = rows[0]
        first = dict(zip(header, rows[1], strict=False))
        assert first["Rank"] == "1", first
        assert first["Next action"] not in ("", "wait"), first
    if name in ("contracts", "pa_benchmark"):
        rows = _grid_cells(page)
        assert len(rows) > 1, name
        header = rows[0]
        for col, title in enumerate(header):
            if "%" in title:
                assert all("$" not in r[col] for r in rows[1:] if col < len(r)), title


def _grid_cells(page) -> list[list[str]]:
    """The text of the first data grid's rows (glide-data-grid keeps an accessible table
    of the rendered rows beside its canvas, once it is on screen)."""
    page.locator("[data-testid='stDataFrame']").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    return page.evaluate(
        """() => {
            const grid = document.querySelector('[data-testid="stDataFrame"] table');
            if (!grid) return [];
            return Array.from(grid.querySelectorAll('tr')).map(
                tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.innerText.trim()));
        }"""
    )


def _assert_navigation(page, current: str) -> None:
    """Every page listed by section (never "View 3 more"), the current one marked."""
    links = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stSidebarNavLink"]'))
            .map(a => [a.innerText.split('\\n').pop().trim(), a.getAttribute('aria-current')])"""
    )
    assert len(links) == len(PAGES) + len(NAV_ONLY), links
    assert all(any(t == n for t, _ in links) for n in NAV_ONLY), links
    assert [t for t, c in links if c == "page"] == [current], links
    sidebar = page.inner_text("[data-testid='stSidebar']")
    assert "Before the procedure" in sidebar and not re.search(r"View \d+ more", sidebar)


def test_every_page_then_a_build_while_open(served, browser, screenshots):
    url, warehouse = served
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    # The server's first visitor opens a deep link: still app.py's navigation (and gate),
    # not the page run on its own (dashboards/streamlit_main.py).
    _open(page, f"{url}/denials")
    _assert_navigation(page, "Denials")
    for name in PAGES:
        _open(page, url if name == "overview" else f"{url}/{name}")
        _check_page(page, name)
        _assert_readable(page, name)
        full_page_screenshot(page, screenshots / f"{name}.png")
        assert (screenshots / f"{name}.png").stat().st_size > 10_000, name

    # The app stays open on the Overview while a build publishes a new warehouse.
    _open(page, url)
    assert page.get_by_text(f"As of {AS_OF.isoformat()}").count() > 0
    result = subprocess.run(
        [str(PAINRCM), "build", "--warehouse", str(warehouse), "--as-of", NEW_AS_OF],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    _open(page, url, expect=f"As of {NEW_AS_OF}")
    _check_page(page, "overview after build")
