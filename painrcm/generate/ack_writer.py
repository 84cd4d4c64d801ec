"""The clearinghouse's and payers' answers to the demo practice's claims: X12 999 and 277CA
files in `acknowledgments/`, and their ground truth (rules.md §16, §10 step 0, §12).

Every claim submission is grouped into the 837 transaction `claims_837_writer` makes of it
(one file per claims delivery, GS06 = the delivery's number, one ST per submission date,
BHT03 = "<GS06>-<ST02>"), so the acknowledgments name the very batches a PM sent:

- a 277CA (005010X214) from the clearinghouse for every 837 transaction, dated its BHT04
  (the day it was sent), one file per day: 2200B TRN02 = the 837's BHT03, one 2200D loop
  per claim (TRN02 = claim_id), `A2:20` accepted unless the plan (plants/rejections.py) says
  otherwise; a payer's own 277CA for a payer-sent rejection; one 277CA that answers nothing.
- with the claims delivered as 837 (`deliver_as_837`), a 999 (005010X231A1) for every 837
  file, dated its GS04 (the file is a monthly archive of the days' batches), AK2/IK5 per
  transaction, and the two 837-only plants: the transaction the 999 rejects and the 277CA
  that rejects a billing provider (2200C).

`write_acknowledgments(out)` (claims as CSV: the 277CAs then match by claim_id and date) runs
at the end of generate_practice; `deliver_as_837(out, keep_csv)` converts the claims to 837
(claims_837_writer) and adds what only an 837 delivery has. Both write the ground truth of
their delivery: claim_rejections.csv, unmatched_acknowledgments.csv, ack_kpis.csv,
ar_rejections.csv (A/R of every planted claim) and ar_rejection_pairs.csv.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from painrcm.generate.claims_837_writer import (
    GROUP_NPI,
    RECEIVER_ID,
    SENDER_ID,
    _export_date,
    _members,
    _planted_files,
    _transaction,
    write_claims_837,
)
from painrcm.generate.reference import PAYER_BY_ID, PAYERS, PRACTICE_NAME, q

FOLDER = "acknowledgments"
X214 = "005010X214"
X231 = "005010X231A1"
ACCEPTED = [["A2", "20", "PR"]]  # accepted into the payer's adjudication system
RECEIVED = [["A1", "19", "PR"]]  # the batch / the provider's claims: received
# plan kinds that answer an 837 transaction as a whole: delivered with the 837s only
ONLY_837 = ("999", "provider")


@dataclass
class Sub:
    """One submission of a claim: its rows in one claims delivery, one submission date."""

    claim_id: str
    submitted: date
    icn: int
    control: str
    export: date
    file_name: str
    rows: list[dict] = field(default_factory=list)

    @property
    def bht03(self) -> str:
        return f"{self.icn}-{self.control}"

    @property
    def charge(self) -> Decimal:
        return sum((Decimal(r["charge_amount"]) for r in self.rows), Decimal(0))

    @property
    def service_date(self) -> date:
        return min(date.fromisoformat(r["service_date"]) for r in self.rows)


@dataclass
class Tx:
    """One 837 transaction (ST..SE) as claims_837_writer writes it."""

    icn: int
    control: str
    submitted: date
    export: date
    file_name: str
    rows: list[dict]
    subs: list[Sub]

    @property
    def bht03(self) -> str:
        return f"{self.icn}-{self.control}"


@dataclass
class Finding:
    """What one acknowledgment said about one submission (no reasons: accepted)."""

    sub: Sub
    source: str  # 999 | 277CA
    on: date
    reasons: list[tuple[str, str, str, str, str]]  # level, line_number, category, status, entity


# ---------------------------------------------------------------------------------------
# The 837 transactions of a generated inbox (the numbering of claims_837_writer)
# ---------------------------------------------------------------------------------------


def transactions(out: Path) -> list[Tx]:
    planted = _planted_files(out / "ground_truth" / "quarantine_expected.csv")
    txs = []
    for n, path in enumerate(sorted((out / "claims").glob("*.csv")), start=1):
        if path.name in planted:
            continue  # stays a CSV (claims_837_writer): no batch, no acknowledgment
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            continue
        export = _export_date(path.name) or date.fromisoformat(rows[-1]["submitted_date"])
        by_day: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            by_day[r["submitted_date"]].append(r)
        for st, (day, batch) in enumerate(sorted(by_day.items()), start=1):
            control = f"{st:04d}"
            subs: dict[str, Sub] = {}
            for r in batch:
                s = subs.get(r["claim_id"])
                if s is None:
                    s = subs[r["claim_id"]] = Sub(
                        r["claim_id"], date.fromisoformat(day), n, control, export, path.name
                    )
                s.rows.append(r)
            txs.append(
                Tx(
                    n,
                    control,
                    date.fromisoformat(day),
                    export,
                    path.name,
                    batch,
                    list(subs.values()),
                )
            )
    return txs


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


def write_acknowledgments(out: Path) -> None:
    """The 277CAs any delivery has, and the ground truth of a CSV claims delivery."""
    _write(Path(out), transactions(Path(out)), with_837=False)


def deliver_as_837(out: Path, keep_csv: bool = False) -> list[str]:
    """The claims as 837P batches (claims_837_writer) plus their 999s and 837-only 277CAs."""
    out = Path(out)
    txs = transactions(out)  # read before the CSVs go
    written = write_claims_837(out, keep_csv=keep_csv)
    _write(out, txs, with_837=True)
    return written


# ---------------------------------------------------------------------------------------
# Planning what each acknowledgment says
# ---------------------------------------------------------------------------------------


def _reasons(level: str, line: str, stc: list[list[list[str]]]) -> list[tuple]:
    return [(level, line, c, s, e) for seg in stc for c, s, e in seg]


def _write(out: Path, txs: list[Tx], with_837: bool) -> None:
    manifest = json.loads((out / "ground_truth" / "manifest.json").read_text())
    as_of = date.fromisoformat(manifest["as_of_date"])
    plan: dict[str, list[dict]] = defaultdict(list)
    for p in manifest["plants"].get("claim_rejections", []):
        plan[p["claim_id"]].append(p)
    members = _members(out / "appointments")

    def planned(sub: Sub) -> dict | None:
        return next(
            (p for p in plan.get(sub.claim_id, []) if p["submitted"] == sub.submitted.isoformat()),
            None,
        )

    folder = out / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    findings: list[Finding] = []
    files: dict[str, list[bytes]] = {}
    unmatched: list[dict] = []
    w = _Writer(members)

    # clearinghouse 277CAs, one file a day; payers' own 277CAs beside them
    by_day: dict[date, list[Tx]] = defaultdict(list)
    for tx in txs:
        kinds = {(planned(s) or {}).get("kind") for s in tx.subs}
        if kinds & set(ONLY_837):
            assert kinds <= set(ONLY_837), "an 837-only plant shares a batch with other claims"
            if with_837 and "provider" in kinds:
                p = planned(tx.subs[0])
                files[f"277ca_{tx.submitted.isoformat()}_provider.txt"] = [
                    w.t277(tx.submitted, None, tx.bht03, tx.subs, provider_stc=p["composites"])
                ]
                for s in tx.subs:
                    reasons = [("provider", "", c, st, e) for c, st, e in p["composites"]]
                    findings.append(Finding(s, "277CA", tx.submitted, reasons))
            continue
        by_day[tx.submitted].append(tx)
    for day in sorted(by_day):
        sts = []
        for tx in by_day[day]:
            stcs = {}
            for s in tx.subs:
                p = planned(s)
                if p and p.get("source") == "clearinghouse":
                    stcs[s.claim_id] = p
                    reasons = _reasons("claim", "", p["stc"])
                    if "line" in p:
                        reasons += _reasons("line", str(p["line"]["line_number"]), p["line"]["stc"])
                    findings.append(Finding(s, "277CA", day, reasons))
                else:
                    findings.append(Finding(s, "277CA", day, []))
                if p and p.get("source") == "payer":
                    on = day + timedelta(days=p.get("delay", 2))
                    name = f"{s.rows[0]['payer_id'].lower()}_277ca_{on.isoformat()}.txt"
                    files.setdefault(name, []).append(
                        w.t277(
                            on, PAYER_BY_ID[s.rows[0]["payer_id"]], s.bht03, [s], {s.claim_id: p}
                        )
                    )
                    findings.append(Finding(s, "277CA", on, _reasons("claim", "", p["stc"])))
            sts.append(w.t277(day, None, tx.bht03, tx.subs, stcs))
        files.setdefault(f"277ca_{day.isoformat()}.txt", []).extend(sts)
    for ps in plan.values():
        for p in ps:
            if p["kind"] != "unmatched":
                continue
            on = date.fromisoformat(p["submitted"])
            ghost = Sub(p["claim_id"], on, 4471, "0001", on, "")
            ghost.rows = [
                {
                    "claim_id": p["claim_id"],
                    "patient_id": "Q4471",  # another practice's patient
                    "payer_id": "",
                    "charge_amount": "180.00",
                    "service_date": (on - timedelta(days=2)).isoformat(),
                    "line_number": "1",
                }
            ]
            name = f"277ca_{on.isoformat()}_unmatched.txt"
            files[name] = [w.t277(on, None, ghost.bht03, [ghost], {ghost.claim_id: p})]
            unmatched.append(
                {
                    "file_name": name,
                    "source": "277CA",
                    "acknowledged_on": on.isoformat(),
                    "trace_number": ghost.bht03,
                    "claim_id": p["claim_id"],
                }
            )

    unmatched += _dropped_elsewhere(out)

    if with_837:  # one 999 per 837 file, dated its GS04
        by_file: dict[int, list[Tx]] = defaultdict(list)
        for tx in txs:
            by_file[tx.icn].append(tx)
        for icn, ftx in sorted(by_file.items()):
            errors = {}
            for tx in ftx:
                p = planned(tx.subs[0])
                if p and p["kind"] == "999":
                    errors[tx.control] = (p["errors"], tx)
                    for s in tx.subs:
                        reasons = [
                            ("transaction", "", "R", p["errors"][k], "")
                            for k in ("IK304", "IK403", "IK502")
                        ]
                        findings.append(Finding(s, "999", ftx[0].export, reasons))
                else:
                    for s in tx.subs:
                        findings.append(Finding(s, "999", ftx[0].export, []))
            name = f"{Path(ftx[0].file_name).stem}_999.txt"
            files[name] = [w.t999(ftx[0].export, icn, ftx, errors)]

    for name, sts in sorted(files.items()):
        (folder / name).write_bytes(w.interchange(name, sts))
    _truth(out, as_of, txs, findings, unmatched, plan, with_837)
    counts = manifest.setdefault("counts", {})
    counts["acknowledgments"] = {
        "files": len(files),
        "999": sum(1 for n in files if n.endswith("_999.txt")),
        "277CA": sum(1 for n in files if "277ca" in n),
    }
    (out / "ground_truth" / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    )


# ---------------------------------------------------------------------------------------
# X12 text
# ---------------------------------------------------------------------------------------


class _Writer:
    """Segments of 277CA and 999 transactions; `interchange` wraps a file's transactions."""

    def __init__(self, members: dict):
        self.members = members

    def t277(self, on: date, payer, trace: str, subs: list[Sub], stcs=None, provider_stc=None):
        stcs = stcs or {}
        d8 = on.strftime("%Y%m%d")
        if payer is None:
            source = ["NM1", "AY", "2", RECEIVER_ID, "", "", "", "", "46", RECEIVER_ID]
        else:
            source = ["NM1", "PR", "2", payer.payer_name.upper(), "", "", "", "", "PI",
                      payer.x12_payer_id]  # fmt: skip
        total = sum((s.charge for s in subs), Decimal(0))
        rejected = [s for s in subs if s.claim_id in stcs] if provider_stc is None else subs
        bad = sum((s.charge for s in rejected), Decimal(0))
        body: list[list[str]] = [
            ["BHT", "0085", "08", f"{trace}-{d8}", d8, "1200", "TH"],
            ["HL", "1", "", "20", "1"],
            source,
            ["TRN", "1", f"{d8}{trace}"],
            ["DTP", "050", "D8", d8],
            ["DTP", "009", "D8", d8],
            ["HL", "2", "1", "21", "1"],
            ["NM1", "41", "2", PRACTICE_NAME.upper(), "", "", "", "", "46", SENDER_ID],
            ["TRN", "2", trace],
            ["STC", _c(RECEIVED[0]), d8, "WQ", str(total)],
            ["QTY", "90", str(len(subs) - len(rejected))],
            ["QTY", "AA", str(len(rejected))],
            ["AMT", "YU", str(total - bad)],
            ["AMT", "YY", str(bad)],
            ["HL", "3", "2", "19", "1"],
            ["NM1", "85", "2", PRACTICE_NAME.upper(), "", "", "", "", "XX", GROUP_NPI],
            ["TRN", "1", "0"],
        ]
        if provider_stc is None:
            body.append(["STC", _c(RECEIVED[0]), "", "WQ", str(total)])
        else:
            body.append(["STC", *_composites(provider_stc, "U", str(total), provider=True)])
        hl = 3
        for s in subs:
            hl += 1
            r = s.rows[0]
            member = self.members.get((r["patient_id"], r["payer_id"])) or f"M{r['patient_id']}"
            body += [
                ["HL", str(hl), "3", "PT"],
                ["NM1", "QC", "1", "PATIENT", r["patient_id"] or "UNKNOWN", "", "", "", "MI",
                 member],
            ]  # fmt: skip
            if provider_stc is not None:
                continue  # the provider's claims are rejected as a whole: no claim loops
            body.append(["TRN", "2", s.claim_id])
            p = stcs.get(s.claim_id)
            if p is None:
                body.append(["STC", _c(ACCEPTED[0]), d8, "WQ", str(s.charge)])
            else:
                for seg in p["stc"]:
                    body.append(["STC", *_composites(seg, "U", str(s.charge), d8=d8)])
            dates = sorted({r["service_date"] for r in s.rows})
            if len(dates) == 1:
                body.append(["DTP", "472", "D8", dates[0].replace("-", "")])
            else:
                body.append(
                    [
                        "DTP",
                        "472",
                        "RD8",
                        "-".join(d.replace("-", "") for d in (dates[0], dates[-1])),
                    ]
                )
            if p is not None and "line" in p:
                n = str(p["line"]["line_number"])
                row = next(r for r in s.rows if r["line_number"] == n)
                for seg in p["line"]["stc"]:
                    body += [
                        ["SVC", "HC:" + row["procedure_code"], row["charge_amount"], "", "", "", "",
                         row["units"]],
                        ["STC", *_composites(seg, "U", "", d8=d8)][:4],
                        ["REF", "FJ", row.get("line_control_number") or n],
                        ["DTP", "472", "D8", row["service_date"].replace("-", "")],
                    ]  # fmt: skip
        return ("277", X214, on, body)

    def t999(self, on: date, icn: int, txs: list[Tx], errors: dict):
        body: list[list[str]] = [["AK1", "HC", str(icn), "005010X222A1"]]
        for tx in txs:
            body.append(["AK2", "837", tx.control, "005010X222A1"])
            if tx.control not in errors:
                body.append(["IK5", "A"])
                continue
            codes, _tx = errors[tx.control]
            pos = self._first_sv1(tx)
            body += [
                ["IK3", "SV1", str(pos), "2400", codes["IK304"]],
                ["IK4", "1:2", "234", codes["IK403"]],
                ["IK5", "R", codes["IK502"]],
            ]
        n_ok = len(txs) - len(errors)
        status = "A" if not errors else ("R" if n_ok == 0 else "P")
        body.append(["AK9", status, str(len(txs)), str(len(txs)), str(n_ok)])
        return ("999", X231, on, body)

    def _first_sv1(self, tx: Tx) -> int:
        payers = {p.payer_id: p for p in PAYERS}
        segs = _transaction(int(tx.control), tx.submitted, tx.rows, self.members, payers, tx.icn)
        return next(i for i, s in enumerate(segs, start=1) if s[0] == "SV1")

    def interchange(self, name: str, sts: list[tuple]) -> bytes:
        kind, _guide, on, _b = sts[0]
        # control number from the date and the file name: the same file whatever else is sent
        icn = int(f"{on:%y%m%d}{zlib.crc32(name.encode()) % 1000:03d}")
        fid = "FA" if kind == "999" else "HN"
        isa = [
            "ISA", "00", " " * 10, "00", " " * 10, "ZZ", RECEIVER_ID.ljust(15), "ZZ",
            SENDER_ID.ljust(15), on.strftime("%y%m%d"), "1200", "^", "00501", f"{icn:09d}",
            "0", "P", ":",
        ]  # fmt: skip
        gcn = str(icn)
        segs = [isa, ["GS", fid, RECEIVER_ID, SENDER_ID, on.strftime("%Y%m%d"), "1200", gcn, "X",
                      sts[0][1]]]  # fmt: skip
        for k, (kind, guide, _on, body) in enumerate(sts, start=1):
            control = f"{k:04d}"
            st = ["ST", kind, control, guide]
            segs += [st, *body, ["SE", str(len(body) + 2), control]]
        segs += [["GE", str(len(sts)), gcn], ["IEA", "1", f"{icn:09d}"]]
        return ("~\n".join("*".join(s) for s in segs) + "~\n").encode("ascii")


def _c(composite: list[str]) -> str:
    return ":".join(x for x in composite if x) if not composite[2] else ":".join(composite)


def _composites(seg, action: str, amount: str, d8: str = "", provider: bool = False) -> list[str]:
    """STC01, STC02 .. STC09, STC10, STC11 of one STC segment (up to three composites)."""
    first = [_c(seg[0]), "" if provider else d8, action, amount]
    rest = [_c(c) for c in seg[1:3]]
    if not rest:
        return first
    return first + [""] * 5 + rest


# ---------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------

REJECTION_COLUMNS = [
    "claim_id", "patient_id", "payer_id", "rendering_npi", "service_date", "submitted_date",
    "source", "level", "line_number", "rejected_on", "category_code", "status_code",
    "entity_code", "charge_amount", "status", "timely_filing_deadline", "days_to_timely_filing",
]  # fmt: skip
AR_COLUMNS = [
    "claim_id", "patient_id", "payer_id", "on_worklist", "next_action", "open_balance",
    "age_days", "timely_filing_deadline", "days_to_timely_filing",
]  # fmt: skip


def rate_pct(part: int, whole: int) -> Decimal:
    """A rate on the 0-100 scale, 2 decimals, half up as the marts round (3 of 96: 3.13)."""
    return q(Decimal(100 * part) / whole)


def _no_remit_action(age: int, days_left: int) -> str:
    """rules.md §10 steps 1, 5-7 for a claim without remit or denial."""
    if days_left <= 30:
        return "escalate_timely_filing"
    if age > 45:
        return "call_payer"
    return "portal_status_check" if age >= 16 else "wait"


def _truth(out, as_of, txs, findings, unmatched, plan, with_837) -> None:
    subs_of: dict[str, list[Sub]] = defaultdict(list)
    for tx in txs:
        for s in tx.subs:
            subs_of[s.claim_id].append(s)

    def newer(s: Sub, on: date) -> bool:
        return any(o.submitted > s.submitted and o.submitted >= on for o in subs_of[s.claim_id])

    def deadline(s: Sub) -> date:
        return s.service_date + timedelta(
            days=PAYER_BY_ID[s.rows[0]["payer_id"]].timely_filing_days
        )

    rejections = []
    open_rejected: dict[str, Sub] = {}
    for f in findings:
        if not f.reasons:
            continue
        s = f.sub
        status = "resubmitted" if newer(s, f.on) else "open"
        if status == "open":
            open_rejected[s.claim_id] = s
        r0 = s.rows[0]
        for level, line, cat, code, entity in f.reasons:
            rejections.append(
                {
                    "claim_id": s.claim_id,
                    "patient_id": r0["patient_id"],
                    "payer_id": r0["payer_id"],
                    "rendering_npi": r0["rendering_npi"],
                    "service_date": s.service_date.isoformat(),
                    "submitted_date": s.submitted.isoformat(),
                    "source": f.source,
                    "level": level,
                    "line_number": line,
                    "rejected_on": f.on.isoformat(),
                    "category_code": cat,
                    "status_code": code,
                    "entity_code": entity,
                    "charge_amount": str(s.charge),
                    "status": status,
                    "timely_filing_deadline": deadline(s).isoformat(),
                    "days_to_timely_filing": str((deadline(s) - as_of).days),
                }
            )
    rejections.sort(key=lambda r: tuple(r[c] for c in REJECTION_COLUMNS))

    # rules.md §12: a claim's first acknowledgment, and whether the submission it answered was
    # rejected (by it or a later acknowledgment of the same submission)
    by_claim: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_claim[f.sub.claim_id].append(f)
    acked: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = defaultdict(int)
    for fs in by_claim.values():
        first = min(fs, key=lambda f: (f.on, f.sub.submitted))
        month = first.on.replace(day=1).isoformat()
        acked[month] += 1
        if any(f.reasons for f in fs if f.sub is first.sub):
            rejected[month] += 1
    kpis = [
        {
            "month": m,
            "claims_acknowledged": str(acked[m]),
            "claims_rejected": str(rejected[m]),
            "front_end_rejection_rate": str(rate_pct(rejected[m], acked[m])),
        }
        for m in sorted(acked)
    ]

    # A/R of every planted claim: fix_rejection while a rejection is open; the 837-only
    # plants, unanswered in a CSV delivery, by age and timely filing; paid claims are off
    ar = []
    paid = _paid_claims(out)
    for claim_id, ps in sorted(plan.items()):
        if ps[0]["kind"] == "unmatched":
            continue
        s = max(subs_of[claim_id], key=lambda x: x.submitted)
        r0 = s.rows[0]
        row = {
            "claim_id": claim_id,
            "patient_id": r0["patient_id"],
            "payer_id": r0["payer_id"],
            "on_worklist": "true",
            "open_balance": str(s.charge),
            "age_days": str((as_of - s.submitted).days),
            "timely_filing_deadline": deadline(s).isoformat(),
            "days_to_timely_filing": str((deadline(s) - as_of).days),
        }
        if claim_id in paid:
            row.update(on_worklist="false", next_action="", open_balance="", age_days="")
            row.update(timely_filing_deadline="", days_to_timely_filing="")
        elif claim_id in open_rejected:
            row["next_action"] = "fix_rejection"
            row["age_days"] = str((as_of - open_rejected[claim_id].submitted).days)
        else:
            row["next_action"] = _no_remit_action(
                (as_of - s.submitted).days, (deadline(s) - as_of).days
            )
        ar.append(row)
    fix = [r for r in ar if r["next_action"] == "fix_rejection"]
    near = min(fix, key=lambda r: int(r["days_to_timely_filing"]))
    far = [
        r
        for r in fix
        if r["open_balance"] == near["open_balance"] and int(r["days_to_timely_filing"]) > 30
    ]
    pairs = [{"first": near["claim_id"], "second": r["claim_id"]} for r in far]

    gt = out / "ground_truth"
    for name, columns, rows in (
        ("claim_rejections.csv", REJECTION_COLUMNS, rejections),
        ("unmatched_acknowledgments.csv", list(unmatched[0]) if unmatched else ["file_name"],
         unmatched),
        ("ack_kpis.csv", list(kpis[0]), kpis),
        ("ar_rejections.csv", AR_COLUMNS, ar),
        ("ar_rejection_pairs.csv", ["first", "second"], pairs),
    ):  # fmt: skip
        buf = io.StringIO()
        wr = csv.DictWriter(buf, columns, lineterminator="\n")
        wr.writeheader()
        wr.writerows(rows)
        (gt / name).write_text(buf.getvalue(), encoding="utf-8")
    del with_837


def _dropped_elsewhere(out: Path) -> list[dict]:
    """Acknowledgments another plant dropped among the remits (plants/ingest_errors.py): they
    name no batch of this practice, so they are listed as unmatched too."""
    found = []
    for folder in ("remits", "claims_837"):
        for path in sorted((out / folder).glob("*")) if (out / folder).is_dir() else []:
            text = path.read_text(encoding="ascii", errors="replace")
            if len(text) < 106 or not text.startswith("ISA"):
                continue
            elem, term = text[3], text[105]
            segs = [s.strip().split(elem) for s in text.split(term) if s.strip()]
            st = next((s for s in segs if s[0] == "ST"), None)
            if st is None or st[1] not in ("999", "277"):
                continue
            gs04 = next(s[4] for s in segs if s[0] == "GS")
            if st[1] == "999":
                trace = next(s[2] for s in segs if s[0] == "AK1")
            else:
                trace = [s[2] for s in segs if s[0] == "TRN" and s[1] == "2"][0]
            found.append(
                {
                    "file_name": path.name,
                    "source": "999" if st[1] == "999" else "277CA",
                    "acknowledged_on": f"{gs04[:4]}-{gs04[4:6]}-{gs04[6:8]}",
                    "trace_number": trace,
                    "claim_id": "",
                }
            )
    return found


def _paid_claims(out: Path) -> set[str]:
    """Claims some primary 835 paid (CLP02 1 with CLP04 > 0)."""
    paid = set()
    for path in (out / "remits").iterdir():
        text = path.read_text(encoding="ascii", errors="replace")
        if len(text) < 106 or not text.startswith("ISA"):
            continue
        elem, term = text[3], text[105]
        for seg in text.split(term):
            f = seg.strip().split(elem)
            if f[0] == "CLP" and len(f) > 4 and f[2] == "1" and Decimal(f[4]) > 0:
                paid.add(f[1])
    return paid
