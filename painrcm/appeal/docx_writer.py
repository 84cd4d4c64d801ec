"""The letter as DOCX (python-docx): the biller edits it before sending."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from painrcm.appeal.letter import Block


def write_docx(items: list[Block], out: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    for b in items:
        if b.kind == "letterhead":
            head = doc.add_paragraph()
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
            name = head.add_run(b.lines[0])
            name.bold = True
            name.font.size = Pt(15)
            for line in b.lines[1:]:
                head.add_run("\n" + line).font.size = Pt(9.5)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=2)
        elif b.kind in ("para", "signature"):
            if b.text is not None:
                doc.add_paragraph(b.text)
            if b.lines is not None:
                doc.add_paragraph("\n".join(b.lines))
        elif b.kind == "bullets":
            for line in b.lines:
                doc.add_paragraph(line, style="List Bullet")
        elif b.kind == "table":
            has_header = any(b.header)
            table = doc.add_table(rows=0, cols=len(b.header))
            table.style = "Table Grid"
            for r, values in enumerate(([b.header] if has_header else []) + b.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, values, strict=True):
                    cell.text = value
                    if (has_header and r == 0) or (not has_header and cell is cells[0]):
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            doc.add_paragraph()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
