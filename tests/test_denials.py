"""marts.denials equals the planted ground truth both ways (rules.md §9); denial_patterns and
practice_kpis.leakage_denials agree with it."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

KEY = ("claim_id", "line_number", "carc", "group_code")
COLS = (
    *KEY,
    "payer_id",
    "service_date",
    "procedure_code",
    "rarcs",
    "denial_category",
    "denial_class",
    "denied_amount",
    "denial_date",
    "appeal_deadline",
    "status",
    "recovered_amount",
)


def _text(v) -> str:
    return "" if v is None else str(v)


@pytest.fixture(scope="module")
def truth(practice_inbox) -> dict[tuple, dict]:
    with open(practice_inbox / "ground_truth" / "denials.csv", encoding="utf-8") as fh:
        return {tuple(r[k] for k in KEY): r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def _mart(con, prefix: str) -> dict[tuple, dict]:
    cur = con.execute(
        f"select {', '.join(COLS)} from marts.denials where claim_id like ?", [prefix + "%"]
    )
    names = [d[0] for d in cur.description]
    return {
        tuple(_text(r[k]) for k in KEY): {k: _text(r[k]) for k in COLS}
        for r in (dict(zip(names, row, strict=True)) for row in cur.fetchall())
    }


def test_every_category_status_and_shape_is_planted(truth):
    rows = list(truth.values())
    assert {r["denial_category"] for r in rows} >= {
        "authorization",
        "medical_necessity",
        "bundling",
        "frequency",
        "eligibility",
        "timely_filing",
        "coding",
        "missing_information",
        "duplicate",
        "credentialing",
        "non_covered",
        "other",
    }
    assert {r["status"] for r in rows} == {"open", "resubmitted", "recovered", "written_off"}
    assert any(r["group_code"] == "PR" and r["carc"] == "204" for r in rows)
    assert any(r["line_number"] == "" for r in rows)  # claim-level denial
    auth = {r["denial_class"] for r in rows if r["denial_category"] == "authorization"}
    assert auth == {"hard", "soft"}


def test_denials_equal_ground_truth_both_ways(con, truth):
    prefix = next(iter(truth))[0][:4]  # C9<namespace>: the denial plant's claims
    mart = _mart(con, prefix)
    missing = sorted(set(truth) - set(mart))
    extra = sorted(set(mart) - set(truth))
    assert not missing, f"planted denials missing from marts.denials: {missing}"
    assert not extra, f"marts.denials rows nobody planted: {extra}"
    wrong = [
        (k, c, truth[k][c], mart[k][c])
        for k in truth
        for c in COLS
        if c not in ("patient_id",) and _text(truth[k].get(c)) != mart[k][c]
    ]
    assert not wrong, wrong


def test_background_has_no_denials(con):
    """The background is paid per contract: only planted patients (P9...) are denied."""
    rows = con.execute(
        """
        select d.claim_id, d.carc
        from marts.denials as d
        inner join staging.stg_pm__claims as c
            on d.claim_id = c.claim_id
        where c.patient_id not like 'P9%'
        """
    ).fetchall()
    assert rows == []


def test_denial_patterns_recompute_from_ground_truth(con, truth):
    expected: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    families = dict(
        con.execute(
            "select procedure_code, procedure_family from seeds.procedure_families"
        ).fetchall()
    )
    for r in truth.values():
        month = r["denial_date"][:8] + "01"
        k = (r["payer_id"], r["carc"], r["group_code"], families[r["procedure_code"]], month)
        expected[k][0] += 1
        expected[k][1] += Decimal(r["denied_amount"])
        expected[k][2] += Decimal(r["recovered_amount"])
    got = {
        (p, c, g, f, str(m)): (ld, da, ra, lb, dr, rr)
        for p, c, g, f, m, ld, da, ra, lb, dr, rr in con.execute(
            """
            select payer_id, carc, group_code, procedure_family, month, lines_denied,
                denied_amount, recovered_amount, lines_billed, denial_rate, recovery_rate
            from marts.denial_patterns
            """
        ).fetchall()
    }
    assert set(got) == set(expected)  # the background has no denials
    for k, (n, amount, recovered) in expected.items():
        ld, da, ra, lb, dr, rr = got[k]
        assert (ld, da, ra) == (n, amount, recovered), k
        assert lb >= ld
        cent = Decimal("0.01")
        assert dr == (Decimal(100) * ld / lb).quantize(cent, ROUND_HALF_UP), k
        assert rr == (Decimal(100) * ra / da).quantize(cent, ROUND_HALF_UP), k
    # e.g. the WCLSM nerve block denied CARC 16 with N290 M51: top RARC the lowest code
    top = con.execute(
        "select top_rarc from marts.denial_patterns where payer_id = 'WCLSM' and carc = '16'"
    ).fetchall()
    assert top == [("M51",)]


def test_leakage_denials_fill_from_written_off_denials(con, truth):
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for r in truth.values():
        if r["status"] == "written_off":
            expected[r["denial_date"][:8] + "01"] += Decimal(r["denied_amount"])
    assert expected
    got = {
        str(m): v
        for m, v in con.execute(
            "select month, leakage_denials from marts.practice_kpis where leakage_denials <> 0"
        ).fetchall()
    }
    assert got == dict(expected)


def test_past_appeal_deadline_is_a_mart_column(con):
    """Issue #21: the page's "missed deadline" figure reads is_past_appeal_deadline, the
    mart's own comparison of appeal_deadline with the as-of date."""
    rows = con.execute(
        "select d.is_past_appeal_deadline, d.appeal_deadline < b.as_of_date "
        "from marts.denials as d cross join marts.build_info as b"
    ).fetchall()
    assert rows and all(flag == expected for flag, expected in rows)
    assert {flag for flag, _ in rows} == {True, False}
