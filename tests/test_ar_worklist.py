"""marts.ar_worklist (rules.md §10): next_action and open_balance of every planted claim, the
unambiguous priority pairs in order, and a background that only waits for first remits."""

from __future__ import annotations

import csv
from decimal import Decimal

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def worklist(con) -> dict[str, dict]:
    cur = con.execute("select * from marts.ar_worklist")
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _read(practice_inbox, name: str) -> list[dict]:
    with open(practice_inbox / "ground_truth" / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_planted_claims_action_and_balance(practice_inbox, worklist):
    truth = _read(practice_inbox, "ar_worklist.csv")
    assert {r["next_action"] for r in truth if r["on_worklist"] == "true"} == {
        "appeal",
        "correct_resubmit",
        "resolution_review",
        "escalate_timely_filing",
        "call_payer",
        "portal_status_check",
        "wait",
    }
    wrong = []
    for r in truth:
        row = worklist.get(r["claim_id"])
        if r["on_worklist"] == "false":
            if row is not None:
                wrong.append((r["claim_id"], "should be off the worklist", row["next_action"]))
            continue
        if row is None:
            wrong.append((r["claim_id"], "missing", r["next_action"]))
            continue
        got = (row["next_action"], row["open_balance"])
        if got != (r["next_action"], Decimal(r["open_balance"])):
            wrong.append((r["claim_id"], r["next_action"], r["open_balance"], got))
    assert not wrong, wrong


def test_unambiguous_priority_pairs(practice_inbox, worklist):
    pairs = _read(practice_inbox, "ar_priority_pairs.csv")
    assert pairs
    for p in pairs:
        first, second = worklist[p["first"]], worklist[p["second"]]
        assert first["priority_rank"] < second["priority_rank"], (p, first, second)


def test_ranks_are_a_permutation_and_reasons_read(worklist):
    ranks = sorted(r["priority_rank"] for r in worklist.values())
    assert ranks == list(range(1, len(worklist) + 1))
    for r in worklist.values():
        reason = r["priority_reason"]
        assert reason.endswith(" open.") and "$" in reason
        if r["next_action"] == "appeal":
            assert reason.startswith("Appeal window for CARC ")
            assert str(r["appeal_deadline"]) in reason


def test_background_only_waits_for_first_remits(con, worklist):
    """The background is paid per contract: its only open claims are those whose first
    remit is not due yet (under 16 days old), so `wait`."""
    patients = dict(
        con.execute(
            "select claim_id, min(patient_id) from staging.stg_pm__claims group by 1"
        ).fetchall()
    )
    background = [r for r in worklist.values() if not patients[r["claim_id"]].startswith("P9")]
    assert background
    assert {r["next_action"] for r in background} == {"wait"}
    assert max(r["age_days"] for r in background) <= 15


def test_work_before_wait(worklist):
    """rules.md §10 (issue #18): every claim with something to do today ranks above every `wait`
    claim. The fixture practice has a `wait` claim that outscores an actionable one (a wait's
    score is cut to a tenth, not to nothing), so ranking by score alone fails here."""
    waits = [r for r in worklist.values() if r["next_action"] == "wait"]
    acts = [r for r in worklist.values() if r["next_action"] != "wait"]
    assert waits and acts
    # In the default fixture practice a `wait` claim outscores an actionable one, so ranking
    # by score alone fails the asserts below; another seed may not have such a pair (the dbt
    # unit test ar_work_before_wait pins that case on crafted rows whatever the data).
    assert max(r["priority_rank"] for r in acts) < min(r["priority_rank"] for r in waits)
    assert max(r["priority_rank"] for r in acts) == len(acts)
    # Within each group the score still decides (seed weights unchanged).
    for group in (acts, waits):
        ordered = sorted(group, key=lambda r: r["priority_rank"])
        scores = [r["priority_score"] for r in ordered]
        assert scores == sorted(scores, reverse=True)
