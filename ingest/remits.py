"""One 835 file -> raw.x12_segments + raw.x12_transactions (+ raw.quarantine, raw.load_log).

Every segment of an accepted 835 transaction is stored verbatim; only the checks a payer's
own totals allow are made here (SE segment count, BPR against CLP and PLB). Interpreting the
loops is left to dbt (docs/ARCHITECTURE.md, "Why the 835 loops are interpreted in dbt").

What is set aside, and how:
- not X12, unreadable ISA, binary data, a wrong segment terminator: the whole file, one
  quarantine row holding the file's text, status rejected;
- only non-835 transactions (a 999 or 277CA dropped in the remits folder): the same, with
  the kind of file named in the reason;
- a damaged transaction (ST without SE, a segment that is not X12, an unreadable BPR02):
  that transaction's segments, one quarantine row each; the rest of the file loads;
- a claim payment with an amount that is not a number (CLP03-05, SVC02-03, CAS, AMT02):
  that CLP loop's segments; an unreadable PLB amount: that PLB;
- a segment outside any ST/SE that is no envelope segment: that segment;
- when no transaction loads, the envelope too: every segment lands in raw or quarantine.
A transaction whose SE count or BPR total disagrees, whose SE02 differs from ST02, whose
GE01/IEA01 counts are wrong or that came without an ISA envelope is *flagged*, not set
aside: its money is what the payer sent, so it loads and carries the flag. A re-delivered
remittance (same payer, TRN02, BPR amount and date, ST02 as one loaded before) is stored
too, with `redelivery_of`; staging reads the first copy.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.raw_tables import insert_arrow, joined_transaction
from ingest.report import FileResult
from ingest.x12 import X12Error, X12File, split_x12
from ingest.x12_plan import (
    RemitPlan,
    SetAside,
    join_notes,
    plan_transactions,
    reject_whole_file,
    transaction_row,
    what_else,
)

log = logging.getLogger(__name__)

KIND = "remits"
_CENT = Decimal("0.01")
# DECIMAL(18,2) holds 16 integer digits.
_MAX_AMOUNT = Decimal("1e16")
# A stable namespace so the same file loaded at the same instant gets the same load_id:
# re-running a load reproduces identical tables.
_LOAD_ID_NAMESPACE = uuid.UUID("6f1c1d0e-5a35-4a8e-9a43-8f3d2b1c0835")


def load_remit_file(
    con: duckdb.DuckDBPyConnection, path: Path, data: bytes, sha256: str, loaded_at: datetime
) -> FileResult:
    """Load one 835 file in one DuckDB transaction (joins the caller's, if one is open)."""
    return load_planned_file(
        con, path, data, sha256, loaded_at, plan_remit_file, KIND, before_write=_mark_redeliveries
    )


def load_planned_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    data: bytes,
    sha256: str,
    loaded_at: datetime,
    plan_file: Callable[[bytes, str, str], RemitPlan],
    kind: str,
    before_write: Callable[[duckdb.DuckDBPyConnection, RemitPlan], None] | None = None,
) -> FileResult:
    """Plan one X12 file (835 or 837) and write the plan in one DuckDB transaction (joins
    the caller's, if one is open). A bug in planning sets the file aside, never the inbox."""
    load = X12Load(
        path=Path(path),
        sha256=sha256,
        loaded_at=loaded_at,
        file_bytes=len(data),
        kind=kind,
        plan=guarded_plan(plan_file, data, Path(path).name, sha256),
    )
    with joined_transaction(con):
        if before_write is not None:
            before_write(con, load.plan)
        write_x12_loads(con, [load])
    return load.result()


def guarded_plan(
    plan_file: Callable[[bytes, str, str], RemitPlan], data: bytes, name: str, sha256: str
) -> RemitPlan:
    """plan_file(data, name, sha256); a bug in planning sets the file aside, never the inbox."""
    try:
        return plan_file(data, name, sha256)
    except Exception as exc:  # a bug here must not stop the rest of the inbox
        log.exception("reading %s failed", name)
        return reject_whole_file(data, f"could not be read ({exc!r}): set aside")


@dataclass
class X12Load:
    """One planned X12 file and its file-level lineage, ready to be written with others."""

    path: Path
    sha256: str
    loaded_at: datetime
    file_bytes: int
    kind: str
    plan: RemitPlan
    mtime_ns: int | None = None  # raw.load_log.file_mtime_ns (ingest/known_files.py)

    @property
    def name(self) -> str:
        return self.path.name

    def result(self) -> FileResult:
        return FileResult(
            kind=self.kind,
            file_name=self.name,
            file_sha256=self.sha256,
            status=self.plan.status,
            rows_loaded=self.plan.rows_loaded,
            rows_quarantined=len(self.plan.quarantine),
            message=self.plan.message,
        )


def plan_remit_file(data: bytes, file_name: str, sha256: str) -> RemitPlan:
    try:
        x12 = split_x12(data, file_name)
    except X12Error as exc:
        return reject_whole_file(data, f"{exc}: set aside")
    if not any(t.set_id == "835" for t in x12.transactions):
        return reject_whole_file(data, f"{what_else(x12)}, not an 835: set aside")
    return plan_transactions(
        x12,
        sha256,
        sets=frozenset({"835"}),
        noun="an 835",
        unit="835 transaction",
        row=partial(_check_transaction, clp_paid=_clp_paid(x12)),
        check_all=_set_aside_unreadable_amounts,
    )


def _set_aside_unreadable_amounts(x12: X12File, remits: list, aside: SetAside) -> None:
    """Payer amounts that are not numbers: the claim payment (or PLB, or the whole
    transaction for a BPR) is set aside here, so staging never meets a NULL amount it must
    not have."""
    starts = [t.first_position for t in remits]
    for pos, problem in _unreadable_amounts(x12, x12.id_array(), x12.text_array()):
        i = bisect_right(starts, pos) - 1
        t = remits[i] if i >= 0 and pos <= remits[i].last_position else None
        sid = x12.segment_ids[pos - 1]
        clp = x12.clp_positions[pos - 1]
        if t is None or sid == "BPR":
            if t is not None:
                t.problems.append(problem)
            continue  # a stray segment: set aside with the strays
        if clp is not None and sid != "PLB":
            last = clp
            while last < t.last_position and x12.clp_positions[last] == clp:
                last += 1
            claim_id = _element(x12, clp, 1)
            reason = (
                f"claim payment CLP01 {claim_id!r} (segments {clp}-{last}) set aside: {problem}"
            )
            if clp not in aside.skip:
                aside.notes.append(f"transaction {t.control_number}: {reason}")
            aside(clp, last, reason)
        else:
            reason = f"{problem}: set aside"
            aside.notes.append(f"transaction {t.control_number}: {reason}")
            aside(pos, pos, reason)


# X12 R-type amount: optional minus, digits, optional decimal point (no exponent, no commas).
_AMOUNT = r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
_AMOUNT_RE = re.compile(_AMOUNT + r"\Z")
# Which elements of each segment are amounts, and whether each must be present.
_AMOUNT_ELEMENTS = {
    "BPR": ((2, True),),
    "CLP": ((3, True), (4, True), (5, False)),
    "SVC": ((2, True), (3, True)),
    "CAS": tuple((n, False) for n in (3, 6, 9, 12, 15, 18)),
    "AMT": ((2, True),),
}


@lru_cache(maxsize=16)
def _amount_patterns(element: str) -> dict[str, str]:
    """Whole-segment RE2 patterns (pyarrow) that a segment with readable amounts matches.

    One vectorised regex pass per segment id over the file's segments keeps the check off
    the Python hot path; only segments that fail it are looked at one by one.
    """
    e = re.escape(element)
    f = f"[^{e}]*"
    a, opt = _AMOUNT, f"(?:{_AMOUNT})?"
    rest = f"(?:{e}.*)?"
    return {
        "BPR": f"^{f}{e}{f}{e}{a}{rest}$",
        "CLP": f"^{f}{e}{f}{e}{f}{e}{a}{e}{a}(?:{e}{opt}{rest})?$",
        "SVC": f"^{f}{e}{f}{e}{a}{e}{a}{rest}$",
        # fixed positions: a reason, an amount and a quantity per triplet
        "CAS": f"^{f}{e}{f}(?:{e}{f}{e}{opt}{e}{f})*(?:{e}{f}(?:{e}{opt}(?:{e}{f})?)?)?$",
        "AMT": f"^{f}{e}{f}{e}{a}{rest}$",
        "PLB": f"^{f}{e}{f}{e}{f}(?:{e}{f}{e}{opt})*(?:{e}{f})?$",
    }


def _unreadable_amounts(x12: X12File, ids: pa.Array, texts: pa.Array) -> list[tuple[int, str]]:
    """(position, problem) of every payer amount that is not a number, in file order."""
    found: list[tuple[int, str]] = []
    seps = {ic.delimiters.element for ic in x12.interchanges}
    if len(seps) == 1:
        ranges = [(0, len(x12), seps.pop())]
    else:
        ranges = [
            (ic.isa_position - 1, ic.last_position, ic.delimiters.element)
            for ic in x12.interchanges
        ]
    for lo, hi, sep in ranges:
        part_ids, part_texts = ids.slice(lo, hi - lo), texts.slice(lo, hi - lo)
        for sid, pattern in _amount_patterns(sep).items():
            if sid in x12.markers:  # positions the splitter already knows: no search
                marks = x12.markers[sid]
                at = marks[bisect_left(marks, lo + 1) : bisect_right(marks, hi)]
                if not at:
                    continue
                where = pa.array(np.asarray(at, np.int64) - (lo + 1))
                candidates = part_texts.take(where)
            else:
                mask = pc.equal(part_ids, sid)
                if not pc.any(mask).as_py():
                    continue
                where = pc.indices_nonzero(mask)
                candidates = part_texts.filter(mask)
            ok = pc.match_substring_regex(candidates, pattern)
            if pc.all(ok).as_py():
                continue
            bad = where.filter(pc.invert(ok)).to_pylist()
            for i in bad:
                pos = lo + i + 1
                found.append((pos, _amount_problem(x12.text(pos), sid, sep, pos)))
    found.sort()
    return found


def _amount_problem(text: str, sid: str, sep: str, pos: int) -> str:
    els = text.split(sep)
    if sid == "PLB":
        checks = [(n, False) for n in range(4, max(len(els), 5), 2)]
    else:
        checks = _AMOUNT_ELEMENTS[sid]
    for n, required in checks:
        raw = els[n] if len(els) > n else ""
        if (raw or required) and not _AMOUNT_RE.match(raw):
            return f"{sid}{n:02d} {raw[:20]!r} at segment {pos} is not an amount"
    return f"{sid} at segment {pos} has an unreadable amount"


def _element(x12: X12File, pos: int, n: int) -> str:
    sep = x12.interchange_of(pos).delimiters.element
    els = x12.text(pos).split(sep)
    return els[n] if len(els) > n else ""


def _mark_redeliveries(con: duckdb.DuckDBPyConnection, plan: RemitPlan) -> None:
    """A transaction whose remittance was loaded before (from this or an earlier file) is a
    re-delivery: stored verbatim like any other, read once by staging, said in the report."""
    mark_redeliveries(con, [("this file", plan)])


def mark_redeliveries(con: duckdb.DuckDBPyConnection, plans: list[tuple[str, RemitPlan]]) -> None:
    """_mark_redeliveries for files written together, in file order: (file name, plan) each.

    One look-up in raw.x12_transactions for all their keys; a remittance first met in an
    earlier file of the same batch is a re-delivery of that file's transaction, as it would
    be had each file been written on its own."""
    keys = list(
        dict.fromkeys(
            r["remittance_key"]
            for _, plan in plans
            for r in plan.transactions
            if r["remittance_key"]
        )
    )
    if not keys:
        return
    first: dict[str, tuple[str, str, int]] = {}
    for key, tid, file_name in con.execute(
        """
        select remittance_key, transaction_id, file_name from raw.x12_transactions
        where remittance_key in (select unnest(?))
        order by _loaded_at, file_name, first_segment_position
        """,
        [keys],
    ).fetchall():
        first.setdefault(key, (tid, file_name, -1))
    for index, (name, plan) in enumerate(plans):
        notes = []
        for row in plan.transactions:
            key = row["remittance_key"]
            if not key:
                continue
            if key in first:
                tid, file_name, where = first[key]
                row["redelivery_of"] = tid
                payer, trace, amount, date, _ = (part.split(" ", 1)[-1] for part in key.split("|"))
                note = (
                    f"re-delivery of remittance trace {trace} (payer {payer or '?'}, "
                    f"{amount or '?'} paid {date or '?'}) first loaded from "
                    f"{'this file' if where == index else file_name}: "
                    "kept in raw, read once"
                )
                notes.append(f"transaction {row['transaction_control_number']}: {note}")
                row["message"] = "; ".join(m for m in (note, row["message"]) if m)
            else:
                first[key] = (row["transaction_id"], name, index)
        if notes:
            plan.message = join_notes([*notes, plan.message] if plan.message else notes)


def _check_transaction(
    x12: X12File,
    t,
    sha256: str,
    skip: set[int] = frozenset(),
    clp_paid: pa.Array | None = None,
) -> dict:
    """The transaction's raw.x12_transactions row: its envelope, SE01 count and BPR balance.

    clp_paid: _clp_paid(x12), every CLP04 of the file read at once (None: read here).
    """
    sep = x12.interchanges[t.interchange].delimiters.element
    problems: list[str] = []

    def in_txn_all(kind: str) -> list[int]:
        lo, hi = _span(x12.markers[kind], t)
        return x12.markers[kind][lo:hi]

    def in_txn(kind: str) -> list[int]:
        found = in_txn_all(kind)
        return [p for p in found if p not in skip] if skip else found

    bprs = in_txn("BPR")
    bpr = _amount(x12.text(bprs[0]).split(sep), 2, "BPR02", bprs[0], problems) if bprs else None
    plb_problems: list[str] = []
    plb_total = Decimal(0)
    plbs = in_txn("PLB")
    for pos, text in zip(plbs, x12.texts_at(plbs), strict=True):
        els = text.split(sep)
        for n in range(4, len(els), 2):
            plb_total += _amount(els, n, f"PLB{n:02d}", pos, plb_problems)
    clps = in_txn("CLP")
    clp_total = _clp_total(x12, t, clps, clp_paid)
    if clp_total is None or problems or plb_problems or bpr != clp_total - plb_total:
        # Anything but a balanced transaction of plain amounts: CLP04 one by one, as
        # Decimals (their problems are named; the exponent of the sum shows in the message).
        clp_total = Decimal(0)
        for pos, text in zip(clps, x12.texts_at(clps), strict=True):
            clp_total += _amount(text.split(sep), 4, "CLP04", pos, problems)
    problems += plb_problems
    if bpr is None:
        problems.append("no BPR segment")
    balanced = not problems and bpr == clp_total - plb_total
    if bpr is not None and not problems and not balanced:
        aside = len(in_txn_all("CLP")) - len(in_txn("CLP")) if skip else 0
        problems.append(
            f"BPR02 {bpr} does not balance: sum CLP04 {clp_total} - sum PLB {plb_total} = "
            f"{clp_total - plb_total}"
            + (f" ({aside} claim payment(s) set aside, not counted)" if aside else "")
        )
    count_ok = t.se_declared_count == t.segment_count
    if not count_ok:
        problems.append(
            f"SE01 declares {t.se_declared_count} segments, ST..SE holds {t.segment_count}"
        )
    status = {
        (True, True): "ok",
        (False, True): "unbalanced",
        (True, False): "se_count_mismatch",
        (False, False): "unbalanced_se_count_mismatch",
    }[(balanced, count_ok)]
    group = x12.groups[t.group] if t.group is not None else None
    # The envelope columns every X12 transaction row has, then the 835's money and checks.
    row = transaction_row(x12, t, sha256)
    row.update(
        {
            # as sent (GS08, else ST03): not the upper-cased guide of transaction_row
            "version": (group.version if group else None) or t.version or None,
            "bpr_amount": _cents(bpr),
            "clp_paid_total": _cents(clp_total),
            "plb_total": _cents(plb_total),
            "bpr_balanced": balanced,
            "status": status,
            "message": "; ".join(problems + t.flags) or None,
            "remittance_key": _remittance_key(x12, t, bpr, sep),
        }
    )
    return row


def _clp_paid(x12: X12File) -> pa.Array | None:
    """CLP04 (claim payment amount) of every CLP, in x12.markers order, as decimal128(18, 2):
    null where it is not a plain amount (at most 13 digits and 2 decimals: exact in cents).

    Why: one RE2 pass and a cast for the file instead of a Decimal per claim payment (those
    were a fifth of planning bench/ingest_835.py's 100k-claim file). _check_transaction uses
    a transaction's sum only when all its values are plain and it balances; anything else
    it sums one by one, as Decimals (which name the problems and print the message).
    """
    seps = {ic.delimiters.element for ic in x12.interchanges}
    clps = x12.markers["CLP"]
    if len(seps) != 1 or not clps:
        return None
    e = re.escape(seps.pop())
    texts = x12.text_array().take(pa.array(np.asarray(clps, np.int64) - 1))
    plain = rf"^(?:[^{e}]*{e}){{4}}(?P<paid>-?[0-9]{{1,13}}(?:\.[0-9]{{1,2}})?)(?:{e}|$)"
    paid = pc.struct_field(pc.extract_regex(texts, plain), [0])
    return pc.cast(paid, pa.decimal128(18, 2))


def _clp_total(x12: X12File, t, clps: list[int], clp_paid: pa.Array | None) -> Decimal | None:
    """The sum of the transaction's CLP04 from clp_paid, or None when one is not plain or a
    claim payment of it is set aside (`clps`: its CLPs that are not)."""
    if clp_paid is None:
        return None
    lo, hi = _span(x12.markers["CLP"], t)
    if hi - lo != len(clps):
        return None
    if not clps:
        return Decimal(0)
    paid = clp_paid.slice(lo, len(clps))
    return None if paid.null_count else pc.sum(paid).as_py()


def _span(marks: list[int], t) -> tuple[int, int]:
    """The slice of `marks` (positions in file order) that lies within transaction t."""
    lo = bisect_left(marks, t.first_position)
    return lo, bisect_right(marks, t.last_position, lo)


def _remittance_key(x12: X12File, t, bpr: Decimal | None, sep: str) -> str | None:
    """What a remittance is, whatever file or line breaks it came in: payer, TRN02 trace,
    BPR02 amount and BPR16 date (DTM*405 without one), ST02. None without a TRN02 trace.

    A clearinghouse re-delivering an ERA (reformatted, renamed, inside a bigger file)
    changes the file's bytes, never these.
    """
    first_clp = bisect_left(x12.markers["CLP"], t.first_position)
    clps = x12.markers["CLP"]
    header_end = clps[first_clp] if first_clp < len(clps) else t.last_position
    header_end = min(header_end, t.last_position)
    found: dict[str, str] = {}
    for text in x12.texts_between(t.first_position, header_end - 1):
        els = text.split(sep)
        sid = els[0].upper()
        if sid not in ("BPR", "TRN", "N1", "REF", "DTM"):
            continue
        key = {
            "BPR": "BPR",
            "TRN": "TRN",
            "N1": "N1PR" if _el(els, 1) == "PR" else "",
            "REF": "REF2U" if _el(els, 1) == "2U" else "",
            "DTM": "DTM405" if _el(els, 1) == "405" else "",
        }[sid]
        if key and key not in found:
            found[key] = text
    trn = _el(found.get("TRN", "").split(sep), 2).strip()
    if not trn:
        return None
    payer = _el(found.get("N1PR", "").split(sep), 4) or _el(found.get("REF2U", "").split(sep), 2)
    date = _el(found.get("BPR", "").split(sep), 16) or _el(found.get("DTM405", "").split(sep), 2)
    amount = "" if bpr is None else str(_cents(bpr))
    parts = [payer.strip(), trn, amount, date.strip(), t.control_number]
    return "|".join(f"{k} {v}" for k, v in zip(_KEY_PARTS, parts, strict=True))


_KEY_PARTS = ("payer", "trace", "amount", "date", "ST02")


def _el(els: list[str], n: int) -> str:
    return els[n] if len(els) > n else ""


def _amount(els: list[str], n: int, name: str, pos: int, problems: list[str]) -> Decimal:
    raw = els[n] if len(els) > n else ""
    if raw == "" and name.startswith("PLB"):
        return Decimal(0)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= _MAX_AMOUNT:
        problems.append(f"{name} {raw[:20]!r} at segment {pos} is not an amount")
        return Decimal(0)
    return value


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_CENT)


def write_x12_loads(con: duckdb.DuckDBPyConnection, loads: list[X12Load]) -> None:
    """Write planned X12 files: one columnar insert per raw table for all of them, in the
    caller's transaction. Lineage (file name, hash, load time) is per file: it is stored on
    the small context table (raw.x12_segment_contexts), whose row each stored segment
    points to; raw.x12_segments is the view that joins them (ingest/raw_tables.py)."""
    segments, contexts = [], []
    ((offset,),) = con.execute(
        "select coalesce(max(context_key), 0) from raw.x12_segment_contexts"
    ).fetchall()
    for load in loads:
        plan = load.plan
        if plan.segments is None:
            continue
        n = plan.contexts.num_rows
        # context_key: unique in the warehouse, one past the last stored
        segments.append(_with_key(plan.segments, offset + 1))
        contexts.append(
            _with_key(plan.contexts, offset + 1)
            .append_column("file_name", pa.array([load.name] * n, pa.string()))
            .append_column("file_sha256", pa.array([load.sha256] * n, pa.string()))
            .append_column("_loaded_at", pa.array([load.loaded_at] * n, pa.timestamp("us")))
        )
        offset += n
    if segments:
        # Rows carry their position, so their physical order is irrelevant; letting DuckDB
        # insert without preserving it uses every thread for the compression work.
        ((keep_order,),) = con.execute(
            "select current_setting('preserve_insertion_order')"
        ).fetchall()
        con.execute("set preserve_insertion_order = false")
        try:
            insert_arrow(
                con,
                """
                insert into raw.x12_segment_contexts by name
                select context_key, file_name, file_sha256, transaction_id,
                       icn as interchange_control_number, gcn as group_control_number,
                       tcn as transaction_control_number, element_separator,
                       component_separator, _loaded_at
                from _rows
                """,
                pa.concat_tables(contexts),
            )
            insert_arrow(
                con,
                """
                insert into raw.x12_segment_rows
                select context_key, segment_position, segment_id, segment_text,
                       clp_position, svc_position
                from _rows
                """,
                _segment_rows(segments),
            )
        finally:
            con.execute(f"set preserve_insertion_order = {keep_order}")
    txn_rows = [
        {**row, "file_name": load.name, "file_sha256": load.sha256, "_loaded_at": load.loaded_at}
        for load in loads
        for row in load.plan.transactions
    ]
    if txn_rows:
        insert_arrow(
            con,
            "insert into raw.x12_transactions by name select * from _rows",
            pa.Table.from_pylist(txn_rows, schema=_TXN_SCHEMA),
        )
    quarantine = [(load, r) for load in loads for r in load.plan.quarantine]
    if quarantine:
        q = pa.table(
            {
                "kind": pa.array([load.kind for load, _ in quarantine], pa.string()),
                "file_name": pa.array([load.name for load, _ in quarantine], pa.string()),
                "file_sha256": pa.array([load.sha256 for load, _ in quarantine], pa.string()),
                "row_number": pa.nulls(len(quarantine), pa.int32()),
                "segment_position": pa.array([r[0] for _, r in quarantine], pa.int32()),
                "reason": pa.array([r[1] for _, r in quarantine], pa.string()),
                "raw_record": pa.array([r[2] for _, r in quarantine], pa.string()),
                "quarantined_at": pa.array(
                    [load.loaded_at for load, _ in quarantine], pa.timestamp("us")
                ),
            }
        )
        insert_arrow(con, "insert into raw.quarantine by name select * from _rows", q)
    if loads:
        log_rows = pa.table(
            {
                "load_id": [
                    str(
                        uuid.uuid5(
                            _LOAD_ID_NAMESPACE,
                            f"{load.sha256}|{load.loaded_at.isoformat()}|{load.path}",
                        )
                    )
                    for load in loads
                ],
                "kind": [load.kind for load in loads],
                "file_name": [load.name for load in loads],
                "file_path": [str(load.path) for load in loads],
                "file_sha256": [load.sha256 for load in loads],
                "file_bytes": pa.array([load.file_bytes for load in loads], pa.int64()),
                "rows_loaded": pa.array([load.plan.rows_loaded for load in loads], pa.int32()),
                "rows_quarantined": pa.array(
                    [len(load.plan.quarantine) for load in loads], pa.int32()
                ),
                "status": [load.plan.status for load in loads],
                "message": pa.array([load.plan.message or None for load in loads], pa.string()),
                "loaded_at": pa.array([load.loaded_at for load in loads], pa.timestamp("us")),
                "file_mtime_ns": pa.array([load.mtime_ns for load in loads], pa.int64()),
            }
        )
        insert_arrow(con, "insert into raw.load_log by name select * from _rows", log_rows)


def _with_key(table: pa.Table, first: int) -> pa.Table:
    """`table` with its per-file context number `ctx` (NULL: not loaded) turned into the
    warehouse-wide `context_key` (first + ctx)."""
    i = table.schema.get_field_index("ctx")
    key = pc.add(table.column(i).cast(pa.int64()), pa.scalar(first, pa.int64()))
    return table.set_column(i, "context_key", key)


def _segment_rows(segments: list[pa.Table]) -> pa.Table:
    """The loaded segments (those with a context), handed to DuckDB in record batches."""
    table = pa.concat_tables(segments)
    if table.column("context_key").null_count:  # set aside: not loaded
        # (a filter copies every column, the texts too: only when something is set aside)
        table = table.filter(pc.is_valid(table.column("context_key")))
    # DuckDB scans an Arrow table one record batch per thread: batches no larger than a row
    # group, and at least one per core, let a single file use every core (one 100k-claim
    # 835 is stored in half the time).
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    per_core = -(-table.num_rows // (cores or 1))
    batches = table.to_batches(max_chunksize=max(1, min(_ROW_GROUP, per_core)))
    return pa.Table.from_batches(batches, schema=table.schema)


_ROW_GROUP = 122_880  # DuckDB's row group size


_TXN_SCHEMA = pa.schema(
    [
        ("transaction_id", pa.string()),
        ("interchange_control_number", pa.string()),
        ("group_control_number", pa.string()),
        ("transaction_control_number", pa.string()),
        ("transaction_set_id", pa.string()),
        ("version", pa.string()),
        ("sender_id", pa.string()),
        ("receiver_id", pa.string()),
        ("first_segment_position", pa.int32()),
        ("last_segment_position", pa.int32()),
        ("se_declared_count", pa.int32()),
        ("segment_count", pa.int32()),
        ("se_count_ok", pa.bool_()),
        ("bpr_amount", pa.decimal128(18, 2)),
        ("clp_paid_total", pa.decimal128(18, 2)),
        ("plb_total", pa.decimal128(18, 2)),
        ("bpr_balanced", pa.bool_()),
        ("status", pa.string()),
        ("message", pa.string()),
        ("envelope_ok", pa.bool_()),
        ("remittance_key", pa.string()),
        ("redelivery_of", pa.string()),
        ("file_name", pa.string()),
        ("file_sha256", pa.string()),
        ("_loaded_at", pa.timestamp("us")),
    ]
)
