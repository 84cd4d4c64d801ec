"""bench/page_load.py, behind the README's page-load table: it measures every page of the
app, read from dashboards/app.py's navigation (no list of its own to fall behind)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from painrcm.paths import dashboards_dir

BENCH = Path(__file__).resolve().parents[1] / "bench" / "page_load.py"


def _bench():
    spec = importlib.util.spec_from_file_location("page_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_file_of_the_app_is_measured():
    pages = _bench().app_pages()
    files = {p.stem for p in (dashboards_dir() / "pages").glob("*.py")}
    assert [stem for stem, _ in pages if stem not in files] == []
    assert sorted(stem for stem, _ in pages) == sorted(files)
    titles = dict(pages)
    assert titles["rejections"] == "Rejections" and titles["my_queue"] == "My queue"
    assert titles["payers"] == "Payers"


def test_a_page_added_to_the_navigation_is_measured(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(
        'nav = {"A": [page("one.py", "One", ":x:", default=True)],\n'
        '       "B": [page("two.py", "Two", ":y:")]}\n'
    )
    assert _bench().app_pages(app) == [("one", "One"), ("two", "Two")]


def test_claim_lines_counts_the_claims_in_effect_of_an_837_practice(tmp_path):
    """An 837 practice's raw.claims is (nearly) empty: its claims are X12 segments. The
    table's figure is the claim lines staging holds."""
    import duckdb

    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema staging")
    con.execute("create table raw.claims as select 1 as x")
    con.execute("create table staging.stg_pm__claims as select * from range(3)")
    con.close()
    assert _bench().claim_lines(path) == 3
