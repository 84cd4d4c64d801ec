"""marts.pa_coverage_gaps against the generator's ground truth (issue #6, rules.md §2-5).

The pa_gaps plant writes every row it expects to `ground_truth/pa_coverage_gaps.csv` (and
the manifest's `pa_coverage_gaps` section); the mart must hold exactly those rows: no miss,
no false alarm, and nothing at all for the background or the planted near-misses.
"""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import AS_OF

GAP_TYPES = {
    "no_auth",
    "auth_denied",
    "auth_pending",
    "auth_expired",
    "auth_not_yet_valid",
    "code_mismatch",
    "region_mismatch",
    "level_mismatch",
    "laterality_mismatch",
    "units_exceeded",
    "wiser_utn_missing",
    "wiser_associated_unaffirmed",
    "frequency_limit",
    "scs_permanent_needs_auth",
    "auth_number_missing_on_claim",
    "renewal_due",
}
KEY = (
    "appointment_id",
    "line_number",
    "claim_id",
    "claim_line_number",
    "gap_type",
    "auth_id",
    "revenue_at_risk",
)


def _mart(warehouse: Path) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(
            """
            select
                coalesce(appointment_id, '') as appointment_id,
                coalesce(cast(line_number as varchar), '') as line_number,
                coalesce(claim_id, '') as claim_id,
                coalesce(cast(claim_line_number as varchar), '') as claim_line_number,
                gap_type,
                coalesce(auth_id, '') as auth_id,
                cast(revenue_at_risk as varchar) as revenue_at_risk,
                patient_id,
                service_date,
                line_status,
                days_until_service,
                recommended_action
            from marts.pa_coverage_gaps
            """
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _key(row: dict) -> tuple[str, ...]:
    return tuple(str(row[c]) for c in KEY)


@pytest.fixture(scope="module")
def mart(built_warehouse) -> list[dict]:
    return _mart(built_warehouse)


@pytest.fixture(scope="module")
def truth(practice_inbox) -> list[dict]:
    with open(practice_inbox / "ground_truth" / "pa_coverage_gaps.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def manifest(practice_inbox) -> dict:
    return json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())


def test_manifest_section_matches_the_csv(truth, manifest):
    assert {_key(r) for r in manifest["plants"]["pa_coverage_gaps"]} == {_key(r) for r in truth}


def test_every_planted_gap_is_found(mart, truth):
    got = {_key(r) for r in mart}
    missing = sorted(_key(r) for r in truth if _key(r) not in got)
    assert not missing, missing


def test_no_false_alarm(mart, truth):
    expected = {_key(r) for r in truth}
    extra = sorted(_key(r) for r in mart if _key(r) not in expected)
    assert not extra, extra
    assert len(mart) == len(truth)


def test_background_is_clean(mart):
    background = [r for r in mart if not r["patient_id"].startswith("P9")]
    assert not background, background[:5]


def test_every_gap_type_is_planted_at_least_twice(truth):
    counts: dict[str, int] = {}
    for r in truth:
        counts[r["gap_type"]] = counts.get(r["gap_type"], 0) + 1
    assert set(counts) == GAP_TYPES
    assert all(n >= 2 for n in counts.values()), counts


def test_near_misses_are_absent(mart, manifest):
    near = {r["patient_id"] for r in manifest["plants"]["pa_coverage_gaps_near_misses"]}
    assert len(near) >= 10
    flagged = sorted({r["patient_id"] for r in mart} & near)
    assert not flagged, flagged


def test_line_status_and_days(mart):
    as_of = AS_OF
    statuses = {r["line_status"] for r in mart}
    assert {"upcoming", "unbilled", "paid"} <= statuses
    for r in mart:
        assert r["days_until_service"] == (r["service_date"] - as_of).days
        if r["service_date"] > as_of:
            assert r["line_status"] == "upcoming"
        elif not r["claim_id"]:
            assert r["line_status"] == "unbilled"


def test_recommended_actions(mart):
    for r in mart:
        assert r["recommended_action"]
        if r["gap_type"] == "renewal_due":
            by = r["service_date"] - timedelta(days=14)
            assert r["recommended_action"] == f"Submit renewal by {by.isoformat()}"
        if r["gap_type"] == "wiser_utn_missing":
            assert r["recommended_action"].startswith(
                "Request WISeR prior auth or expect pre-payment review"
            )


def test_revenue_at_risk_is_money(mart, truth):
    for r in mart:
        assert Decimal(r["revenue_at_risk"]) >= 0
        assert Decimal(r["revenue_at_risk"]).as_tuple().exponent == -2
    # a line without a fee row (22513 has none in the demo fee schedule) is at 0.00
    assert any(r["revenue_at_risk"] == "0.00" for r in truth)
