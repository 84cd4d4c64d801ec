"""marts.mppr_underpayments equals the planted ground truth both ways (rules.md §7), to the cent."""

from __future__ import annotations

import pytest

from tests.ground_truth import mart_rows, truth_rows

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


@pytest.fixture(scope="module")
def mart_and_truth(built_warehouse, practice_inbox):
    return (
        mart_rows(built_warehouse, "mppr_underpayments", COLS, KEY),
        truth_rows(practice_inbox, "mppr_underpayments", COLS, KEY),
    )


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


def test_dispute_open_is_a_mart_column(built_warehouse):
    """Issue #21: the page's "still disputable" filter reads is_dispute_open, the mart's own
    comparison of dispute_by with the as-of date."""
    import duckdb

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute(
            "select m.is_dispute_open, m.dispute_by >= b.as_of_date "
            "from marts.mppr_underpayments as m cross join marts.build_info as b"
        ).fetchall()
    finally:
        con.close()
    assert rows and all(flag == expected for flag, expected in rows)
