"""The generator's 999 and 277CA files (painrcm/generate/ack_writer.py): valid X12 for pyx12,
naming the very 837 batches the practice sent, every planted rejection in the ground truth,
and the 277CAs the same whether the claims are delivered as CSV or as 837."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from painrcm.generate import generate_practice
from painrcm.generate.ack_writer import deliver_as_837

AS_OF = date(2026, 11, 30)
SMALL = dict(seed=5, months=4, providers=3, claims_per_month=40, as_of=AS_OF)


@pytest.fixture(scope="module")
def csv_inbox(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("acks_csv") / "inbox"
    generate_practice(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def inbox_837(csv_inbox, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("acks_837") / "inbox"
    shutil.copytree(csv_inbox, out)
    deliver_as_837(out)
    return out


def _segments(path: Path) -> list[list[str]]:
    text = path.read_text()
    elem, term = text[3], text[105]
    return [s.strip().split(elem) for s in text.split(term) if s.strip()]


def _truth(inbox: Path, name: str) -> list[dict]:
    with open(inbox / "ground_truth" / name, newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_837_999_and_277ca_validates_in_pyx12(inbox_837):
    import pyx12.params
    import pyx12.x12n_document

    files = sorted((inbox_837 / "acknowledgments").iterdir())
    files += sorted((inbox_837 / "claims_837").iterdir())
    kinds = {"999": 0, "277": 0, "837": 0}
    for path in files:
        st = next(s for s in _segments(path) if s[0] == "ST")
        kinds[st[1]] += 1
        valid = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=str(path), fd_997=None, fd_html=None
        )
        assert valid, f"{path.name}: pyx12 reports errors"
    assert kinds["999"] == kinds["837"] >= 4 and kinds["277"] > 30, kinds


def test_acknowledgments_name_the_batches_sent(inbox_837):
    """999 AK1/AK2 = an 837's GS06/ST02; 277CA 2200B TRN02 = its BHT03 and the 2200D claims
    are claims of that transaction; only the planted unmatched 277CA names nothing."""
    batches: dict[str, set[str]] = {}  # BHT03 -> claim ids
    groups: dict[str, set[str]] = {}  # GS06 -> ST02s
    for path in (inbox_837 / "claims_837").iterdir():
        gs06 = bht03 = ""
        for s in _segments(path):
            if s[0] == "GS":
                gs06 = s[6]
            elif s[0] == "ST":
                groups.setdefault(gs06, set()).add(s[2])
            elif s[0] == "BHT":
                bht03 = s[3]
                batches[bht03] = set()
            elif s[0] == "CLM":
                batches[bht03].add(s[1])
    unmatched = {r["file_name"] for r in _truth(inbox_837, "unmatched_acknowledgments.csv")}
    answered: set[str] = set()
    for path in (inbox_837 / "acknowledgments").iterdir():
        segs = _segments(path)
        if segs[2][1] == "999":
            ak1 = next(s[2] for s in segs if s[0] == "AK1")
            assert {s[2] for s in segs if s[0] == "AK2"} == groups[ak1], path.name
            continue
        trace = None
        for s in segs:
            if s[0] == "TRN" and s[1] == "2" and trace is None:
                trace = s[2]
                if path.name in unmatched:
                    assert trace not in batches
                    break
                assert trace in batches, path.name
                answered.add(trace)
            elif s[0] == "TRN" and s[1] == "2":
                assert s[2] in batches[trace], (path.name, s[2])
            elif s[0] == "SE":
                trace = None
    # every batch is answered by a 277CA but the one the 999 rejected
    rejected_999 = {r["claim_id"] for r in _truth(inbox_837, "claim_rejections.csv")}
    unanswered = {b for b in batches if b not in answered}
    assert len(unanswered) == 1
    assert batches[unanswered.pop()] <= rejected_999


def test_ground_truth_holds_every_planted_rejection(inbox_837, csv_inbox):
    rows = _truth(inbox_837, "claim_rejections.csv")
    assert {(r["source"], r["level"]) for r in rows} == {
        ("999", "transaction"),
        ("277CA", "provider"),
        ("277CA", "claim"),
        ("277CA", "line"),
    }
    assert {r["status"] for r in rows} == {"open", "resubmitted"}
    line = [r for r in rows if r["level"] == "line"]
    assert [(r["line_number"], r["status_code"]) for r in line] == [("2", "454")]
    per_claim = {}
    for r in rows:
        if r["level"] == "claim":
            per_claim.setdefault(r["claim_id"], []).append(r["status_code"])
    assert sorted(len(v) for v in per_claim.values()) == [1, 1, 1, 2, 2]
    opened = [r for r in rows if r["status"] == "open"]
    assert min(int(r["days_to_timely_filing"]) for r in opened) <= 30
    # a CSV delivery has no 837 batch to reject: only the 277CAs' claim and line reasons
    csv_rows = _truth(csv_inbox, "claim_rejections.csv")
    assert csv_rows == [r for r in rows if r["level"] in ("claim", "line")]
    ar = {r["claim_id"]: r for r in _truth(inbox_837, "ar_rejections.csv")}
    assert {r["claim_id"] for r in opened} == {
        k for k, r in ar.items() if r["next_action"] == "fix_rejection"
    }
    csv_ar = {r["claim_id"]: r["next_action"] for r in _truth(csv_inbox, "ar_rejections.csv")}
    assert {k for k, v in csv_ar.items() if v != ar[k]["next_action"]} == {
        r["claim_id"] for r in rows if r["level"] in ("transaction", "provider")
    }
    assert _truth(inbox_837, "ar_rejection_pairs.csv")


def test_277cas_the_same_for_either_delivery_and_999s_only_with_837(csv_inbox, inbox_837):
    a = {p.name: p.read_bytes() for p in (csv_inbox / "acknowledgments").iterdir()}
    b = {p.name: p.read_bytes() for p in (inbox_837 / "acknowledgments").iterdir()}
    assert not any(n.endswith("_999.txt") for n in a)
    only_837 = set(b) - set(a)
    assert only_837 and all(n.endswith(("_999.txt", "_provider.txt")) for n in only_837)
    assert a == {n: b[n] for n in a}


def test_rates_round_half_up_as_the_marts_do():
    """ack_kpis.csv's front_end_rejection_rate rounds as practice_kpis does (half away from
    zero), not half to even: seed 29 as of 2026-08-20 has 3 rejected of 96 acknowledged."""
    from decimal import Decimal

    from painrcm.generate.ack_writer import rate_pct

    assert rate_pct(3, 96) == Decimal("3.13")  # 3.125: half to even would give 3.12
    assert rate_pct(1, 8) == Decimal("12.50")
    assert rate_pct(2, 88) == Decimal("2.27")
    assert rate_pct(0, 40) == Decimal("0.00")
    assert rate_pct(1, 3) == Decimal("33.33")
    assert rate_pct(2, 3) == Decimal("66.67")
