"""One 999 / 277CA file -> raw.x12_segments + raw.x12_transactions (+ raw.quarantine, load_log).

The clearinghouse's and the payer's acknowledgments take the 835s' and 837s' lossless path
(ingest.x12's splitter, the same raw tables, control numbers, SE-count check): every segment
is stored verbatim, and staging (models/staging/x12/stg_x12__acknowledgments_999.sql,
stg_x12__acknowledgments_277ca.sql) reads them (INPUTS.md "acknowledgments"):

- not X12, unreadable ISA, binary data: the whole file, one quarantine row, status rejected;
- a damaged transaction (ST without SE, a segment that is not X12): its segments, named;
- transactions that are no acknowledgment (an 835 or 837 in the same file): set aside, named.
Only the 999 (005010X231A1) and the 277CA (005010X214) are read in staging. A 277 of another
guide (a 277 claim status response), a 997 or a TA1 interchange acknowledgment is kept in
raw, not read, and named in the load report (status flagged). Which claim an acknowledgment
answers is decided in dbt, where the 837s are: one that answers none is listed on the Data
health page, never dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.remits import load_planned_file
from ingest.report import FileResult
from ingest.x12 import Transaction, X12Error, X12File, split_x12
from ingest.x12_plan import (
    RemitPlan,
    SetAside,
    guide,
    label,
    plan_transactions,
    reject_whole_file,
    transaction_row,
)

KIND = "acknowledgments"
# The two guides staging reads (INPUTS.md "acknowledgments").
IMPLEMENTATION_ACK = "005010X231A1"
CLAIM_ACK = "005010X214"
_READ = {"999": IMPLEMENTATION_ACK, "277": CLAIM_ACK}
_ACK_SETS = frozenset({"999", "277", "997"})
# An acknowledgment set, or a TA1, anywhere in the file: cheap, before any splitting.
_ST_ACK = re.compile(rb"(?:^|[^A-Za-z0-9])ST(.)(?:999|277|997)\1")
_TA1 = re.compile(rb"(?:^|[^A-Za-z0-9])TA1[^A-Za-z0-9~]")
_ST_835 = re.compile(rb"(?:^|[^A-Za-z0-9])ST(.)835\1")


def holds_835(data: bytes) -> bool:
    """True when the file carries an 835 (read as a remittance wherever it was dropped)."""
    return _ST_835.search(data) is not None


def holds_acknowledgment(data: bytes) -> bool:
    """True when the file carries a 999, 277 or 997 transaction or a TA1 and no 835."""
    if holds_835(data):
        return False
    return _ST_ACK.search(data) is not None or _TA1.search(data) is not None


def load_acknowledgment_file(
    con: duckdb.DuckDBPyConnection, path: Path, data: bytes, sha256: str, loaded_at: datetime
) -> FileResult:
    """Load one acknowledgment file in one DuckDB transaction (joins the caller's, if open)."""
    return load_planned_file(con, path, data, sha256, loaded_at, plan_acknowledgment_file, KIND)


def _what(x12: X12File, t) -> str:
    if t.set_id == "277":
        return label(x12, t.set_id, t.group)
    return {"999": "999 acknowledgment", "997": "997 functional acknowledgment"}[t.set_id]


def plan_acknowledgment_file(data: bytes, file_name: str, sha256: str) -> RemitPlan:
    try:
        x12 = split_x12(data, file_name)
    except X12Error as exc:
        return reject_whole_file(data, f"{exc}: set aside")

    # A TA1 answers an interchange: it sits outside any transaction (one inside a
    # transaction is that transaction's segment, loaded or set aside with it).
    inside = [(t.first_position, t.last_position) for t in x12.transactions]
    ta1 = [
        i + 1
        for i, sid in enumerate(x12.segment_ids)
        if sid == "TA1" and not any(a <= i + 1 <= b for a, b in inside)
    ]
    if not ta1 and not any(t.set_id in _ACK_SETS for t in x12.transactions):
        return reject_whole_file(data, "no 999, 277CA, 997 or TA1 acknowledgment: set aside")
    ta1_notes = []
    for pos in ta1:
        els = x12.segment_texts[pos - 1].split(x12.interchange_of(pos).delimiters.element)
        ref = els[1] if len(els) > 1 else ""
        code = els[4] if len(els) > 4 else ""
        ta1_notes.append(
            f"TA1 interchange acknowledgment at segment {pos} (interchange {ref!r}, "
            f"TA104 {code!r}): kept in raw, not read"
        )
    return plan_transactions(
        x12,
        sha256,
        sets=_ACK_SETS,
        noun="an acknowledgment",
        unit="acknowledgment",
        row=transaction_row,
        read=_read_guide,
        kept=ta1,
        kept_notes=ta1_notes,
    )


def _read_guide(x12: X12File, t: Transaction, aside: SetAside) -> bool:
    """Only the 999 and 277CA guides are read in staging; another is kept, named, not read."""
    found = guide(x12, t)
    if _READ.get(t.set_id) == found:
        return True
    aside.notes.append(
        f"transaction {t.control_number}: {_what(x12, t)} ({found or 'no guide'}), "
        "kept in raw, not read as a 999 or 277CA"
    )
    return False
