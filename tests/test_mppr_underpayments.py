"""marts.mppr_underpayments equals the planted ground truth both ways (RULES 7), to the cent."""

from __future__ import annotations

import csv

import duckdb
import pytest

KEY = ("claim_id", "line_number")
COLS = (
    *KEY,
    "patient_id",
    "payer_id",
    "service_date",
    "procedure_code",
    "modifiers",
    "units",
    "rank_on_claim",
    "expected_allowed",
    "paid_allowed",
    "variance",
    "variance_reason",
    "remit_date",
    "dispute_by",
)


def _mart(warehouse) -> dict[tuple, dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f"select {', '.join(COLS)} from marts.mppr_underpayments")
        rows = cur.fetchall()
    finally:
        con.close()
    out = {}
    for r in rows:
        d = {c: ("" if v is None else str(v)) for c, v in zip(COLS, r, strict=True)}
        out[tuple(d[k] for k in KEY)] = d
    return out


def _truth(inbox) -> dict[tuple, dict]:
    with open(inbox / "ground_truth" / "mppr_underpayments.csv", newline="") as fh:
        return {tuple(r[k] for k in KEY): {c: r[c] for c in COLS} for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def mart_and_truth(built_warehouse, practice_inbox):
    return _mart(built_warehouse), _truth(practice_inbox)


def test_every_planted_finding_is_found(mart_and_truth):
    mart, truth = mart_and_truth
    assert len({v["variance_reason"] for v in truth.values()}) == 5
    missing = [k for k in truth if k not in mart]
    assert not missing, missing
    for k, want in truth.items():
        assert mart[k] == want, k


def test_no_false_alarms(mart_and_truth):
    mart, truth = mart_and_truth
    extra = [(k, v["patient_id"]) for k, v in mart.items() if k not in truth]
    assert not extra, extra
