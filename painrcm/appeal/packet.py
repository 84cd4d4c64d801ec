"""`painrcm appeal`: gather the facts, word the letter, write DOCX or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from painrcm.appeal.facts import AppealError, AppealFacts, gather
from painrcm.appeal.letter import blocks

FORMATS = (".docx", ".pdf")


def write_packet(
    warehouse: Path, claim_id: str, out: Path, line: int | None = None, today: date | None = None
) -> AppealFacts:
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise AppealError(f"--out {out}: name a .docx (to edit) or .pdf (to send) file")
    facts = gather(warehouse, claim_id, line, today)
    items = blocks(facts)
    if suffix == ".docx":
        from painrcm.appeal.docx_writer import write_docx

        write_docx(items, Path(out))
    else:
        from painrcm.appeal.pdf_writer import write_pdf

        write_pdf(items, Path(out), title=f"Appeal of claim {claim_id}")
    return facts
