"""ASC X12 005010X221A1 (835) text for one payer's check run.

Each file is one interchange (ISA/IEA) with one functional group (GS/GE) holding one or more
transactions (ST/SE). BPR02 = sum of CLP04 - sum of PLB amounts; SE01 counts ST..SE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from painrcm.generate.adjudicate import RemitClaim
from painrcm.generate.reference import PRACTICE_NAME, PRACTICE_TIN, ZERO, Payer

RECEIVER_ID = "HCSPA0001"


@dataclass
class Transaction:
    claims: list[RemitClaim]
    plb: list[tuple[str, str, Decimal]]  # (adjustment reason, reference, amount)
    trace: str


def _d8(d: date) -> str:
    return d.strftime("%Y%m%d")


def _cas_segments(cas: list[tuple[str, str, Decimal]]) -> list[list[str]]:
    out = []
    groups: dict[str, list[tuple[str, Decimal]]] = {}
    for g, c, a in cas:
        groups.setdefault(g, []).append((c, a))
    for g, items in groups.items():
        for k in range(0, len(items), 6):
            seg = ["CAS", g]
            for c, a in items[k : k + 6]:
                seg += [c, str(a), ""]
            out.append(seg[:-1])
    return out


def transaction_segments(
    payer: Payer, check_date: date, tx: Transaction, st_number: int, payee_npi: str, comp: str
) -> tuple[list[list[str]], Decimal]:
    clp_total = sum((c.paid for c in tx.claims), ZERO)
    plb_total = sum((a for _r, _ref, a in tx.plb), ZERO)
    amount = clp_total - plb_total
    segs: list[list[str]] = [["ST", "835", f"{st_number:04d}"]]
    payer_tin = "1" + payer.x12_payer_id.rjust(9, "7")[:9]
    if amount > 0:
        segs.append(
            [
                "BPR",
                "I",
                str(amount),
                "C",
                "ACH",
                "CCP",
                "01",
                "111000025",
                "DA",
                "00012345" + payer.x12_payer_id[-2:],
                payer_tin,
                "",
                "01",
                "113000023",
                "DA",
                "4451209987",
                _d8(check_date),
            ]
        )
    else:
        segs.append(
            [
                "BPR",
                "H",
                str(amount),
                "C",
                "NON",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                _d8(check_date),
            ]
        )
    segs += [
        ["TRN", "1", tx.trace, payer_tin],
        ["REF", "EV", RECEIVER_ID],
        ["DTM", "405", _d8(date.fromordinal(check_date.toordinal() - 2))],
        ["N1", "PR", payer.payer_name.upper(), "XV", payer.x12_payer_id],
        ["N3", "PO BOX " + str(1000 + sum(map(ord, payer.payer_id)))],
        ["N4", "AUSTIN", "TX", "78701"],
        ["PER", "BL", "PROVIDER SERVICES", "TE", "8005550" + str(100 + len(payer.payer_id))],
        ["N1", "PE", PRACTICE_NAME.upper(), "XX", payee_npi],
        ["N3", "1200 MEDICAL PKWY STE 300"],
        ["N4", "AUSTIN", "TX", "787311234"],
        ["REF", "TJ", PRACTICE_TIN],
        ["LX", "1"],
    ]
    for c in tx.claims:
        segs.append(
            [
                "CLP",
                c.claim_id,
                c.status,
                str(c.charge),
                str(c.paid),
                str(c.patient_resp),
                c.filing,
                c.icn,
                "11",
                "1",
            ]
        )
        segs += _cas_segments(c.claim_cas)
        segs.append(
            ["NM1", "QC", "1", c.patient_last, c.patient_first, "", "", "", "MI", c.member_id]
        )
        if c.moa:
            segs.append(["MOA", "", "", c.moa])
        segs.append(["DTM", "232", _d8(c.service_date)])
        segs.append(["DTM", "233", _d8(c.service_date)])
        for ln in c.lines:
            proc = comp.join(["HC", ln.code, *ln.mods.split()])
            segs.append(["SVC", proc, str(ln.charge), str(ln.paid), "", str(ln.units)])
            segs.append(["DTM", "472", _d8(ln.service_date or c.service_date)])
            segs += _cas_segments(ln.cas)
            if payer.payer_type != "workers_comp":  # this carrier does not echo REF*6R
                segs.append(["REF", "6R", str(ln.line_number)])
            if ln.allowed is not None:
                segs.append(["AMT", "B6", str(ln.allowed)])
            for r in ln.rarcs:
                segs.append(["LQ", "HE", r])
    if tx.plb:
        seg = ["PLB", payee_npi, f"{check_date.year}1231"]
        for reason, ref, a in tx.plb:
            seg += [comp.join([reason, ref]), str(a)]
        segs.append(seg)
    segs.append(["SE", str(len(segs) + 1), f"{st_number:04d}"])
    return segs, amount


def render_835(
    payer: Payer, check_date: date, txs: list[Transaction], icn: int, payee_npi: str
) -> tuple[bytes, dict]:
    comp = payer.component_sep
    term = "~\n" if payer.line_breaks else "~"
    sender = payer.x12_payer_id
    isa = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        sender.ljust(15),
        "ZZ",
        RECEIVER_ID.ljust(15),
        check_date.strftime("%y%m%d"),
        "0615",
        "^",
        "00501",
        f"{icn:09d}",
        "0",
        "P",
        comp,
    ]
    segs: list[list[str]] = [
        isa,
        ["GS", "HP", sender, RECEIVER_ID, _d8(check_date), "0615", str(icn), "X", "005010X221A1"],
    ]
    stats = {"transactions": 0, "claims": 0, "service_lines": 0, "amount": ZERO}
    for n, tx in enumerate(txs, start=1):
        t_segs, amount = transaction_segments(payer, check_date, tx, n, payee_npi, comp)
        segs += t_segs
        stats["transactions"] += 1
        stats["claims"] += len(tx.claims)
        stats["service_lines"] += sum(len(c.lines) for c in tx.claims)
        stats["amount"] += amount
    segs.append(["GE", str(len(txs)), str(icn)])
    segs.append(["IEA", "1", f"{icn:09d}"])
    text = term.join("*".join(s) for s in segs) + term
    return text.encode("ascii"), stats
