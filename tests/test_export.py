"""`painrcm export` and painrcm.export: CSV/XLSX content, worklist order, payer filter,
errors, and the split of long XLSX exports into sheets."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from painrcm import export
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
             ('C3', 'P1', 'MCR', date '2026-10-01', 300.10::decimal(18,2), 3,
              'Appeal by 2026-12-05'),
             ('C1', 'P2', 'COPEC', date '2026-09-01', 1200.00::decimal(18,2), 1,
              'Timely filing in 4 days'),
             ('C4', 'P3', 'COPEC', date '2026-08-15', 15.55::decimal(18,2), 4, 'Small balance'),
             ('C2', 'P4', 'MCR', date '2026-11-01', 999.99::decimal(18,2), 2, 'CO-197 denial'))
           t(claim_id, patient_id, payer_id, service_date, open_balance, priority_rank,
             priority_reason)"""
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
    assert bad.exit_code == 1 and "choose csv or xlsx" in bad.output
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
