"""Every dashboard page under streamlit.testing.v1.AppTest against the built practice:
renders without exception, a sidebar filter changes the rows, and the CSV download holds
exactly the rows the filters select, in the order shown."""

from __future__ import annotations

import csv
import io
import json
import re

import polars as pl
import pytest
from streamlit.elements.widgets.button import ButtonMixin
from streamlit.testing.v1 import AppTest

from dashboards.highlight import highlight
from painrcm.paths import dashboards_dir
from tests.conftest import AS_OF

APP = dashboards_dir() / "app.py"

# page file, worklist key prefix (None: no worklist), sidebar filter to exercise, table
PAGES = [
    ("overview", None, "ov_months", "practice_kpis"),
    ("prior_auth", "pa", "pa_payer", "pa_coverage_gaps"),
    ("guidance", "gd", "gd_payer", "guidance_recapture"),
    ("underpayments", "up", "up_payer", "mppr_underpayments"),
    ("denials", "dn", "dn_payer", "denials"),
    ("ar_worklist", "ar", "ar_payer", "ar_worklist"),
    ("rejections", "rj", "rj_payer", "claim_rejections"),
    ("pa_benchmark", "bm", "bm_payer", "payer_pa_benchmark"),
    ("contracts", "ct", "ct_payer", "fee_schedule_comparison"),
    ("credentialing", "cr", "cr_type", "credentialing_alerts"),
    ("data_health", "dh_log", "dh_kind", "raw.load_log"),
    ("readiness", "rd", "rd_finding", "procedure_readiness"),
    ("chronic_pain", "cp", "cp_finding", "chronic_pain_capture"),
    ("documentation", "dc", "dc_risk", "documentation_risk"),
]
ROWS_CAPTION = re.compile(r"rows [\d,]+-[\d,]+ of ([\d,]+) · (\S+)")


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Capture what each download button would serve (the data callable is invoked)."""
    captured: dict[str, bytes] = {}
    original = ButtonMixin.download_button

    def spy(self, label, data, *args, **kwargs):
        payload = data() if callable(data) else data
        captured[kwargs.get("key") or label] = payload
        return original(self, label, payload, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", spy)
    return captured


@pytest.fixture
def app(built_warehouse, monkeypatch):
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(built_warehouse))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)

    def open_page(page: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        return at

    return open_page


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _total(at: AppTest, table: str) -> int | None:
    for caption in at.caption:
        match = ROWS_CAPTION.search(caption.value)
        if match and match.group(2) == table:
            return int(match.group(1).replace(",", ""))
    return None


def _explained_empty(at: AppTest) -> bool:
    return any("has no rows in this build" in i.value or "No " in i.value for i in at.info)


@pytest.mark.slow
@pytest.mark.parametrize(("page", "key", "filter_key", "table"), PAGES, ids=[p[0] for p in PAGES])
def test_page(app, downloads, page, key, filter_key, table):
    table = table if "." in table else f"marts.{table}"
    at = app(page)
    _no_exception(at)
    assert at.title, "every page has a title"
    assert any(f"As of {AS_OF.isoformat()}" in m.value for m in at.markdown), "as-of date shown"
    _formatted_by_unit(at, page)

    if key is None:  # Overview: the month range narrows the KPI table
        table = at.dataframe[0].value
        assert len(table) > 1
        first = table["month"].iloc[0]
        at.date_input(key=filter_key).set_value((first, first)).run()
        _no_exception(at)
        assert len(at.dataframe[0].value) == 1
        return

    before = _total(at, table)
    if before is None:
        assert _explained_empty(at), "an empty worklist says why"
        pytest.skip(f"{page}: its mart has no rows in this build (explained on the page)")

    # the download holds the rows the filters select, in the order shown
    csv = pl.read_csv(io.BytesIO(downloads[f"{key}_csv"]), infer_schema=False)
    assert csv.height == before
    shown = at.dataframe[-1].value if page != "data_health" else _table_with(at, csv.columns)
    keys = ("claim_id", "appointment_id", "note_id", "npi", "file_name", "payer_id")
    col = next((k for k in keys if k in shown.columns), shown.columns[0])
    on_screen = [None if v is None or v != v else str(v) for v in shown[col].tolist()]
    assert on_screen == csv[col].head(len(shown)).to_list()
    assert downloads[f"{key}_xlsx"][:2] == b"PK"

    if page == "ar_worklist":  # rules.md §10 (#18): rank 1 is something to do, never `wait`
        assert shown["priority_rank"].iloc[0] == 1
        assert shown["next_action"].iloc[0] != "wait"
        # issue #23: the words of each action beside its code, on screen and in the download
        from dashboards.ui import ACTIONS

        assert shown["what_to_do"].tolist() == [ACTIONS[a] for a in shown["next_action"]]
        assert csv.columns.index("what_to_do") == csv.columns.index("next_action") + 1
        assert csv["what_to_do"].to_list() == [ACTIONS[a] for a in csv["next_action"]]
        # the payer's name beside its code in the download too, as on screen and in
        # `painrcm export` (painrcm/words.py)
        assert csv.columns.index("payer_name") == csv.columns.index("payer_id") + 1
        assert csv["payer_name"].head(len(shown)).to_list() == shown["payer_name"].tolist()
        assert csv["payer_name"].null_count() == 0
        # the age buckets in the order of the mart's ages (seed ar_age_buckets), youngest first
        chart = json.loads(at.get("plotly_chart")[0].proto.spec)
        order = chart["layout"]["xaxis"]["categoryarray"]
        assert order == sorted(order, key=lambda b: int(b.split("-")[0].rstrip("+")))

    if page == "credentialing":  # the Alert and Status words of the page, in the download
        from painrcm.words import ALERTS

        assert csv.columns.index("alert") == csv.columns.index("alert_type") + 1
        assert csv["alert"].to_list() == [ALERTS[a] for a in csv["alert_type"]]
        assert csv["status"].to_list() == shown["status"].tolist()[: csv.height]

    # a filter changes the rows
    widget = at.multiselect(key=filter_key)
    for option in widget.options:
        widget.set_value([option]).run()
        _no_exception(at)
        after = _total(at, table)
        if after is not None and after < before:
            csv = pl.read_csv(io.BytesIO(downloads[f"{key}_csv"]), infer_schema=False)
            assert csv.height == after
            return
    pytest.skip(f"{page}: every row shares one {filter_key} value in this practice")


# A page's tile whose window is a rule: the mart's window column widened to 60 days, the
# rows it counts, and the tile's label then.
WINDOW_TILES = [
    (
        "credentialing",
        "update marts.credentialing_alerts "
        "set due_soon_days = 60, is_due_soon = days_left between 0 and 60",
        "select count(*) from marts.credentialing_alerts where days_left between 0 and {n}",
        "Due within 60 days",
    ),
    (
        "rejections",
        "update marts.claim_rejections "
        "set escalation_days = 60, is_near_timely_filing = days_to_timely_filing <= 60",
        "select count(distinct (claim_id, submitted_date)) from marts.claim_rejections "
        "where status = 'open' and days_to_timely_filing <= {n}",
        "Open, timely filing within 60 days",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("page", "widen", "count", "label"), WINDOW_TILES, ids=["cr", "rj"])
def test_a_tiles_window_is_the_marts(
    built_warehouse, tmp_path, monkeypatch, page, widen, count, label
):
    """Credentialing's "Due within N days" (seed practice_policies credential_due_soon_days)
    and Rejections' "timely filing within N days" (timely_filing_escalation_days, rules.md
    §10) count the mart's flag and say its window, none of their own: with the window
    widened to 60 days in the mart, the tile says 60 and counts those."""
    import shutil

    import duckdb

    warehouse = tmp_path / "w.duckdb"
    shutil.copy(built_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute(widen)
    (within_60,) = con.execute(count.format(n=60)).fetchone()
    (within_30,) = con.execute(count.format(n=30)).fetchone()
    con.close()
    assert within_60 != within_30, "the practice's rows must tell the windows apart"
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    _no_exception(at)
    tile = next(m for m in at.metric if m.label.endswith("days"))
    assert (tile.label, tile.value) == (label, f"{within_60:,}")


def _formatted_by_unit(at: AppTest, page: str) -> None:
    """Issue #18: every table formats a column by its unit (painrcm.columns, from the marts'
    YAML meta): a percentage never as money, days never as money, money as dollars; internal
    keys hidden on screen."""
    checked = 0
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for name, cfg in config.items():
            fmt = (cfg.get("type_config") or {}).get("format")
            if "pct" in name or name.endswith("_rate"):
                assert fmt in ("%.2f%%", "%+.2f pts"), (page, name, fmt)
                checked += 1
            elif name.startswith("days") or name.endswith("_days"):
                assert fmt and "days" in fmt, (page, name, fmt)
                checked += 1
            elif name in ("open_balance", "variance", "revenue_at_risk", "denied_amount"):
                assert fmt == "dollar", (page, name, fmt)
                checked += 1
        shown = list(frame.proto.column_order)
        for key in ("procedure_line_id", "clp_position", "svc_position", "transaction_id"):
            if key in frame.value.columns:  # kept in the data (and the downloads), not shown
                assert shown and key not in shown, (page, key)
    if page in ("overview", "ar_worklist", "pa_benchmark", "contracts", "underpayments"):
        assert checked, f"{page}: no unit-formatted column checked"


def _table_with(at: AppTest, columns: list[str]):
    for frame in at.dataframe:
        if list(frame.value.columns) == columns:
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def test_password_gate(built_warehouse, monkeypatch):
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(built_warehouse))
    monkeypatch.setenv("PAINRCM_DASHBOARD_PASSWORD", "s3cret")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.dataframe and at.text_input(key="_painrcm_password")
    at.text_input(key="_painrcm_password").set_value("wrong").run()
    assert at.error and not at.dataframe
    at.text_input(key="_painrcm_password").set_value("s3cret").run()
    _no_exception(at)
    assert at.title[0].value == "Overview"


def test_highlight_marks_only_shared_passages():
    a = "Patient tolerated the procedure well. Relief 80 percent."
    b = "Patient tolerated the procedure well. Relief 20 percent after block."
    html = highlight(a, b)
    assert "<mark>Patient</mark> <mark>tolerated</mark>" in html
    assert "<mark>80</mark>" not in html
    assert highlight("<b>x y z</b>", "x y z") == (
        "&lt;b&gt;<mark>x</mark> <mark>y</mark> <mark>z</mark>&lt;/b&gt;"
    )
    # a character whose lowercase is two characters (U+0130) shifts no span after it
    assert (
        highlight("\u0130\u0130 x y z", "q x y z")
        == "\u0130\u0130 <mark>x</mark> <mark>y</mark> <mark>z</mark>"
    )
    assert highlight("", "x y z") == ""


def test_category_order_follows_the_bar_labels():
    """Age buckets read youngest first even when the chart names its categories: the order
    goes through the same labels as the bars (a bar whose label is not in the order would
    be put last by plotly)."""
    import polars as pl

    from dashboards import charts

    df = pl.DataFrame({"age_bucket": ["120+", "31-60", "0-15"], "open_balance": [1.0, 2.0, 3.0]})
    order = ["0-15", "16-30", "31-60", "61-90", "91-120", "120+"]
    labels = {"0-15": "0-15 days", "120+": "over 120 days"}
    fig = charts.bar(df, "age_bucket", "open_balance", "t", category_order=order, labels=labels)
    shown = list(fig.data[0].x)
    axis = list(fig.layout.xaxis.categoryarray)
    assert fig.layout.xaxis.categoryorder == "array"
    assert set(shown) <= set(axis)
    assert sorted(shown, key=axis.index) == ["0-15 days", "31-60", "over 120 days"]


@pytest.mark.slow
def test_payers_page(app, downloads, built_warehouse):
    """The scorecard page: the busiest payer first (Medicare last), its figures as in the
    mart, the PDF and XLSX downloads, a second payer side by side, and a missing figure said
    in words."""
    import duckdb

    from painrcm.scorecard import pct

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        busiest, fee_pct, name = con.execute(
            "select payer_id, pct_of_medicare, payer_name from marts.payer_scorecard "
            "where period = '12m' "
            "order by payer_type = 'medicare_ffs', claim_lines desc, payer_id limit 1"
        ).fetchall()[0]
        quiet, year = con.execute(
            "select payer_id, period from marts.payer_scorecard "
            "where period <> '12m' and claim_lines = 0 order by payer_id, period limit 1"
        ).fetchall()[0]
    finally:
        con.close()
    at = app("payers")
    _no_exception(at)
    assert at.title[0].value == "Payers"
    assert any(f"As of {AS_OF.isoformat()}" in m.value for m in at.markdown)
    assert at.selectbox(key="py_payer").value == busiest
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fee % of Medicare"] == pct(fee_pct)
    assert len(at.get("plotly_chart")) == 3
    assert downloads["py_pdf"][:4] == b"%PDF"
    assert downloads["py_xlsx"][:2] == b"PK"

    at.selectbox(key="py_compare").set_value(quiet).run()
    _no_exception(at)
    side = next(f.value for f in at.dataframe if "figure" in f.value.columns)
    assert len(side.columns) == 4 and f"{name} ({busiest})" in side.columns

    at.selectbox(key="py_compare").set_value(None).run()
    at.selectbox(key="py_payer").set_value(quiet).run()
    at.selectbox(key="py_period").set_value(year).run()
    _no_exception(at)
    assert any(f"No claim lines in {year}" in i.value for i in at.info)


@pytest.mark.slow
def test_data_health_shows_the_seconds_of_each_run_phase(app):
    at = app("data_health")
    _no_exception(at)
    phases = _table_with(
        at,
        [
            "started_at",
            "status",
            "ingest_seconds",
            "dbt_models_seconds",
            "dbt_tests_seconds",
            "publish_seconds",
            "total_seconds",
        ],
    )
    assert len(phases) == 1 and phases["status"].iloc[0] == "success"
    row = phases.iloc[0]
    assert row["ingest_seconds"] > 0 and row["dbt_models_seconds"] > 0
    parts = sum(row[c] for c in phases.columns if c.endswith("_seconds") and c != "total_seconds")
    assert parts <= row["total_seconds"] + 0.3  # each rounded to 0.1 s
    assert any("Seconds per phase" in c.value for c in at.caption)


@pytest.mark.slow
def test_data_health_counts_the_rows_of_every_mart(app, built_warehouse):
    """Rows per mart come from build_info.row_counts, which dbt's on-run-end hook writes for
    every mart of the YAML but build_info and build_history."""
    import duckdb

    from painrcm.marts import mart_properties

    at = app("data_health")
    _no_exception(at)
    counts = _table_with(at, ["mart", "rows"])
    marts = counts["mart"].tolist()
    assert set(marts) == set(mart_properties()) - {"build_info", "build_history"}
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        expected = [con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts]
    finally:
        con.close()
    assert [int(n) for n in counts["rows"].tolist()] == expected


@pytest.mark.slow
def test_data_health_lists_the_acknowledgment_that_matches_no_claim(app, practice_inbox):
    # the generated practice's 999 dropped in remits/ names functional group 4471, which no
    # loaded 837 carried, and its 277CA plant names a batch and claim nobody sent: both are
    # kept in raw and listed (INPUTS.md "acknowledgments", ground truth of the generator)
    at = app("data_health")
    _no_exception(at)
    acks = _table_with(
        at,
        [
            "source",
            "file_name",
            "acknowledged_on",
            "answer_level",
            "answer_reference",
            "is_rejection",
            "reason",
        ],
    )
    with open(practice_inbox / "ground_truth" / "unmatched_acknowledgments.csv") as fh:
        truth = {(r["file_name"], r["source"]) for r in csv.DictReader(fh)}
    assert set(zip(acks["file_name"], acks["source"], strict=True)) == truth
    assert "functional group 4471, transaction 0001" in set(acks["answer_reference"])


@pytest.mark.slow
def test_data_health_has_the_837_payer_section(app, built_warehouse):
    # issue #19 item 5: in the clean generated practice every claim has a known payer, so
    # the section says so (its rows: tests/test_claims_837_unresolved.py)
    import duckdb

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        ((n,),) = con.execute("select count(*) from marts.claims_837_unresolved").fetchall()
    finally:
        con.close()
    assert n == 0
    at = app("data_health")
    _no_exception(at)
    assert "837 claims set aside: payer not recognised" in [s.value for s in at.subheader]
    assert any("matches exactly one payer" in i.value for i in at.info)


@pytest.mark.slow
def test_data_health_lists_an_837_claim_whose_payer_is_not_recognised(
    built_warehouse, tmp_path, monkeypatch
):
    # a copy of the built practice with one claim in marts.claims_837_unresolved (its rows
    # from 837s: tests/test_claims_837_unresolved.py); the page lists it with what to do
    import shutil

    import duckdb

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "insert into marts.claims_837_unresolved values ('unknown_payer.837', '0002', "
            "'C402', 'XJ99', date '2026-06-02', date '2026-06-03', 900.00, 1, '99999', 'CI', "
            "'payer id 99999 (2010BB NM109) matches no payers.x12_payer_id', 't1', 57)"
        )
    finally:
        con.close()
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(copy))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/data_health.py").run()
    _no_exception(at)
    claims = _table_with(
        at,
        [
            "file_name",
            "transaction_control_number",
            "claim_id",
            "patient_id",
            "service_date",
            "submitted_date",
            "charge_amount",
            "line_count",
            "x12_payer_id",
            "claim_filing_indicator_code",
            "reason",
        ],
    )
    assert claims["claim_id"].tolist() == ["C402"]
    assert claims["reason"].tolist() == [
        "payer id 99999 (2010BB NM109) matches no payers.x12_payer_id"
    ]
    assert any("add the payer's x12_payer_id" in c.value for c in at.caption)


def test_note_texts_are_the_versions_staging_compared(tmp_path, monkeypatch):
    """Issue #21: the Documentation page shows the note version the marts compared (staging:
    newest by file name), not the one loaded last."""
    import duckdb

    from dashboards import data

    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema raw")
    con.execute("create schema staging")
    # loaded last, but from the older file: staging keeps the 2026-06-05 file's text
    con.execute(
        "create table raw.procedure_notes as select * from (values "
        "('N1', 'newer file text', 'procedure_notes_2026-06-05.csv', "
        " timestamp '2026-06-06 00:00:00', 1), "
        "('N1', 'older file loaded last', 'procedure_notes_2026-06-01.csv', "
        " timestamp '2026-06-07 00:00:00', 1)) "
        "as t(note_id, note_text, _file_name, _loaded_at, _row_number)"
    )
    con.execute(
        "create table staging.stg_pm__procedure_notes as "
        "select 'N1' as note_id, 'newer file text' as note_text"
    )
    con.close()
    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(warehouse))
    assert data.note_texts(("N1",)) == {"N1": "newer file text"}
