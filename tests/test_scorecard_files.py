"""`painrcm scorecard` (issue #24) on the generated practice: the PDF is rendered to an image
(pypdfium2) and must be one page that is not blank, and its text read back must name the
payer, the as-of date and the key figures; the XLSX is read back (openpyxl): the figures
sheet and one sheet per detail, with the mart's numbers. A missing Medicare fee or payer
report reads as its status sentence in both files, never a blank or a zero."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from painrcm.cli import app
from painrcm.scorecard import count, money, pct
from tests.conftest import AS_OF

runner = CliRunner()


def _row(warehouse: Path, where: str) -> dict[str, object]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(
            f"select * from marts.payer_scorecard where {where} order by payer_id, period limit 1"
        )
        names = [d[0] for d in cur.description]
        found = cur.fetchall()
    finally:
        con.close()
    assert found, where
    return dict(zip(names, found[0], strict=True))


def _scalar(warehouse: Path, sql: str, params: list[object]) -> object:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def busy(built_warehouse) -> dict[str, object]:
    """A payer with volume, denials, underpayments and a payer report to compare with."""
    return _row(
        built_warehouse,
        "period = '12m' and claim_lines > 0 and denials > 0 and underpaid_lines > 0 "
        "and pa_report_status like 'compared%'",
    )


@pytest.fixture(scope="module")
def quiet(built_warehouse) -> dict[str, object]:
    """A year in which the payer billed nothing and published no report."""
    return _row(
        built_warehouse,
        "period <> '12m' and claim_lines = 0 and pa_report_status like 'no public report%'",
    )


def _scorecard(warehouse: Path, row: dict[str, object], out: Path) -> Path:
    result = runner.invoke(
        app,
        ["scorecard", str(row["payer_id"]), "--warehouse", str(warehouse),
         "--period", str(row["period"]), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.exists()
    return out


def _pdf_text(path: Path) -> tuple[int, str, float]:
    """(pages, text of page 1, share of page 1's pixels that are not white)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        image = page.render(scale=1).to_pil().convert("L")
        inked = sum(image.histogram()[:200]) / (image.width * image.height)
        return len(pdf), text, inked
    finally:
        pdf.close()


def test_pdf_is_one_page_with_the_figures(built_warehouse, busy, tmp_path):
    out = _scorecard(built_warehouse, busy, tmp_path / "card.pdf")
    pages, text, inked = _pdf_text(out)
    assert pages == 1
    assert inked > 0.02  # text, table shading and three charts: not a blank page
    flat = " ".join(text.split())
    for expected in (
        str(busy["payer_name"]),
        f"as of {AS_OF.isoformat()}",
        money(busy["charges"]),
        money(busy["paid"]),
        pct(busy["pct_of_medicare"]),
        money(busy["revenue_plus_10_points"]),
        f"{pct(busy['first_pass_denial_rate'])} of {count(busy['claims_first_remitted'], 'claim')}",
        f"{money(busy['underpaid_amount'])} on {count(busy['underpaid_lines'], 'line')}",
        money(busy["ar_over_90_days"]),
        pct(busy["pa_payer_pct_approved"]),
        str(busy["top_denial_category_1"]),
        "Definitions",
        "Days from submission to first remit",  # a chart's title
    ):
        assert expected in flat, expected


def test_pdf_says_what_is_missing(built_warehouse, quiet, tmp_path):
    out = _scorecard(built_warehouse, quiet, tmp_path / "quiet.pdf")
    pages, text, _ = _pdf_text(out)
    flat = " ".join(text.split())
    assert pages == 1
    assert f"no claim lines in {quiet['period']}" in flat  # the fee figures
    assert f"no public report for {quiet['period']}" in flat  # the CMS-0057-F figures
    assert "no claims first remitted in the period" in flat


def _sheet_figures(path: Path) -> tuple[list[str], dict[str, object]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        names = wb.sheetnames
        rows = list(wb["Scorecard"].iter_rows(min_row=6, values_only=True))
        return names, {r[0]: r[1] for r in rows if r[0]}
    finally:
        wb.close()


def _sheet_rows(path: Path, sheet: str) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in wb[sheet].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()


def test_xlsx_has_the_figures_and_one_sheet_per_detail(built_warehouse, busy, tmp_path):
    out = _scorecard(built_warehouse, busy, tmp_path / "card.xlsx")
    names, figs = _sheet_figures(out)
    assert names == ["Scorecard", "Codes", "Denials", "Underpaid lines"]
    assert figs["Charges"] == pytest.approx(float(busy["charges"]))
    assert figs["Paid"] == pytest.approx(float(busy["paid"]))
    assert figs["Fee % of Medicare"] == pytest.approx(float(busy["pct_of_medicare"]))
    assert figs["Worth of +10 points"] == pytest.approx(float(busy["gain_of_10_points"]))
    assert figs["First-pass denial rate"] == pytest.approx(float(busy["first_pass_denial_rate"]))
    assert figs["A/R over 90 days"] == pytest.approx(float(busy["ar_over_90_days"]))
    codes = _scalar(
        built_warehouse,
        "select count(*) from marts.payer_scorecard_codes where payer_id = ? and period = ?",
        [busy["payer_id"], busy["period"]],
    )
    assert _sheet_rows(out, "Codes") == codes > 0
    assert _sheet_rows(out, "Denials") == busy["denials"]
    assert _sheet_rows(out, "Underpaid lines") == busy["underpaid_lines"]


def test_xlsx_says_what_is_missing(built_warehouse, quiet, tmp_path):
    out = _scorecard(built_warehouse, quiet, tmp_path / "quiet.xlsx")
    _, figs = _sheet_figures(out)
    assert figs["Fee % of Medicare"] == f"no claim lines in {quiet['period']}"
    year = quiet["period"]
    assert figs[f"PA approval, practice vs payer report ({year})"].endswith(
        f"no public report for {year}"
    )


def test_scorecard_errors_are_one_line(built_warehouse, tmp_path):
    for args, message in (
        (["NOPE", "--out", str(tmp_path / "x.pdf")], "unknown payer 'NOPE': choose one of"),
        (["MCR", "--out", str(tmp_path / "x.pdf"), "--period", "1999"], "no period '1999'"),
        (["MCR", "--out", str(tmp_path / "x.docx")], "written as .pdf or .xlsx"),
    ):
        result = runner.invoke(app, ["scorecard", *args, "--warehouse", str(built_warehouse)])
        assert result.exit_code == 1
        assert message in result.output
        assert len(result.output.strip().splitlines()) <= 2  # one line, maybe soft-wrapped
