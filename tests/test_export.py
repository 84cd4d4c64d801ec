"""`painrcm export` and painrcm.export: CSV/XLSX content, worklist order, payer filter,
errors, and the split of long XLSX exports into sheets."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from painrcm import export, words
from painrcm.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory) -> Path:
    """A warehouse holding only a shuffled marts.ar_worklist (the order must come from the
    export, not from the table) and a credentialing mart without payer_id."""
    path = tmp_path_factory.mktemp("tiny") / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """create table marts.ar_worklist as
           select * from (values
             ('C3', 'P1', 'MCR', date '2026-10-01', 300.10::decimal(18,2), 3, 'appeal',
              'Appeal by 2026-12-05'),
             ('C1', 'P2', 'COPEC', date '2026-09-01', 1200.00::decimal(18,2), 1,
              'escalate_timely_filing', 'Timely filing in 4 days'),
             ('C4', 'P3', 'COPEC', date '2026-08-15', 15.55::decimal(18,2), 4, 'wait',
              'Small balance'),
             ('C2', 'P4', 'MCR', date '2026-11-01', 999.99::decimal(18,2), 2,
              'correct_resubmit', 'CO-197 denial'))
           t(claim_id, patient_id, payer_id, service_date, open_balance, priority_rank,
             next_action, priority_reason)"""
    )
    con.execute(
        "create table marts.code_names as select * from (values ('payer', 'MCR', 'Medicare TX'),"
        " ('payer', 'COPEC', 'Pecos Health'), ('provider', 'N1', 'Dr Code-Names')) "
        "t(kind, code, display_name)"
    )
    con.execute(
        "create table marts.credentialing_alerts as select 'N1' as npi, 'Dr A' as provider_name,"
        " 'license_expiring' as alert_type, date '2027-01-01' as due_date, 32 as days_left"
    )
    con.close()
    return path


def _xlsx_sheets(path: Path) -> dict[str, int]:
    """sheet xml name -> number of <row> elements (header included)."""
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml", n))
        return {n: len(re.findall(r"<row ", z.read(n).decode())) for n in names}


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def test_csv_is_in_priority_order_with_exact_money(tiny_warehouse, tmp_path):
    out = tmp_path / "ar.csv"
    result = runner.invoke(
        app, ["export", "ar_worklist", "--warehouse", str(tiny_warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    df = pl.read_csv(out, infer_schema=False)
    assert df["claim_id"].to_list() == ["C1", "C2", "C3", "C4"]
    assert df["open_balance"].to_list() == ["1200.00", "999.99", "300.10", "15.55"]
    assert "priority_reason" in df.columns


def test_ar_worklist_export_says_what_to_do_beside_the_code(tiny_warehouse, tmp_path):
    """The words of the A/R worklist page's "What to do" column (painrcm/words.py, the same
    function the page uses) come out of `painrcm export` too, right after next_action, in
    CSV and XLSX; the mart's own columns stay, in their order."""
    out = tmp_path / "ar.csv"
    result = runner.invoke(
        app, ["export", "ar_worklist", "--warehouse", str(tiny_warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    df = pl.read_csv(out, infer_schema=False)
    assert df.columns.index("what_to_do") == df.columns.index("next_action") + 1
    # the mart's columns in their order, the words beside their codes, then the work state
    # (work_status, assignee, ...)
    mart_and_words = [
        "claim_id", "patient_id", "payer_id", "payer_name", "service_date", "open_balance",
        "priority_rank", "next_action", "what_to_do", "priority_reason",
    ]  # fmt: skip
    assert df.columns[: len(mart_and_words)] == mart_and_words
    # the payer's name beside its code, as on the page (marts.code_names)
    assert df["payer_name"].to_list() == [
        "Pecos Health", "Medicare TX", "Medicare TX", "Pecos Health"
    ]  # fmt: skip
    assert df["what_to_do"].to_list() == [
        "Escalate: timely filing", "Correct and resubmit", "Appeal", "Wait (within turnaround)"
    ]  # fmt: skip
    xlsx = tmp_path / "ar.xlsx"
    export.export_mart(tiny_warehouse, "ar_worklist", None, xlsx)
    text = _xlsx_text(xlsx)
    assert "what_to_do" in text and "Escalate: timely filing" in text


def test_credentialing_export_says_the_alert_and_its_status(tiny_warehouse, tmp_path):
    """The Credentialing page's Alert and Status words (painrcm/words.py) in the export."""
    out = tmp_path / "cr.csv"
    export.export_mart(tiny_warehouse, "credentialing_alerts", "csv", out)
    df = pl.read_csv(out, infer_schema=False)
    assert df.columns == [
        "npi", "provider_name", "alert_type", "alert", "status", "due_date", "days_left"
    ]  # fmt: skip
    assert df.row(0)[3:5] == ("State licence", "due in 32 days")
    assert df["provider_name"].to_list() == ["Dr A"]  # the mart's own name column is kept


def test_alert_status_words_at_each_edge():
    rows = pl.DataFrame(
        {
            "alert_type": ["dea_expiring", "caqh_attestation_due", "license_expiring"] * 2,
            "days_left": [-10, -30, -1, 0, 1, 45],
        }
    )
    assert words.with_alert_words(rows)["status"].to_list() == [
        "expired 10 days ago", "overdue 30 days", "expired 1 day ago", "due today",
        "due in 1 day", "due in 45 days",
    ]  # fmt: skip


def test_payer_filter(tiny_warehouse, tmp_path):
    out = tmp_path / "ar.csv"
    result = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(tiny_warehouse), "--out", str(out),
         "--payer", "MCR"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["claim_id"].to_list() == ["C2", "C3"]


def test_xlsx_has_frozen_header_formats_and_widths(tiny_warehouse, tmp_path):
    out = tmp_path / "ar.xlsx"
    result = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(tiny_warehouse), "--out", str(out),
         "--format", "xlsx"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _xlsx_sheets(out) == {"xl/worksheets/sheet1.xml": 5}
    xml = _xlsx_text(out)
    assert 'state="frozen"' in xml and 'ySplit="1"' in xml
    assert "$#,##0.00" in xml and "yyyy-mm-dd" in xml
    assert "<col " in xml  # column widths


def test_xlsx_splits_into_sheets_past_the_row_limit(tiny_warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "MAX_SHEET_ROWS", 3)
    out = tmp_path / "ar.xlsx"
    rows, sheets = export.export_mart(tiny_warehouse, "ar_worklist", "xlsx", out)
    assert (rows, sheets) == (4, 2)
    assert sorted(_xlsx_sheets(out).values()) == [2, 4]  # 3 + 1 data rows, each + header
    assert 'name="ar_worklist (2)"' in _xlsx_text(out)


def test_sheet_names_stay_within_excel_limit():
    names = export._sheet_names("fee_schedule_comparison_long_name", 12)
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 12


def test_unknown_mart_lists_the_valid_ones(tiny_warehouse, tmp_path):
    result = runner.invoke(
        app, ["export", "nope", "--warehouse", str(tiny_warehouse), "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert "unknown mart 'nope': choose one of" in result.output
    assert "ar_worklist" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_raw_tables_are_not_exportable(tiny_warehouse, tmp_path):
    with pytest.raises(export.ExportError, match="unknown mart"):
        export.export_mart(tiny_warehouse, "raw.procedure_notes", "csv", tmp_path / "x.csv")


def test_payer_filter_on_a_mart_without_payer_fails_cleanly(tiny_warehouse, tmp_path):
    result = runner.invoke(
        app,
        ["export", "credentialing_alerts", "--warehouse", str(tiny_warehouse),
         "--out", str(tmp_path / "c.csv"), "--payer", "MCR"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "has no payer_id column" in result.output


def test_bad_format_and_missing_warehouse(tiny_warehouse, tmp_path):
    bad = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(tiny_warehouse),
         "--out", str(tmp_path / "x"), "--format", "pdf"],
    )  # fmt: skip
    assert bad.exit_code == 1 and "--format 'pdf' is not known: use csv or xlsx" in bad.output
    missing = runner.invoke(
        app,
        ["export", "ar_worklist", "--warehouse", str(tmp_path / "no.duckdb"),
         "--out", str(tmp_path / "x")],
    )  # fmt: skip
    assert missing.exit_code == 1 and "does not exist" in missing.output


@pytest.mark.slow
def test_export_of_the_built_warehouse_matches_the_mart(built_warehouse, tmp_path):
    out = tmp_path / "gaps.xlsx"
    rows, _ = export.export_mart(built_warehouse, "pa_coverage_gaps", "xlsx", out)
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        (expected,) = con.execute("select count(*) from marts.pa_coverage_gaps").fetchone()
    finally:
        con.close()
    assert rows == expected > 0
    assert next(iter(_xlsx_sheets(out).values())) == expected + 1


EVIL = ['=HYPERLINK("http://evil.example","Dr A")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def evil_warehouse(tmp_path_factory) -> Path:
    """Text cells that a spreadsheet would run as formulas, beside negative numbers."""
    path = tmp_path_factory.mktemp("evil") / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.credentialing_alerts (npi varchar, provider_name varchar,"
        " alert_type varchar, due_date date, days_left integer, balance decimal(18,2))"
    )
    for i, name in enumerate([*EVIL, "Dr Plain-Name"]):
        con.execute(
            "insert into marts.credentialing_alerts values (?, ?, 'dea_expiring',"
            " date '2026-11-20' + ?::integer, -10 - ?, -12.50 - ?)",
            [f"N{i}", name, i, i, i],
        )
    con.close()
    return path


def test_csv_export_neutralises_formulas_and_keeps_negative_numbers(evil_warehouse, tmp_path):
    out = tmp_path / "c.csv"
    result = runner.invoke(
        app, ["export", "credentialing_alerts", "-w", str(evil_warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    df = pl.read_csv(out, infer_schema=False)
    names = df.sort("npi")["provider_name"].to_list()
    assert names == [f"'{v}" for v in EVIL] + ["Dr Plain-Name"]
    assert df.sort("npi")["days_left"].to_list() == [str(-10 - i) for i in range(7)]
    assert df.sort("npi")["balance"].to_list()[0] == "-12.50"
    # the dashboards' download (the page's words added, as ui.download_frame does) builds
    # the same bytes
    frame = words.with_words(
        export.fetch(evil_warehouse, "credentialing_alerts"), "credentialing_alerts"
    )
    assert export.to_csv(frame) == out.read_bytes()


def test_xlsx_export_has_no_formula_cells(evil_warehouse, tmp_path):
    out = tmp_path / "c.xlsx"
    result = runner.invoke(
        app, ["export", "credentialing_alerts", "-w", str(evil_warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        shared = (
            z.read("xl/sharedStrings.xml").decode()
            if "xl/sharedStrings.xml" in z.namelist()
            else ""
        )
    assert "<f>" not in sheet and "<f " not in sheet  # no formula cell
    assert "<hyperlink" not in sheet  # no link element either
    assert 'quotePrefix="1"' in styles
    assert "HYPERLINK" in sheet + shared  # kept as text
    assert "<v>-10</v>" in sheet and "<v>-12.5</v>" in sheet  # numbers stay numbers
    downloaded = export.to_xlsx(export.fetch(evil_warehouse, "credentialing_alerts"))
    with zipfile.ZipFile(io.BytesIO(downloaded)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_format_follows_the_extension_and_any_case(tiny_warehouse, tmp_path):
    out = tmp_path / "p.xlsx"
    result = runner.invoke(
        app, ["export", "ar_worklist", "-w", str(tiny_warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)
    upper = tmp_path / "p2.XLSX"
    result = runner.invoke(
        app,
        [
            "export",
            "ar_worklist",
            "-w",
            str(tiny_warehouse),
            "--out",
            str(upper),
            "--format",
            "XLSX",
        ],
    )
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(upper)
    clash = runner.invoke(
        app,
        ["export", "ar_worklist", "-w", str(tiny_warehouse), "--out", str(tmp_path / "p.csv"),
         "--format", "xlsx"],
    )  # fmt: skip
    assert clash.exit_code == 1 and "does not match" in clash.output
    unknown = runner.invoke(
        app, ["export", "ar_worklist", "-w", str(tiny_warehouse), "--out", str(tmp_path / "p.xls")]
    )
    assert unknown.exit_code == 1 and "name the file .csv or .xlsx" in unknown.output


def test_unknown_payer_names_the_known_ones(tiny_warehouse, tmp_path):
    result = runner.invoke(
        app,
        ["export", "ar_worklist", "-w", str(tiny_warehouse), "--out", str(tmp_path / "a.csv"),
         "--payer", "MCR", "--payer", "NOPE"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "unknown payer 'NOPE': known payers are COPEC, MCR" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "a.csv").exists()


def test_out_an_existing_folder_is_one_line(tiny_warehouse, tmp_path):
    result = runner.invoke(
        app, ["export", "ar_worklist", "-w", str(tiny_warehouse), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "is a folder: give a file name" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_private(tiny_warehouse, tmp_path, fmt):
    old = os.umask(0o022)
    try:
        out = tmp_path / "new" / "folder" / f"ar.{fmt}"
        export.export_mart(tiny_warehouse, "ar_worklist", None, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(out.parent.parent.stat().st_mode) == 0o700
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary left


def _num_formats(data: bytes) -> set[str]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
    return set(re.findall(r'formatCode="([^"]*)"', styles))


def test_xlsx_formats_each_column_by_its_unit():
    """Issue #18: the unit comes from the mart's YAML meta, so a percentage or a number of
    days is never given the money format (a DECIMAL(9,2) used to be money)."""
    from decimal import Decimal

    df = pl.DataFrame(
        {
            "payer_id": ["MCR"],
            "practice_pct_approved": [Decimal("66.67")],
            "practice_avg_decision_days": [Decimal("21.31")],
        },
        schema_overrides={
            "practice_pct_approved": pl.Decimal(9, 2),
            "practice_avg_decision_days": pl.Decimal(9, 2),
        },
    )
    fmts = _num_formats(export.to_xlsx(df, "payer_pa_benchmark"))
    assert export.XLSX_FORMATS["percent"].replace('"', "&quot;") in fmts
    assert not any("$" in f for f in fmts), fmts
    money = pl.DataFrame({"open_balance": [Decimal("1.00")]})
    assert any("$" in f for f in _num_formats(export.to_xlsx(money, "ar_worklist")))
