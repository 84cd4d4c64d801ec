"""The letter as PDF (reportlab platypus): what is sent to the payer."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from painrcm.appeal.letter import Block


def write_pdf(items: list[Block], out: Path, title: str = "Appeal") -> None:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=styles["Heading3"], spaceBefore=8, spaceAfter=4)
    name = ParagraphStyle(
        "name", parent=styles["Title"], fontSize=15, leading=18, alignment=TA_CENTER
    )
    centre = ParagraphStyle("centre", parent=small, alignment=TA_CENTER)
    story: list = []
    for b in items:
        if b.kind == "letterhead":
            story.append(Paragraph(escape(b.lines[0]), name))
            story.append(Paragraph("<br/>".join(escape(x) for x in b.lines[1:]), centre))
            story.append(Spacer(1, 14))
        elif b.kind == "heading":
            story.append(Paragraph(escape(b.text), head))
        elif b.kind in ("para", "signature"):
            if b.text is not None:
                story.append(Paragraph(escape(b.text), body))
            if b.lines is not None:
                story.append(Paragraph("<br/>".join(escape(x) for x in b.lines), body))
            story.append(Spacer(1, 6))
        elif b.kind == "bullets":
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(escape(x), body), leftIndent=12) for x in b.lines],
                    bulletType="bullet",
                    leftIndent=12,
                )
            )
        elif b.kind == "table":
            has_header = any(b.header)
            rows = ([b.header] if has_header else []) + b.rows
            data = [[Paragraph(escape(v), small) for v in r] for r in rows]
            if has_header:
                widths = None
                if len(b.header) == 7:  # the denied-services table: room for the reason
                    widths = [0.4, 0.85, 1.5, 0.4, 0.7, 0.7, 2.45]
                    widths = [w * inch for w in widths]
            else:
                widths = [2.3 * inch, 4.7 * inch]
            table = Table(data, colWidths=widths, repeatRows=1 if has_header else 0)
            style = [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            if has_header:
                style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE5F0")))
            table.setStyle(TableStyle(style))
            story.append(table)
            story.append(Spacer(1, 8))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
        title=title,
    )
    doc.build(story)
