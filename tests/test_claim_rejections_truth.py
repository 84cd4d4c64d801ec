"""marts.claim_rejections, the A/R worklist's fix_rejection, practice_kpis'
claims_acknowledged / front_end_rejection_rate and the unmatched acknowledgments equal the
generator's ground truth both ways (rules.md §16, 10 step 0, 12), for the practice's claims
delivered as CSV (277CAs matched by claim and date) and as 837 with their 999s."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import AS_OF
from tests.dbt_warehouse import query_dicts as _query
from tests.ground_truth import mart_rows, truth_rows

pytestmark = pytest.mark.slow

KEY = (
    "claim_id",
    "submitted_date",
    "source",
    "level",
    "line_number",
    "category_code",
    "status_code",
    "entity_code",
)
COLS = (
    *KEY,
    "patient_id",
    "payer_id",
    "rendering_npi",
    "service_date",
    "rejected_on",
    "charge_amount",
    "status",
    "timely_filing_deadline",
    "days_to_timely_filing",
)


@pytest.fixture(scope="module")
def inbox_837(practice_inbox, tmp_path_factory) -> Path:
    from painrcm.generate.ack_writer import deliver_as_837

    inbox = tmp_path_factory.mktemp("rejections_837") / "inbox"
    shutil.copytree(practice_inbox, inbox)
    deliver_as_837(inbox)
    return inbox


@pytest.fixture(scope="module")
def warehouse_837(inbox_837, tmp_path_factory) -> Path:
    from painrcm.runner import scheduled_run

    warehouse = tmp_path_factory.mktemp("rejections_wh") / "warehouse.duckdb"
    scheduled_run(inbox_837, warehouse, AS_OF)
    return warehouse


@pytest.fixture(scope="module", params=["csv", "837"])
def delivery(request, practice_inbox, built_warehouse) -> tuple[Path, Path]:
    """(inbox, warehouse) of the claims as CSV, then as 837."""
    if request.param == "csv":
        return practice_inbox, built_warehouse
    return request.getfixturevalue("inbox_837"), request.getfixturevalue("warehouse_837")


def _truth(inbox: Path, name: str) -> list[dict]:
    with open(inbox / "ground_truth" / name, newline="") as fh:
        return list(csv.DictReader(fh))


def test_rejections_equal_the_truth_both_ways(delivery):
    inbox, warehouse = delivery
    truth = truth_rows(inbox, "claim_rejections", COLS, KEY)
    got = mart_rows(warehouse, "claim_rejections", COLS, KEY)
    assert len(truth) >= 8
    missed = {k: v for k, v in truth.items() if got.get(k) != v}
    false_alarms = {k: v for k, v in got.items() if k not in truth}
    assert not missed, {k: (v, got.get(k)) for k, v in missed.items()}
    assert not false_alarms, false_alarms


def test_every_reason_reads(delivery):
    """rules.md §16: the reason is the code's short description, with the entity when named."""
    _inbox, warehouse = delivery
    rows = _query(
        warehouse,
        "select status_code, entity_code, reason from marts.claim_rejections",
    )
    assert rows
    for r in rows:
        assert r["reason"] and r["reason"] != r["status_code"], r
    entities = {"85": "billing provider", "82": "rendering provider", "IL": "subscriber"}
    named = [r for r in rows if r["entity_code"]]
    assert named and all(entities[r["entity_code"]] in r["reason"] for r in named)


def test_fix_rejection_on_the_ar_worklist(delivery):
    inbox, warehouse = delivery
    truth = {r["claim_id"]: r for r in _truth(inbox, "ar_rejections.csv")}
    wl = {r["claim_id"]: r for r in _query(warehouse, "select * from marts.ar_worklist")}
    fixing = {c for c, r in wl.items() if r["next_action"] == "fix_rejection"}
    assert fixing == {c for c, r in truth.items() if r["next_action"] == "fix_rejection"}
    wrong = []
    for claim_id, t in truth.items():
        row = wl.get(claim_id)
        if t["on_worklist"] == "false":
            if row is not None:
                wrong.append((claim_id, "should be off the worklist", row["next_action"]))
            continue
        if row is None:
            wrong.append((claim_id, "missing", t["next_action"]))
            continue
        got = (
            row["next_action"],
            row["open_balance"],
            str(row["age_days"]),
            str(row["timely_filing_deadline"]),
            str(row["days_to_timely_filing"]),
        )
        want = (
            t["next_action"],
            Decimal(t["open_balance"]),
            t["age_days"],
            t["timely_filing_deadline"],
            t["days_to_timely_filing"],
        )
        if got != want:
            wrong.append((claim_id, want, got))
        if t["next_action"] == "fix_rejection":
            reason = row["priority_reason"]
            assert reason.startswith("Rejected "), reason
            assert t["timely_filing_deadline"] in reason and "$" in reason, reason
    assert not wrong, wrong
    for p in _truth(inbox, "ar_rejection_pairs.csv"):
        assert wl[p["first"]]["priority_rank"] < wl[p["second"]]["priority_rank"], p


def test_acknowledgment_kpis(delivery):
    inbox, warehouse = delivery
    truth = {r["month"]: r for r in _truth(inbox, "ack_kpis.csv")}
    got = {
        str(r["month"]): r
        for r in _query(
            warehouse,
            "select month, claims_acknowledged, front_end_rejection_rate from marts.practice_kpis",
        )
    }
    assert set(truth) <= set(got)
    wrong = []
    for month, r in got.items():
        t = truth.get(month, {"claims_acknowledged": "0", "front_end_rejection_rate": "0.00"})
        want = (int(t["claims_acknowledged"]), Decimal(t["front_end_rejection_rate"]))
        have = (r["claims_acknowledged"], Decimal(str(r["front_end_rejection_rate"])))
        if have != want:
            wrong.append((month, want, have))
    assert not wrong, wrong
    assert any(Decimal(t["front_end_rejection_rate"]) > 0 for t in truth.values())


def test_export_claim_rejections(delivery, tmp_path):
    from painrcm.cli import app

    _inbox, warehouse = delivery
    out = tmp_path / "rejections.csv"
    result = CliRunner().invoke(
        app, ["export", "claim_rejections", "--warehouse", str(warehouse), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    n = _query(warehouse, "select count(*) as n from marts.claim_rejections")[0]["n"]
    assert len(rows) == n > 0
    days = [int(r["days_to_timely_filing"]) for r in rows]
    assert days == sorted(days), "nearest timely-filing deadline first"


def test_unmatched_acknowledgments_listed(delivery):
    """INPUTS "acknowledgments": an acknowledgment that matches no claim is kept and listed
    (Data health), never dropped; nothing that answers a loaded batch is listed."""
    inbox, warehouse = delivery
    truth = {
        (r["file_name"], r["source"], r["acknowledged_on"]): r
        for r in _truth(inbox, "unmatched_acknowledgments.csv")
    }
    rows = _query(
        warehouse,
        "select file_name, source, acknowledged_on, answer_reference"
        " from marts.acknowledgments_unmatched",
    )
    got = {(r["file_name"], r["source"], str(r["acknowledged_on"])) for r in rows}
    assert got == set(truth)
    for r in rows:
        claim_id = truth[(r["file_name"], r["source"], str(r["acknowledged_on"]))]["claim_id"]
        assert claim_id in r["answer_reference"], r
