"""One 837P file -> raw.x12_segments + raw.x12_transactions (+ raw.quarantine, raw.load_log).

The claim batches a PM sends to its clearinghouse take the 835s' lossless path (ingest.x12's
splitter, the same raw tables, control numbers, SE-count check): every segment is stored
verbatim and staging (models/staging/x12/stg_x12__claim_lines.sql) reads the claims out of
them. Only what staging must be able to trust is checked here (INPUTS.md "claims_837"):

- not X12, unreadable ISA, binary data: the whole file, one quarantine row, status rejected;
- a damaged transaction (ST without SE, a segment that is not X12): its segments;
- a claim that cannot be read (no CLM01, an ICD-9 diagnosis qualifier BK/BF): the CLM loop's
  segments, named by file, transaction and segment position; the other claims load;
- a service line that cannot be read (no SV1, a non-numeric SV102, units in minutes or not a
  whole count, no or a bad DTP*472 date): that line's segments (LX to the next LX);
- transactions that are no 837 (an 835 in the same file): set aside, named.
An 837 of another guide than 005010X222A1 (the 4010 837P, an 837I or 837D) is kept in raw,
not read as claims, and named in the load report. Which payer a claim goes to is resolved in
staging (the payers master and the seed claim_filing_indicators live there).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from ingest.remits import load_planned_file
from ingest.report import FileResult
from ingest.x12 import Transaction, X12Error, X12File, split_x12
from ingest.x12_plan import (
    RemitPlan,
    SetAside,
    guide,
    plan_transactions,
    reject_whole_file,
    transaction_row,
)

log = logging.getLogger(__name__)

KIND = "claims_837"
# The professional claim's implementation guide: the only 837 read as claims.
PROFESSIONAL_5010 = "005010X222A1"
_GUIDES = {
    "004010X098A1": "the 4010 837P (retired by HIPAA 5010 in 2012: send the 5010 batch)",
    "005010X223A2": "an 837I institutional claim",
    "005010X223A3": "an 837I institutional claim",
    "005010X224A2": "an 837D dental claim",
    "005010X224A3": "an 837D dental claim",
}
# The ST01 of an 837 anywhere in the first interchanges: cheap, before any splitting.
_ST_837 = re.compile(rb"(?:^|[^A-Za-z0-9])ST(.)837\1")


def holds_837(data: bytes) -> bool:
    """True when the file carries an 837 transaction (read by this module, not as an 835)."""
    return _ST_837.search(data) is not None


def load_claims_837_file(
    con: duckdb.DuckDBPyConnection, path: Path, data: bytes, sha256: str, loaded_at: datetime
) -> FileResult:
    """Load one 837 file in one DuckDB transaction (joins the caller's, if one is open)."""
    return load_planned_file(con, path, data, sha256, loaded_at, plan_claims_837_file, KIND)


def plan_claims_837_file(data: bytes, file_name: str, sha256: str) -> RemitPlan:
    try:
        x12 = split_x12(data, file_name)
    except X12Error as exc:
        return reject_whole_file(data, f"{exc}: set aside")
    if not any(t.set_id == "837" for t in x12.transactions):
        return reject_whole_file(data, "no 837 transaction set: set aside")
    return plan_transactions(
        x12,
        sha256,
        sets=frozenset({"837"}),
        noun="an 837",
        unit="837 transaction",
        row=transaction_row,
        read=_read_claims,
    )


def _read_claims(x12: X12File, t: Transaction, aside: SetAside) -> bool:
    """Set aside the claims and lines of `t` staging could not read; False for an 837 of
    another guide (kept in raw, not read as claims)."""
    found = guide(x12, t)
    if found != PROFESSIONAL_5010:
        what = _GUIDES.get(found, f"guide {found or '(none)'!r}")
        aside.notes.append(
            f"transaction {t.control_number} is {what} ({found or 'no guide'}), "
            f"not {PROFESSIONAL_5010}: "
            "kept in raw, not read as claims"
        )
        return False
    for first, last, reason in _unreadable(x12, t):
        aside.notes.append(f"transaction {t.control_number}: {reason}")
        aside(first, last, f"transaction {t.control_number}: {reason}")
    return True


# Loops are closed by the next segment of one of these ids (or by SE).
_ENDS_CLAIM = frozenset({"CLM", "HL", "SE"})
_ENDS_LINE = frozenset({"LX", "CLM", "HL", "SE"})
_ICD9 = frozenset({"BK", "BF"})
_AMOUNT_RE = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)\Z")
_COUNT_RE = re.compile(r"[0-9]+(?:\.0*)?\Z")


def _unreadable(x12: X12File, t) -> list[tuple[int, int, str]]:
    """(first, last, reason) of each CLM loop or service line staging could not read."""
    ids = x12.segment_ids
    texts = x12.segment_texts
    d = x12.interchanges[t.interchange].delimiters
    out: list[tuple[int, int, str]] = []
    pos = t.first_position
    end = t.last_position
    while pos <= end:
        if ids[pos - 1] != "CLM":
            pos += 1
            continue
        clm = pos
        last = clm
        while last < end and ids[last] not in _ENDS_CLAIM:
            last += 1
        els = texts[clm - 1].split(d.element)
        claim_id = _el(els, 1).strip()
        why = None
        if not claim_id:
            why = "no CLM01 (patient control number)"
        else:
            for p in range(clm, last + 1):
                if ids[p - 1] != "HI":
                    continue
                for comp in texts[p - 1].split(d.element)[1:]:
                    qualifier = comp.split(d.component)[0].strip().upper()
                    if qualifier in _ICD9:
                        why = f"ICD-9 diagnosis qualifier {qualifier} in HI at segment {p}"
                        break
                if why:
                    break
        if why:
            out.append((clm, last, f"claim at segment {clm} (CLM01 {claim_id!r}): {why}"))
            pos = last + 1
            continue
        p = clm
        while p <= last:
            if ids[p - 1] != "LX":
                p += 1
                continue
            lx = p
            line_end = lx
            while line_end < last and ids[line_end] not in _ENDS_LINE:
                line_end += 1
            problem = _line_problem(ids, texts, lx, line_end, d.element, d.component)
            if problem:
                out.append(
                    (
                        lx,
                        line_end,
                        f"service line at segment {lx} of claim CLM01 {claim_id!r}: {problem}",
                    )
                )
            p = line_end + 1
        pos = last + 1
    return out


def _line_problem(ids, texts, lx: int, end: int, elem: str, comp: str) -> str | None:
    number = _el(texts[lx - 1].split(elem), 1).strip()
    if not re.fullmatch(r"[0-9]{1,6}", number) or int(number) < 1:
        return f"LX01 {number[:20]!r} at segment {lx} is not a line number"
    sv1 = next((p for p in range(lx, end + 1) if ids[p - 1] == "SV1"), None)
    if sv1 is None:
        return "no SV1 (professional service)"
    els = texts[sv1 - 1].split(elem)
    if not _el(els, 1).split(comp)[1:2] or not _el(els, 1).split(comp)[1].strip():
        return f"SV101 {_el(els, 1)[:20]!r} at segment {sv1} names no procedure code"
    charge = _el(els, 2).strip()
    if not _AMOUNT_RE.match(charge) or _too_big(charge):
        return f"SV102 {charge[:20]!r} at segment {sv1} is not an amount"
    unit = _el(els, 3).strip().upper()
    count = _el(els, 4).strip()
    if unit == "MJ":
        return f"SV103 MJ at segment {sv1}: units in minutes, not a count"
    if not _COUNT_RE.match(count):
        return f"SV104 {count[:20]!r} at segment {sv1} is not a whole count"
    dtp = None
    for p in range(lx, end + 1):
        if ids[p - 1] == "DTP" and _el(texts[p - 1].split(elem), 1).strip() == "472":
            dtp = p
            break
    if dtp is None:
        return "no DTP*472 service date"
    d = texts[dtp - 1].split(elem)
    if not _date_ok(_el(d, 2).strip().upper(), _el(d, 3).strip()):
        return f"DTP*472 {_el(d, 3)[:20]!r} at segment {dtp} is not a date"
    return None


def _too_big(value: str) -> bool:
    try:
        return abs(Decimal(value)) >= Decimal("1e16")
    except InvalidOperation:
        return True


def _date_ok(qualifier: str, value: str) -> bool:
    if qualifier == "D8":
        parts = [value]
    elif qualifier == "RD8":
        parts = value.split("-")
        if len(parts) != 2:
            return False
    else:
        return False
    for part in parts:
        try:
            datetime.strptime(part, "%Y%m%d")
        except ValueError:
            return False
        if len(part) != 8:
            return False
    return True


def _el(els: list[str], n: int) -> str:
    return els[n] if len(els) > n else ""
