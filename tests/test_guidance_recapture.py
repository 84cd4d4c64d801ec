"""marts.guidance_recapture equals the planted ground truth both ways (rules.md §6), to the cent."""

from __future__ import annotations

import pytest

from tests.ground_truth import mart_rows, truth_rows

KEY = ("encounter_id", "primary_code", "finding_type", "guidance_code")
COLS = (
    *KEY,
    "claim_id",
    "appointment_id",
    "patient_id",
    "payer_id",
    "service_date",
    "recapture_amount",
    "compliance_risk_amount",
)


@pytest.fixture(scope="module")
def mart_and_truth(built_warehouse, practice_inbox):
    return (
        mart_rows(built_warehouse, "guidance_recapture", COLS, KEY),
        truth_rows(practice_inbox, "guidance_recapture", COLS, KEY),
    )


def test_every_planted_finding_is_found(mart_and_truth):
    mart, truth = mart_and_truth
    assert len({k[2] for k in truth}) == 4
    missing = [k for k in truth if k not in mart]
    assert not missing, missing
    for k, want in truth.items():
        assert mart[k] == want, k


def test_no_false_alarms(mart_and_truth):
    mart, truth = mart_and_truth
    extra = [(k, v["patient_id"]) for k, v in mart.items() if k not in truth]
    assert not extra, extra
