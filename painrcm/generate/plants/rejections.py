"""Front-end rejection plants (rules.md §16): claims the clearinghouse or the payer rejected
before adjudication, each on a patient of its own, and one acknowledgment that answers
nothing.

This module plants the claims (appointments, claim rows, notes, the 835 of the claims that
were accepted and paid) and the *plan* of what the acknowledgments say about them:
manifest section `claim_rejections`, read by `painrcm.generate.ack_writer`, which writes
every 999 and 277CA (background included) and the ground truth. Planted cases:

- `999`: an 837 transaction of two planted claims rejected by the 999 (IK3/IK4/IK5 errors),
  in a claims delivery of its own whose other transaction (one claim) is accepted and paid.
- `provider`: a transaction of its own rejected by the 277CA at the billing provider
  (2200C), no claim loops.
- `claim`: 277CA claim-level rejections, with one STC composite, two composites in one STC
  (payer-sent, near timely filing), and two STC segments.
- `line`: a claim-level rejection whose 2220D loop names line 2 (REF*FJ).
- `resubmitted`: rejected, resubmitted three days later, accepted and paid.
- `unmatched`: a 277CA naming a claim and a batch nobody sent.

The `999` and `provider` cases answer an 837 transaction: they exist only when the claims
are delivered as 837 (ack_writer.deliver_as_837); with the claims CSV those claims have no
acknowledgment at all. Codes need no authorization and carry no imaging (see denials.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from ingest.schemas import EXTRACTS
from painrcm.generate.plants import PlantContext, PlantFile, PlantOutput
from painrcm.generate.plants.encounters import Builder, weekday_before


def _mid_month_weekday(d: date) -> date:
    """A weekday between the 5th and the 25th: a claims delivery named by it never shares
    its name with a monthly export (month ends and the as-of day)."""
    while d.weekday() >= 5 or not 5 <= d.day <= 25:
        d -= timedelta(days=1)
    return d


def plant(ctx: PlantContext) -> PlantOutput:
    out = PlantOutput()
    b = Builder(ctx, out, f"9{ctx.namespace:02d}")
    a = ctx.as_of
    cols = EXTRACTS["claims"].column_names
    i_claim, i_sub = cols.index("claim_id"), cols.index("submitted_date")
    plan: list[dict] = []

    def encounter(payer_id: str, dos: date, lines=(("20552", "", 1),)) -> dict:
        return b.encounter(payer_id, weekday_before(dos), "11", list(lines))

    def ago(days: int) -> date:
        return a - timedelta(days=days)

    def rows_of(enc: dict) -> list[list[str]]:
        return [r for r in out.extra_rows["claims"] if r[i_claim] == enc["claim_id"]]

    def own_file(name_date: date, encs_by_date: list[tuple[date, list[dict]]]) -> None:
        """Move the claims' rows into a claims delivery of their own (its own 837 file)."""
        rows = []
        for sub, encs in encs_by_date:
            for enc in encs:
                for r in rows_of(enc):
                    out.extra_rows["claims"].remove(r)
                    r[i_sub] = sub.isoformat()
                    rows.append(r)
        name = f"claims_{name_date.isoformat()}.csv"
        out.csv_files.append(PlantFile("claims", name, list(cols), rows))

    def case(enc: dict, kind: str, submitted: date | None = None, **kw) -> None:
        sub = submitted or date.fromisoformat(rows_of(enc)[0][i_sub])
        plan.append({"claim_id": enc["claim_id"], "kind": kind, "submitted": sub.isoformat(), **kw})

    # ---- 837-only: a transaction rejected by the 999, one rejected at the provider -----
    d999 = _mid_month_weekday(ago(38))
    t1 = [
        encounter("MCR", d999 - timedelta(days=6)),
        encounter("COTRM", d999 - timedelta(days=5), (("64405", "", 1), ("20552", "", 1))),
    ]
    t2 = encounter("COGCB", d999 - timedelta(days=5))
    own_file(d999, [(d999 - timedelta(days=1), t1), (d999, [t2])])
    for enc in t1:
        # the batch's first SV1 has an invalid procedure code: IK3 SV1, IK4 SV101-2, IK5 R
        case(
            enc, "999", d999 - timedelta(days=1), errors={"IK304": "8", "IK403": "7", "IK502": "5"}
        )
    b.pay(t2, weekday_before(d999 + timedelta(days=12)))
    dprov = _mid_month_weekday(ago(18))
    prov = encounter("WCLSM", dprov - timedelta(days=3))
    own_file(dprov, [(dprov, [prov])])
    case(prov, "provider", dprov, composites=[["A7", "562", "85"]])

    # ---- 277CA claim- and line-level rejections (any delivery) --------------------------
    c1 = encounter("COGCB", ago(30))
    case(c1, "claim", source="clearinghouse", stc=[[["A7", "164", "IL"]]])
    # the payer's own 277CA, two composites in one STC; COPEC's 90 days end in 20
    c2 = encounter("COPEC", ago(70))
    case(c2, "claim", source="payer", delay=2, stc=[[["A7", "33", "IL"], ["A7", "255", ""]]])
    c3 = encounter("MCDBB", ago(45))
    case(c3, "claim", source="clearinghouse", stc=[[["A7", "562", "82"]], [["A7", "145", "82"]]])
    ln = encounter("COTRM", ago(25), (("20552", "", 1), ("64405", "", 1)))
    case(
        ln,
        "line",
        source="clearinghouse",
        stc=[[["A3", "21", ""]]],
        line={"line_number": 2, "stc": [[["A7", "454", ""]]]},
    )
    # rejected, resubmitted three days later (accepted), then paid
    rs = encounter("MABRZ", ago(60))
    first = date.fromisoformat(rows_of(rs)[0][i_sub])
    again = first + timedelta(days=3)
    for r in list(rows_of(rs)):
        new = list(r)
        new[i_sub] = again.isoformat()
        out.extra_rows["claims"].append(new)
    plan.append(
        {
            "claim_id": rs["claim_id"],
            "kind": "claim",
            "submitted": first.isoformat(),
            "source": "clearinghouse",
            "stc": [[["A7", "164", "IL"]]],
        }
    )
    b.pay(rs, weekday_before(again + timedelta(days=12)))

    # ---- an acknowledgment that answers nothing loaded ----------------------------------
    plan.append(
        {
            "claim_id": "C4471X0001",
            "kind": "unmatched",
            "submitted": weekday_before(a - timedelta(days=12)).isoformat(),
            "source": "clearinghouse",
            "stc": [[["A7", "164", "IL"]]],
        }
    )
    b.finish()
    out.findings["claim_rejections"] = plan
    return out
