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
import pyarrow as pa
import pyarrow.compute as pc

from ingest.claims_837 import _guide, _transaction_row
from ingest.remits import (
    RemitPlan,
    _join,
    _label,
    _reject_whole_file,
    _segment_tables,
    load_planned_file,
)
from ingest.report import FileResult
from ingest.x12 import X12Error, X12File, split_x12

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
        return _label(x12, t.set_id, t.group)
    return {"999": "999 acknowledgment", "997": "997 functional acknowledgment"}[t.set_id]


def plan_acknowledgment_file(data: bytes, file_name: str, sha256: str) -> RemitPlan:
    try:
        x12 = split_x12(data, file_name)
    except X12Error as exc:
        return _reject_whole_file(data, f"{exc}: set aside")

    ta1 = [i + 1 for i, sid in enumerate(x12.segment_ids) if sid == "TA1"]
    acks = [t for t in x12.transactions if t.set_id in _ACK_SETS]
    if not acks and not ta1:
        return _reject_whole_file(data, "no 999, 277CA, 997 or TA1 acknowledgment: set aside")
    quarantine: list[tuple[int | None, str, str]] = []
    skip: set[int] = set()
    notes: list[str] = []
    texts = x12.segment_texts

    def set_aside(first: int, last: int, reason: str) -> None:
        for pos in range(first, last + 1):
            if pos not in skip:
                skip.add(pos)
                quarantine.append((pos, reason, texts[pos - 1]))

    for t in x12.transactions:
        if t.set_id not in _ACK_SETS:
            label = _label(x12, t.set_id, t.group)
            set_aside(
                t.first_position, t.last_position, f"{label}, not an acknowledgment: set aside"
            )
            notes.append(f"transaction {t.control_number}: {label}, set aside")
    loaded = []
    not_read = False
    for t in acks:
        if t.problems:
            set_aside(t.first_position, t.last_position, "; ".join(t.problems) + ": set aside")
            notes.append(
                f"{t.segment_count} segments of transaction {t.control_number} set aside "
                f"({t.problems[0]})"
            )
            continue
        loaded.append(t)
        guide = _guide(x12, t)
        if _READ.get(t.set_id) != guide:
            not_read = True
            notes.append(
                f"transaction {t.control_number}: {_what(x12, t)} ({guide or 'no guide'}), "
                "kept in raw, not read as a 999 or 277CA"
            )
    for pos in ta1:
        not_read = True
        els = texts[pos - 1].split(x12.interchange_of(pos).delimiters.element)
        ref = els[1] if len(els) > 1 else ""
        code = els[4] if len(els) > 4 else ""
        notes.append(
            f"TA1 interchange acknowledgment at segment {pos} (interchange {ref!r}, "
            f"TA104 {code!r}): kept in raw, not read"
        )
    for issue in x12.issues:
        if issue.kind == "stray" and issue.position is not None:
            if issue.position not in ta1:
                set_aside(issue.position, issue.position, issue.message + ": set aside")
        elif issue.kind == "envelope":
            notes.append(issue.message)
    if not loaded and not ta1:
        why = "envelope of an interchange with no loadable acknowledgment: set aside"
        for pos in range(1, len(x12) + 1):
            set_aside(pos, pos, why)
        quarantine.sort(key=lambda r: r[0])
        return RemitPlan(
            status="rejected",
            message=_join(["no acknowledgment could be loaded", *notes]),
            quarantine=quarantine,
        )
    txn_rows = [_transaction_row(x12, t, sha256) for t in loaded]
    flagged = [r for r in txn_rows if r["status"] != "ok" or not r["envelope_ok"]]
    notes = [
        f"transaction {r['transaction_control_number']}: {r['message']}" for r in flagged
    ] + notes
    columns = (x12.id_array(), x12.text_array())
    segments, contexts = _segment_tables(x12, loaded, skip, sha256, columns)
    if ta1:
        segments = _keep_ta1(x12, segments, ta1)
    ctx = segments.column("ctx").to_pylist()
    for pos in (i + 1 for i, c in enumerate(ctx) if c is None and i + 1 not in skip):
        set_aside(pos, pos, "segment outside any loadable transaction: set aside")
    quarantine.sort(key=lambda r: r[0] or 0)
    if flagged or not_read:
        status = "flagged"
    elif quarantine:
        status = "loaded_with_quarantine"
    else:
        status = "loaded"
    return RemitPlan(
        status=status,
        message=_join(notes),
        segments=segments,
        contexts=contexts,
        transactions=txn_rows,
        quarantine=quarantine,
        rows_loaded=segments.num_rows - segments.column("ctx").null_count,
    )


def _keep_ta1(x12: X12File, segments: pa.Table, ta1: list[int]) -> pa.Table:
    """A TA1 sits between ISA and GS, outside any transaction: it is stored with its
    interchange's envelope (same context as the ISA), so it is kept verbatim in raw."""
    ctx = segments.column("ctx").to_pylist()
    for pos in ta1:
        isa = x12.interchange_of(pos).isa_position
        ctx[pos - 1] = ctx[isa - 1]
    i = segments.schema.get_field_index("ctx")
    column = pa.array(ctx, pa.int32())
    assert pc.sum(pc.is_null(column)).as_py() <= len(ctx)
    return segments.set_column(i, "ctx", column)
