"""The generated practice ingests exactly as its ground truth says: every planted bad row or
file is set aside with its reason, and every good row lands (no miss, no false alarm)."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def test_quarantine_equals_ground_truth(practice_inbox, con):
    with open(practice_inbox / "ground_truth" / "quarantine_expected.csv", newline="") as f:
        expected = list(csv.DictReader(f))
    got = con.execute(
        "select kind, file_name, row_number, reason from raw.quarantine order by all"
    ).fetchall()
    assert len(got) == len(expected)
    for row in expected:
        number = int(row["row_number"]) if row["row_number"] else None
        matches = [g for g in got if (g[0], g[1], g[2]) == (row["kind"], row["file_name"], number)]
        assert len(matches) == 1, row
        assert row["reason_contains"] in matches[0][3]


def test_every_good_row_lands(practice_inbox, con):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    for kind, rows in manifest["counts"]["expected_good_rows"].items():
        assert con.execute(f"select count(*) from raw.{kind}").fetchone()[0] == rows, kind


def test_every_remit_transaction_balances(practice_inbox, con):
    manifest = json.loads((practice_inbox / "ground_truth" / "manifest.json").read_text())
    remits = manifest["counts"]["remits"]
    statuses = con.execute(
        "select status, count(*) from raw.x12_transactions where transaction_set_id = '835'"
        " group by 1"
    ).fetchall()
    assert statuses == [("ok", remits["transactions"])]
    # the 835s' own segments (a 277CA's 2220D loops have SVC segments too)
    in_835 = (
        "select count(*) from raw.x12_segments where segment_id = ? and transaction_id in"
        " (select transaction_id from raw.x12_transactions where transaction_set_id = '835')"
    )
    assert con.execute(in_835, ["CLP"]).fetchone()[0] == remits["claims"]
    assert con.execute(in_835, ["SVC"]).fetchone()[0] == remits["service_lines"]


def test_no_generated_remit_reads_as_a_re_delivery(con):
    """Every generated remit is a payment of its own: two payers sharing an X12 payer id
    (a carrier's commercial and Medicare Advantage lines) once got the same TRN02 on the same
    day, and ingest rightly read the second $0 remit as a re-delivery of the first."""
    keys = con.execute(
        "select count(*), count(distinct remittance_key), count(redelivery_of) "
        "from raw.x12_transactions where transaction_set_id = '835'"
    ).fetchone()
    assert keys[0] == keys[1] and keys[2] == 0
