"""Denial and A/R worklist plants (rules.md §9-10): a denial of every category, each on a
patient of its own, with later recoveries, resubmissions (a newer claim version, no payment
yet), missed appeal and timely-filing windows, a PR-204 patient-liability denial and a
claim-level denial without service lines; beside them claims the payer never answered
(timely-filing risk), a balance left after payment and a PM ledger write-off.

Codes need no authorization on any payer (trigger point, nerve block and joint codes,
rules.md §2) and carry no imaging, so the PA, guidance and MPPR marts see clean encounters.
Ground truth: manifest sections `denials` and `ar_worklist` (+ ground_truth/denials.csv,
ground_truth/ar_worklist.csv, ground_truth/ar_priority_pairs.csv).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from ingest.schemas import EXTRACTS
from painrcm.generate.plants import PlantContext, PlantOutput
from painrcm.generate.plants.encounters import Builder, contract_row, money, weekday_before
from painrcm.generate.reference import ZERO

DENIAL_COLUMNS = [
    "claim_id",
    "line_number",
    "patient_id",
    "payer_id",
    "service_date",
    "procedure_code",
    "group_code",
    "carc",
    "rarcs",
    "denial_category",
    "denial_class",
    "denied_amount",
    "denial_date",
    "appeal_deadline",
    "status",
    "recovered_amount",
]
AR_COLUMNS = ["claim_id", "patient_id", "payer_id", "on_worklist", "next_action", "open_balance"]

# rules.md §9 table, written out here as the test's independent expectation.
CATEGORY = {
    "197": ("authorization", "hard"),
    "198": ("authorization", "hard"),
    "15": ("authorization", "soft"),
    "50": ("medical_necessity", "hard"),
    "11": ("medical_necessity", "soft"),
    "97": ("bundling", "soft"),
    "119": ("frequency", "hard"),
    "27": ("eligibility", "soft"),
    "29": ("timely_filing", "hard"),
    "4": ("coding", "soft"),
    "16": ("missing_information", "soft"),
    "18": ("duplicate", "soft"),
    "B7": ("credentialing", "soft"),
    "96": ("non_covered", "hard"),
    "204": ("non_covered", "hard"),
    "8": ("other", "hard"),
}


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    b = Builder(ctx, out, f"9{ctx.namespace:02d}")
    as_of = ctx.as_of
    denials: list[dict] = []
    ar: list[dict] = []
    claim_cols = EXTRACTS["claims"].column_names
    n_remit = 0

    def encounter(payer_id: str, days_ago: int, lines: list[tuple[str, str, int]]) -> dict:
        dos = weekday_before(as_of - timedelta(days=days_ago))
        return b.encounter(payer_id, dos, "11", lines)

    def deny(
        enc: dict,
        check: date,
        carc: str,
        group: str = "CO",
        rarcs: tuple[str, ...] = (),
        claim_level: bool = False,
    ):
        nonlocal n_remit
        n_remit += 1
        rc = b.adj.adjudicate(enc["payer"], enc["claim"], f"9{b.prefix}D{n_remit:05d}")
        if claim_level:
            total = sum((ln.charge for ln in rc.lines), ZERO)
            rc.lines = []
            rc.claim_cas = [(group, carc, total)]
            rc.moa = " ".join(rarcs)
        else:
            for ln in rc.lines:
                ln.paid = ZERO
                ln.allowed = None
                ln.cas = [(group, carc, ln.charge)]
                ln.rarcs = list(rarcs)
            rc.claim_cas = []
        rc.paid = ZERO
        rc.patient_resp = sum(
            (a for ln in rc.lines for g, _c, a in ln.cas if g == "PR"), ZERO
        ) + sum((a for g, _c, a in rc.claim_cas if g == "PR"), ZERO)
        b.add_remit(enc["payer"].payer_id, check, rc)
        return rc

    def resubmit(enc: dict, on: date) -> None:
        rows = out.extra_rows["claims"]
        for row in [r for r in rows if r[claim_cols.index("claim_id")] == enc["claim_id"]]:
            new = list(row)
            new[claim_cols.index("submitted_date")] = on.isoformat()
            rows.append(new)

    def expect_denial(enc, check, carc, group, rarcs, status, recovered=ZERO, line=1):
        category, klass = CATEGORY[carc]
        code = enc["claim"].enc.lines[0].code
        denials.append(
            {
                "claim_id": enc["claim_id"],
                "line_number": "" if line is None else line,
                "patient_id": enc["pid"],
                "payer_id": enc["payer"].payer_id,
                "service_date": enc["dos"].isoformat(),
                "procedure_code": code,
                "group_code": group,
                "carc": carc,
                "rarcs": " ".join(rarcs),
                "denial_category": category,
                "denial_class": klass,
                "denied_amount": money(sum(enc["claim"].charges, ZERO)),
                "denial_date": check.isoformat(),
                "appeal_deadline": (
                    check + timedelta(days=enc["payer"].appeal_window_days)
                ).isoformat(),
                "status": status,
                "recovered_amount": money(recovered),
            }
        )

    def expect_ar(enc, action: str | None, balance: Decimal | None = None) -> None:
        ar.append(
            {
                "claim_id": enc["claim_id"],
                "patient_id": enc["pid"],
                "payer_id": enc["payer"].payer_id,
                "on_worklist": "true" if action else "false",
                "next_action": action or "",
                "open_balance": money(
                    sum(enc["claim"].charges, ZERO) if balance is None else balance
                )
                if action
                else "",
            }
        )

    def case(
        payer_id,
        days_ago,
        carc,
        status,
        action,
        group="CO",
        code=("20552", "", 1),
        denied_after=21,
        denial_date=None,
        rarcs=(),
        recover_after=None,
        resubmit_after=None,
        claim_level=False,
        write_off_on=None,
    ):
        enc = encounter(payer_id, days_ago, [code])
        check = denial_date or weekday_before(enc["dos"] + timedelta(days=denied_after))
        deny(enc, check, carc, group, rarcs, claim_level)
        recovered = ZERO
        if recover_after is not None:
            paid = b.pay(enc, weekday_before(check + timedelta(days=recover_after)))
            recovered = paid.lines[0].paid
        if resubmit_after is not None:
            resubmit(enc, check + timedelta(days=resubmit_after))
        if write_off_on is not None:
            out.extra_rows.setdefault("ledger", []).append(
                contract_row(
                    "ledger",
                    {
                        "posting_id": f"L{b.prefix}{b.n:05d}",
                        "claim_id": enc["claim_id"],
                        "line_number": "1",
                        "posted_date": write_off_on.isoformat(),
                        "posting_type": "write_off",
                        "amount": money(sum(enc["claim"].charges, ZERO)),
                        "reason": f"{group}-{carc} appeal window missed",
                    },
                )
            )
        expect_denial(enc, check, carc, group, rarcs, status, recovered, None if claim_level else 1)
        expect_ar(enc, action)
        return enc

    a = as_of
    # ---- denials: open, recovered, resubmitted, written off --------------------------
    appeal_far = case("COPEC", 60, "197", "open", "appeal", rarcs=("N54",))
    # MAPEC's 65-day appeal window closes in 7 days: the most urgent appeal
    appeal_near = case(
        "MAPEC", 79, "198", "open", "appeal", denial_date=weekday_before(a - timedelta(days=58))
    )
    case("COGCB", 70, "15", "open", "correct_resubmit", rarcs=("N517",))
    case("MCR", 120, "50", "recovered", None, rarcs=("N115",), recover_after=40)
    resubmitted_portal = case(
        "COTRM", 50, "11", "resubmitted", "portal_status_check", denied_after=14, resubmit_after=5
    )
    case("COPEC", 130, "97", "written_off", "resolution_review", denied_after=25, rarcs=("M80",))
    case(
        "MAPEC",
        120,
        "119",
        "written_off",
        "resolution_review",
        code=("64405", "", 1),
        denial_date=weekday_before(a - timedelta(days=99)),
        rarcs=("N362",),
    )
    case("MABRZ", 45, "27", "open", "correct_resubmit")
    case("COGCB", 90, "29", "open", "appeal")
    case("COTRM", 100, "4", "recovered", None, code=("20610", "RT", 1), recover_after=30)
    case(
        "WCLSM",
        50,
        "16",
        "open",
        "correct_resubmit",
        code=("64405", "", 1),
        rarcs=("N290", "M51"),
    )
    case("COPEC", 110, "18", "written_off", "resolution_review")
    case("MCDBB", 40, "B7", "open", "correct_resubmit", denied_after=14, rarcs=("N95",))
    case("COTRM", 55, "96", "open", "appeal", code=("64405", "", 1), rarcs=("N130",))
    # PR-204 after a signed waiver: listed, but the patient owes it (not insurance A/R)
    case("COGCB", 50, "204", "open", None, group="PR", rarcs=("N130",))
    case("COGCB", 65, "8", "open", "appeal")
    # a claim adjudicated without service lines: claim-level CAS, MOA remark
    case(
        "MCDBB",
        35,
        "16",
        "open",
        "correct_resubmit",
        denied_after=14,
        rarcs=("MA130",),
        claim_level=True,
    )
    # resubmitted, no answer yet, 15 days of timely filing left
    resubmitted_escalate = case(
        "COPEC",
        75,
        "16",
        "resubmitted",
        "escalate_timely_filing",
        denied_after=14,
        resubmit_after=7,
    )
    case("COGCB", 100, "4", "resubmitted", "call_payer", denied_after=14, resubmit_after=10)
    # appeal window missed, then written off in the PM system: off the worklist
    case(
        "MAPEC",
        130,
        "29",
        "written_off",
        None,
        denial_date=weekday_before(a - timedelta(days=105)),
        write_off_on=a - timedelta(days=20),
    )

    # ---- claims the payer never answered -----------------------------------------------
    escalate = encounter("COPEC", 75, [("20552", "", 1)])
    expect_ar(escalate, "escalate_timely_filing")
    call = encounter("COGCB", 60, [("20552", "", 1)])
    expect_ar(call, "call_payer")
    portal = encounter("COGCB", 30, [("20552", "", 1)])
    expect_ar(portal, "portal_status_check")
    wait = encounter("COGCB", 8, [("20552", "", 1)])
    expect_ar(wait, "wait")

    # ---- a balance left after payment: the payer answered line 1 only ------------------
    partial = encounter("COPEC", 50, [("64405", "", 1), ("20552", "", 1)])
    rc = b.pay(partial, weekday_before(partial["dos"] + timedelta(days=21)))
    rc.lines = rc.lines[:1]
    rc.charge = rc.lines[0].charge
    rc.paid = rc.lines[0].paid
    rc.patient_resp = sum((x for g, _c, x in rc.lines[0].cas if g == "PR"), ZERO)
    expect_ar(partial, "resolution_review", partial["claim"].charges[1])

    b.finish()

    # Pairs whose order is unambiguous: same charge, urgency 3 vs 1, or any action vs wait.
    pairs = [
        (appeal_near, appeal_far),
        (escalate, call),
        (call, wait),
        (resubmitted_escalate, resubmitted_portal),
        (escalate, portal),
    ]
    pair_rows = [{"first": x["claim_id"], "second": y["claim_id"]} for x, y in pairs]
    out.findings["denials"] = denials
    out.findings["ar_worklist"] = ar + [{"priority_pair": p} for p in pair_rows]
    for name, columns, rows in (
        ("denials.csv", DENIAL_COLUMNS, denials),
        ("ar_worklist.csv", AR_COLUMNS, ar),
        ("ar_priority_pairs.csv", ["first", "second"], pair_rows),
    ):
        buf = io.StringIO()
        w = csv.DictWriter(buf, columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        out.raw_files.append(("ground_truth", name, buf.getvalue().encode()))
    return out
