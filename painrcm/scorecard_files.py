"""The payer scorecard as files a negotiator sends: a one-page PDF (figures, three small
charts, the as-of date, each figure's definition as a footnote) and an XLSX (a sheet of
figures, then one per detail: codes, denials, underpaid lines).

The PDF is drawn with reportlab (charts with reportlab.graphics: no browser, no kaleido);
the XLSX with xlsxwriter, money as numbers with a money format (converted from Decimal only
here, at the file's edge). Both hold PHI-free aggregates except the detail sheets, which
name claims: treat the XLSX like any export (local, PHI).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import polars as pl
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from painrcm.export import _excel_value
from painrcm.scorecard import Scorecard, figures

FORMATS = (".pdf", ".xlsx")
BAR = colors.HexColor("#3B6EA8")
CHART_W, CHART_H = 2.35 * inch, 1.75 * inch
TOP_CODES = 8


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=10.5)
    return {
        "title": ParagraphStyle("title", base, fontName="Helvetica-Bold", fontSize=15, leading=18),
        "sub": ParagraphStyle("sub", base, fontSize=9.5, leading=12),
        "label": ParagraphStyle("label", base, fontName="Helvetica-Bold"),
        "value": base,
        "note": ParagraphStyle("note", base, fontSize=6.8, leading=8.2),
        "head": ParagraphStyle("head", base, fontName="Helvetica-Bold", fontSize=9.5),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _empty_chart(title: str, message: str) -> Drawing:
    d = Drawing(CHART_W, CHART_H)
    d.add(String(4, CHART_H - 12, title, fontName="Helvetica-Bold", fontSize=8))
    d.add(String(4, CHART_H / 2, message, fontName="Helvetica", fontSize=7.5))
    return d


def _bar_chart(
    title: str, names: list[str], values: list[float], horizontal: bool = False
) -> Drawing:
    d = Drawing(CHART_W, CHART_H)
    d.add(String(4, CHART_H - 12, title, fontName="Helvetica-Bold", fontSize=8))
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (52, 14) if horizontal else (34, 24)
    chart.width = CHART_W - chart.x - 10
    chart.height = CHART_H - chart.y - 22
    chart.data = [values]
    chart.bars[0].fillColor = BAR
    chart.bars.strokeColor = None
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(values) * 1.15 if values and max(values) > 0 else 1
    if horizontal:
        chart.categoryAxis.reverseDirection = True  # the biggest code on top
    else:
        chart.categoryAxis.labels.angle = 0 if len(names) <= 6 else 45
        chart.categoryAxis.labels.boxAnchor = "n" if len(names) <= 6 else "ne"
    d.add(chart)
    return d


def _charts(card: Scorecard) -> list[Drawing]:
    codes = card.codes.filter(pl.col("pct_of_medicare").is_not_null()).head(TOP_CODES)
    if codes.is_empty():
        fee = _empty_chart("Fee % of Medicare, top codes", str(card.row["medicare_fee_status"]))
    else:
        fee = _bar_chart(
            "Fee % of Medicare, top codes by revenue",
            [
                c + (f"-{m}" if m else "")
                for c, m in zip(codes["procedure_code"], codes["modifier"], strict=True)
            ],
            [float(v) for v in codes["pct_of_medicare"]],
            horizontal=True,
        )
    trend = card.denial_trend()
    if trend["denials"].sum() == 0:
        denials = _empty_chart("Denied dollars by month", "no denials in the period")
    else:
        denials = _bar_chart(
            "Denied dollars by month",
            [m.strftime("%b %y") for m in trend["month"]],
            trend["denied_amount"].to_list(),
        )
    days = card.days_to_pay()
    if days["claims"].sum() == 0:
        pay = _empty_chart("Days to pay, claims", "no claims first remitted in the period")
    else:
        pay = _bar_chart(
            "Days from submission to first remit", days["days"].to_list(), days["claims"].to_list()
        )
    return [fee, denials, pay]


def to_pdf(card: Scorecard) -> bytes:
    """One page: title and as-of date, the figures, three charts, the definitions."""
    s = _styles()
    r = card.row
    figs = figures(r)
    story: list[object] = [
        Paragraph(_escape(f"Payer scorecard: {card.payer}"), s["title"]),
        Paragraph(
            _escape(
                f"{str(r['period_label']).capitalize()} ({r['period_start']} to "
                f"{r['period_end']}) - as of {card.as_of} - payer type {r['payer_type']}"
            ),
            s["sub"],
        ),
        Spacer(1, 6),
    ]
    table = Table(
        [
            [
                Paragraph(f"{_escape(f.label)}<super>{n}</super>", s["label"]),
                Paragraph(_escape(f.text), s["value"]),
            ]
            for n, f in enumerate(figs, start=1)
        ],
        colWidths=[2.6 * inch, 4.9 * inch],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 0), (-1, -1), [colors.white, colors.HexColor("#EEF2F7")]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story += [table, Spacer(1, 8)]
    charts = Table([_charts(card)], colWidths=[CHART_W + 4] * 3)
    story += [charts, Spacer(1, 6), Paragraph("Definitions", s["head"])]
    story += [
        Paragraph(f"<super>{n}</super> {_escape(f.label)}: {_escape(f.definition)}", s["note"])
        for n, f in enumerate(figs, start=1)
    ]
    story.append(Spacer(1, 4))
    story.append(
        Paragraph(
            _escape(
                f"painrcm, marts.payer_scorecard of the build as of {card.as_of}. Fees: the "
                "contract in force on the as-of date. Rates on a 0-100 scale."
            ),
            s["note"],
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        leftMargin=0.5 * inch,
        rightMargin=0.5 * inch,
        topMargin=0.45 * inch,
        bottomMargin=0.45 * inch,
        title=f"Payer scorecard {r['payer_id']} {r['period']}",
        author="painrcm",
    )
    # Shrink to fit: the scorecard is one page whatever the payer's top categories say.
    doc.build([KeepInFrame(doc.width, doc.height, story, mode="shrink")])
    return buf.getvalue()


def _write_frame(wb, ws, df: pl.DataFrame, first_row: int, formats: dict[str, object]) -> None:
    ws.freeze_panes(first_row + 1, 0)
    ws.write_row(first_row, 0, df.columns, formats["header"])
    for c, (name, dtype) in enumerate(df.schema.items()):
        width = 14 if isinstance(dtype, pl.Decimal) else max(10, min(40, len(name) + 2))
        ws.set_column(c, c, width)
    for r, values in enumerate(df.iter_rows(), start=first_row + 1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(
                    r, c, dt.datetime(value.year, value.month, value.day), formats["date"]
                )
            elif isinstance(value, Decimal):
                ws.write_number(r, c, float(value), formats["money"])
            else:
                ws.write(r, c, _excel_value(value))
    if df.height:
        ws.autofilter(first_row, 0, first_row + df.height, len(df.columns) - 1)


def to_xlsx(card: Scorecard) -> bytes:
    """Sheet `Scorecard` (the figures), then `Codes`, `Denials`, `Underpaid lines`."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    try:
        fmt = {
            "header": wb.add_format({"bold": True, "bg_color": "#DDE5F0", "bottom": 1}),
            "money": wb.add_format({"num_format": "$#,##0.00;[Red]-$#,##0.00"}),
            "pct": wb.add_format({"num_format": '0.00"%"'}),
            "num": wb.add_format({"num_format": "#,##0.##"}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "title": wb.add_format({"bold": True, "font_size": 14}),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        }
        r = card.row
        ws = wb.add_worksheet("Scorecard")
        ws.write(0, 0, f"Payer scorecard: {card.payer}", fmt["title"])
        ws.write(1, 0, "Period")
        ws.write(1, 1, f"{r['period_label']} ({r['period_start']} to {r['period_end']})")
        ws.write(2, 0, "As of")
        ws.write_datetime(2, 1, dt.datetime(card.as_of.year, card.as_of.month, card.as_of.day),
                          fmt["date"])  # fmt: skip
        ws.write_row(4, 0, ["figure", "value", "as shown", "definition"], fmt["header"])
        ws.set_column(0, 0, 42)
        ws.set_column(1, 1, 16)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 90, fmt["wrap"])
        for i, f in enumerate(figures(r), start=5):
            ws.write(i, 0, f.label)
            if isinstance(f.value, Decimal | int | float) and not isinstance(f.value, bool):
                cell = {"money": "money", "pct": "pct"}.get(f.unit, "num")
                ws.write_number(i, 1, float(f.value), fmt[cell])
            else:
                ws.write(i, 1, "" if f.value is None else str(f.value))
            ws.write(i, 2, f.text)
            ws.write(i, 3, f.definition)
        for name, df in (
            ("Codes", card.codes),
            ("Denials", card.denials),
            ("Underpaid lines", card.underpaid),
        ):
            _write_frame(wb, wb.add_worksheet(name), df, 0, fmt)
    finally:
        wb.close()
    return buf.getvalue()


def file_kind(out: Path) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"--out {out}: the scorecard is written as .pdf or .xlsx")
    return suffix[1:]


def write(card: Scorecard, out: Path) -> str:
    """Write the scorecard to `out` (.pdf or .xlsx); returns the kind written."""
    kind = file_kind(out)
    payload = to_pdf(card) if kind == "pdf" else to_xlsx(card)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(payload)
    return kind
