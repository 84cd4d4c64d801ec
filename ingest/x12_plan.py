"""What every X12 loader does with a split file: the plan of what goes to raw and what to
quarantine, built without touching the warehouse.

The 835 (ingest.remits), 837P (ingest.claims_837) and acknowledgment (ingest.acknowledgments)
loaders differ only in which transaction sets they read and in their own checks; the rest
is `plan_transactions` here: transactions of other sets set aside and named, damaged
transactions and stray segments set aside, the envelope with them when nothing loads,
a raw.x12_transactions row per loaded transaction, the segment columns and the status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ingest.x12 import Transaction, X12File, decode

_MESSAGE_LIMIT = 2000

# What else turns up in an inbox folder (ST01 -> what it is).
OTHER_SETS = {
    "999": "999 acknowledgment",
    "997": "997 functional acknowledgment",
    "277": "277 claim status response",
    "276": "276 claim status request",
    "837": "837 claim",
    "270": "270 eligibility inquiry",
    "271": "271 eligibility response",
    "278": "278 prior authorization",
    "820": "820 premium payment",
    "834": "834 benefit enrollment",
}


@dataclass
class RemitPlan:
    """What loading one X12 file will write; pure data, built without touching the warehouse.
    (Named for the first kind it served; it plans 837s and acknowledgments alike.)"""

    status: str
    message: str = ""
    segments: pa.Table | None = None  # loaded segments, joined to `contexts` by ctx
    contexts: pa.Table | None = None
    transactions: list[dict] = field(default_factory=list)
    quarantine: list[tuple[int | None, str, str]] = field(default_factory=list)  # pos, why, raw
    rows_loaded: int = 0


@dataclass
class SetAside:
    """The segments of a file that do not load, each with its reason, and the load notes."""

    x12: X12File
    skip: set[int] = field(default_factory=set)  # positions that do not load
    quarantine: list[tuple[int | None, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __call__(self, first: int, last: int, reason: str) -> None:
        """Set aside segments first..last (positions), each once, with `reason`."""
        texts = self.x12.texts_between(first, last)
        for pos, text in enumerate(texts, first):
            if pos not in self.skip:
                self.skip.add(pos)
                self.quarantine.append((pos, reason, text))


# The kind-specific steps plan_transactions calls (see its docstring).
CheckAll = Callable[[X12File, list[Transaction], SetAside], None]
ReadOne = Callable[[X12File, Transaction, SetAside], bool]
TransactionRow = Callable[[X12File, Transaction, str, set[int]], dict]


def plan_transactions(
    x12: X12File,
    sha256: str,
    *,
    sets: frozenset[str],
    noun: str,
    unit: str,
    row: TransactionRow,
    check_all: CheckAll | None = None,
    read: ReadOne | None = None,
    kept: Iterable[int] = (),
    kept_notes: Iterable[str] = (),
) -> RemitPlan:
    """Plan one split file whose transactions of `sets` are read (`noun`: "an 835", what
    another set is not; `unit`: "835 transaction", what could not be loaded).

    - check_all(x12, transactions, set_aside): before anything else, may set aside parts of
      the transactions of `sets` or add to a transaction's `problems` (whole one set aside);
    - read(x12, t, set_aside), for each transaction that loads: may set aside parts of it;
      False = kept in raw but not read (flags the file);
    - row(x12, t, sha256, skip): its raw.x12_transactions row;
    - kept: positions outside any transaction that are stored with their interchange's
      envelope (a TA1), named by `kept_notes`; their presence flags the file.
    """
    aside = SetAside(x12)
    wanted = [t for t in x12.transactions if t.set_id in sets]
    kept = list(kept)
    for t in x12.transactions:
        if t.set_id not in sets:
            what = label(x12, t.set_id, t.group)
            aside(t.first_position, t.last_position, f"{what}, not {noun}: set aside")
            aside.notes.append(f"transaction {t.control_number}: {what}, set aside")
    if check_all is not None:
        check_all(x12, wanted, aside)
    loaded: list[Transaction] = []
    not_read = bool(kept)
    for t in wanted:
        if t.problems:
            aside(t.first_position, t.last_position, "; ".join(t.problems) + ": set aside")
            aside.notes.append(
                f"{t.segment_count} segments of transaction {t.control_number} set aside "
                f"({t.problems[0]})"
            )
            continue
        loaded.append(t)
        if read is not None and not read(x12, t, aside):
            not_read = True
    aside.notes.extend(kept_notes)
    kept_set = set(kept)
    for issue in x12.issues:
        if issue.kind == "stray" and issue.position is not None:
            if issue.position not in kept_set:
                aside(issue.position, issue.position, issue.message + ": set aside")
        elif issue.kind == "envelope":
            aside.notes.append(issue.message)
    if not loaded and not kept:
        # Every byte lands somewhere: the envelope of what was set aside goes with it.
        aside(1, len(x12), f"envelope of an interchange with no loadable {unit}: set aside")
        aside.quarantine.sort(key=lambda r: r[0])
        return RemitPlan(
            status="rejected",
            message=join_notes([f"no {unit} could be loaded", *aside.notes]),
            quarantine=aside.quarantine,
        )

    txn_rows = [row(x12, t, sha256, aside.skip) for t in loaded]
    flagged = [r for r in txn_rows if r["status"] != "ok" or not r["envelope_ok"]]
    notes = [
        f"transaction {r['transaction_control_number']}: {r['message']}" for r in flagged
    ] + aside.notes
    segments, contexts = segment_tables(x12, loaded, aside.skip, sha256, kept)
    if segments.column("ctx").null_count != len(aside.skip):
        # Not expected (every envelope segment has a context): set aside, never drop.
        ctx = segments.column("ctx").to_pylist()
        for pos in (i + 1 for i, c in enumerate(ctx) if c is None and i + 1 not in aside.skip):
            aside(pos, pos, "segment outside any loadable transaction: set aside")
    aside.quarantine.sort(key=lambda r: r[0] or 0)
    if flagged or not_read:
        status = "flagged"
    elif aside.quarantine:
        status = "loaded_with_quarantine"
    else:
        status = "loaded"
    return RemitPlan(
        status=status,
        message=join_notes(notes),
        segments=segments,
        contexts=contexts,
        transactions=txn_rows,
        quarantine=aside.quarantine,
        rows_loaded=segments.num_rows - segments.column("ctx").null_count,
    )


def transaction_id(sha256: str, ordinal: int) -> str:
    return f"{sha256[:16]}-{ordinal}"


def guide(x12: X12File, t: Transaction) -> str:
    """The transaction's implementation guide: GS08, else ST03 (upper case)."""
    group = x12.groups[t.group] if t.group is not None else None
    return ((group.version if group else "") or t.version or "").strip().upper()


def transaction_row(
    x12: X12File, t: Transaction, sha256: str, skip: set[int] = frozenset()
) -> dict:
    """The raw.x12_transactions row of a transaction with no money to balance (837, 999,
    277CA): its envelope, the SE01 count check and the flags; the 835 columns NULL."""
    ic = x12.interchanges[t.interchange]
    group = x12.groups[t.group] if t.group is not None else None
    count_ok = t.se_declared_count == t.segment_count
    problems = []
    if not count_ok:
        problems.append(
            f"SE01 declares {t.se_declared_count} segments, ST..SE holds {t.segment_count}"
        )
    return {
        "transaction_id": transaction_id(sha256, t.ordinal),
        "interchange_control_number": ic.control_number or None,
        "group_control_number": group.control_number if group else None,
        "transaction_control_number": t.control_number,
        "transaction_set_id": t.set_id,
        "version": guide(x12, t) or None,
        "sender_id": ic.sender_id,
        "receiver_id": ic.receiver_id,
        "first_segment_position": t.first_position,
        "last_segment_position": t.last_position,
        "se_declared_count": t.se_declared_count,
        "segment_count": t.segment_count,
        "se_count_ok": count_ok,
        "bpr_amount": None,
        "clp_paid_total": None,
        "plb_total": None,
        "bpr_balanced": None,
        "status": "ok" if count_ok else "se_count_mismatch",
        "message": "; ".join(problems + t.flags) or None,
        "envelope_ok": not t.flags,
        "remittance_key": None,
        "redelivery_of": None,
    }


def segment_tables(
    x12: X12File, loaded: list[Transaction], skip: set[int], sha256: str, kept: Iterable[int] = ()
) -> tuple[pa.Table, pa.Table]:
    """Per-segment columns plus a small context table (ids, control numbers, separators).

    Each segment carries only a context number (NULL: not loaded); the writer stores the
    contexts in raw.x12_segment_contexts and the segments with their context's key in
    raw.x12_segment_rows (ingest.remits.write_x12_loads; raw.x12_segments joins them).
    `kept` positions take their interchange's envelope context.
    """
    n = len(x12)
    ctx = np.full(n, -1, np.int32)  # -1: not loaded
    rows: list[tuple] = []

    def context(*row) -> int:
        rows.append(row)
        return len(rows) - 1

    # Every interchange's and group's envelope is stored, also where none of its
    # transactions loaded: every segment lands in raw or in quarantine.
    for ic in x12.interchanges:
        if not ic.enveloped:
            continue
        d = ic.delimiters
        c = context(None, ic.control_number or None, None, None, d.element, d.component)
        for pos in (ic.isa_position, ic.iea_position):
            if pos is not None and pos not in skip:
                ctx[pos - 1] = c
    for g in x12.groups:
        d = x12.interchanges[g.interchange].delimiters
        icn = x12.interchanges[g.interchange].control_number
        c = context(None, icn, g.control_number, None, d.element, d.component)
        for pos in (g.gs_position, g.ge_position):
            if pos is not None and pos not in skip:
                ctx[pos - 1] = c
    for t in loaded:
        ic = x12.interchanges[t.interchange]
        d = ic.delimiters
        c = context(
            transaction_id(sha256, t.ordinal),
            ic.control_number or None,
            x12.groups[t.group].control_number if t.group is not None else None,
            t.control_number,
            d.element,
            d.component,
        )
        ctx[t.first_position - 1 : t.last_position] = c
    if skip:  # set aside inside a loaded transaction (a claim payment, a PLB)
        ctx[np.fromiter(skip, np.int64, len(skip)) - 1] = -1
    for pos in kept:  # e.g. a TA1, between ISA and GS: stored with its interchange's envelope
        if pos not in skip:
            ctx[pos - 1] = ctx[x12.interchange_of(pos).isa_position - 1]

    segments = pa.table(
        {
            "ctx": pa.array(ctx, pa.int32(), mask=ctx < 0),
            "segment_position": pa.array(np.arange(1, n + 1, dtype=np.int32)),
            "segment_id": x12.id_array(),
            "segment_text": x12.text_array(),
            "clp_position": x12.position_array("CLP"),
            "svc_position": x12.position_array("SVC"),
        }
    )
    names = ["transaction_id", "icn", "gcn", "tcn", "element_separator", "component_separator"]
    contexts = pa.table(
        {k: pa.array([r[i] for r in rows], pa.string()) for i, k in enumerate(names)}
    )
    contexts = contexts.append_column("ctx", pa.array(range(len(rows)), pa.int32()))
    return segments, contexts


def label(x12: X12File, set_id: str, group: int | None) -> str:
    """What a transaction set is, in words (a 277 of the 277CA guide says so)."""
    version = x12.groups[group].version if group is not None else ""
    if set_id == "277" and "X214" in version.upper():
        return "277CA claim acknowledgment"
    return OTHER_SETS.get(set_id, f"transaction set {set_id!r}")


def what_else(x12: X12File) -> str:
    """What a file holds instead (every set in it, or why it holds none), in words."""
    if not x12.transactions:
        if "TA1" in x12.segment_ids:
            return "TA1 interchange acknowledgment"
        # The real reason first (a segment that is not X12, say), not only its consequence.
        why = [i.message for i in x12.issues if i.kind != "envelope"][:3]
        if why:
            return "; ".join(why) + ": so an X12 interchange with no transaction set"
        return "an X12 interchange with no transaction set"
    labels = dict.fromkeys(label(x12, t.set_id, t.group) for t in x12.transactions)
    return " and ".join(labels)


def join_notes(notes: list[str]) -> str:
    """The load notes as one message, cut to what raw.load_log keeps readable."""
    text = "; ".join(notes)
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."


def reject_whole_file(data: bytes, reason: str) -> RemitPlan:
    # The whole file, as text: every byte of a refused file lands in quarantine.
    return RemitPlan(status="rejected", message=reason, quarantine=[(None, reason, decode(data))])
