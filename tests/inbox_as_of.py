"""An inbox as it stood on a past day: every record dated after that day removed.

rules.md "What a build as of D sees": claim versions by submitted_date, remits by remit date
(BPR16, else DTM*405), acknowledgments by their own date (a 999 by its GS04, a 277CA by
its BHT04, as staging dates them), ledger postings by posted_date, care_time by
activity_date, procedure notes by signed_at, authorizations by request_date, appointments
by scheduled_on. Reference
extracts (payers, providers, fee schedules, payer reports) are kept as delivered, and so is
a record whose date cannot be read (ingest quarantines it either way).

The as-of property test (tests/test_as_of.py) builds this truncated inbox as of D and
compares it, mart by mart, with the full inbox built as of D. A file none of whose records
is dropped is copied byte for byte (same content hash, same transaction ids).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ingest.acknowledgments import KIND as ACKNOWLEDGMENTS_FOLDER
from ingest.schemas import REMITS_FOLDER

# The column that dates each record of a CSV extract kind (kinds not listed are reference
# data, used as delivered).
DATED_BY = {
    "claims": "submitted_date",
    "ledger": "posted_date",
    "care_time": "activity_date",
    "procedure_notes": "signed_at",
    "authorizations": "request_date",
    "appointments": "scheduled_on",
}


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _after(text: str, as_of: date) -> bool:
    d = _iso(text)
    return d is not None and d > as_of


def _truncate_csv(data: bytes, column: str, as_of: date) -> tuple[bytes, int]:
    """(new bytes, rows dropped); the original bytes when nothing is dropped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data, 0
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or column not in rows[0]:
        return data, 0
    at = rows[0].index(column)
    kept = [rows[0]] + [r for r in rows[1:] if not (len(r) > at and _after(r[at], as_of))]
    dropped = len(rows) - len(kept)
    if not dropped:
        return data, 0
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(kept)
    return buf.getvalue().encode("utf-8"), dropped


def _x12_date(text: str) -> date | None:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _remit_date(segments: list[list[str]]) -> date | None:
    """rules.md §8: BPR16, else DTM*405, from the transaction's header (before the first CLP)."""
    bpr16 = dtm405 = None
    for seg in segments:
        if seg[0] == "CLP":
            break
        if seg[0] == "BPR" and bpr16 is None and len(seg) > 16:
            bpr16 = _x12_date(seg[16])
        if seg[0] == "DTM" and dtm405 is None and len(seg) > 2 and seg[1] == "405":
            dtm405 = _x12_date(seg[2])
    return bpr16 or dtm405


def _remit_transaction_date(segments: list[list[str]], group: list[str]) -> date | None:
    return _remit_date(segments) if segments[0][1:2] == ["835"] else None


def _acknowledgment_date(segments: list[list[str]], group: list[str]) -> date | None:
    """A 999's date is its group's GS04; a 277CA's its BHT04 (the dates staging reads)."""
    if segments[0][1:2] == ["999"]:
        return _x12_date(group[4]) if len(group) > 4 else None
    if segments[0][1:2] == ["277"]:
        for seg in segments:
            if seg[0] == "BHT":
                return _x12_date(seg[4]) if len(seg) > 4 else None
    return None


def _truncate_x12(
    data: bytes, as_of: date, dated: Callable[[list[list[str]], list[str]], date | None]
) -> tuple[bytes | None, int]:
    """(new bytes or None when no transaction is left, transactions dropped): the
    transactions that dated(their segments, their group's GS) puts after `as_of` go."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return data, 0
    start = text.find("ISA")
    if start < 0 or len(text) < start + 106:
        return data, 0
    element, terminator = text[start + 3], text[start + 105]
    chunks = text.split(terminator)  # each chunk: optional line breaks + one segment
    parsed = [c.strip().split(element) for c in chunks]
    keep = [True] * len(chunks)
    dropped = kept_st = 0
    group: list[str] = []
    i = 0
    while i < len(chunks):
        if parsed[i][0] == "GS":
            group = parsed[i]
        if parsed[i][0] != "ST":
            i += 1
            continue
        j = i
        while j < len(chunks) - 1 and parsed[j][0] != "SE":
            j += 1
        if _after_date(dated(parsed[i : j + 1], group), as_of):
            for k in range(i, j + 1):
                keep[k] = False
            dropped += 1
        else:
            kept_st += 1
        i = j + 1
    if not dropped:
        return data, 0
    if not kept_st:
        return None, dropped
    # GE01 counts the transaction sets of its group
    out, in_group = [], 0
    for c, p, k in zip(chunks, parsed, keep, strict=True):
        if not k:
            continue
        if p[0] == "GS":
            in_group = 0
        elif p[0] == "ST":
            in_group += 1
        elif p[0] == "GE" and len(p) > 1:
            lead = c[: len(c) - len(c.lstrip())]
            c = lead + element.join(["GE", str(in_group), *p[2:]])
        out.append(c)
    return terminator.join(out).encode("ascii"), dropped


def _after_date(d: date | None, as_of: date) -> bool:
    return d is not None and d > as_of


def truncate_inbox(src: Path, dst: Path, as_of: date) -> dict[str, int]:
    """Copy inbox `src` to `dst` without the records dated after `as_of`; returns the number
    of records (CSV rows, 835 and acknowledgment transactions) dropped per folder."""
    src, dst = Path(src), Path(dst)
    if dst.exists():
        shutil.rmtree(dst)
    dropped: dict[str, int] = {}
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(src)
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
        data = path.read_bytes()
        n = 0
        if folder in DATED_BY and path.suffix.lower() == ".csv":
            data, n = _truncate_csv(data, DATED_BY[folder], as_of)
        elif folder == REMITS_FOLDER:
            data, n = _truncate_x12(data, as_of, _remit_transaction_date)
        elif folder == ACKNOWLEDGMENTS_FOLDER:
            data, n = _truncate_x12(data, as_of, _acknowledgment_date)
        dropped[folder] = dropped.get(folder, 0) + n
        if data is not None:
            target.write_bytes(data)
    return dropped
