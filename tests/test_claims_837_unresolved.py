"""marts.claims_837_unresolved (issue #19 item 5): an 837 claim whose payer id matches no
payer, or two the filing indicator cannot tell apart, is kept out of the claims history and
listed once, naming the payer id. Hand-written 837s: the fixture batch of
tests/fixtures/x12_837 under an unknown payer id (99999) and under an id two payers share
(77777, the twin payers of tests/test_claims_837.py)."""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt_warehouse import build_staging_and_claims, load_into
from tests.dbt_warehouse import query as _rows
from tests.test_claims_837 import TWIN_837, _inbox

pytestmark = pytest.mark.slow

COLUMNS = (
    "file_name, transaction_control_number, claim_id, patient_id, service_date,"
    " submitted_date, charge_amount, line_count, x12_payer_id, claim_filing_indicator_code,"
    " reason"
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("claims_837_unresolved")
    inbox = _inbox(tmp)  # holds twin_payers.837 (payer id 77777, two payers)
    unknown = TWIN_837.replace("PI*60054", "PI*99999").replace("BATCH0603B", "BATCH0605")
    (inbox / "claims_837" / "unknown_payer.837").write_text(
        unknown.replace("C202", "C402").replace("C200", "C400")
    )
    warehouse = tmp / "warehouse.duckdb"
    load_into(inbox, warehouse)
    build_staging_and_claims(warehouse, tmp, also="claims_837_unresolved")
    return warehouse


def test_unknown_and_ambiguous_payers_listed_once_naming_the_payer_id(warehouse):
    got = _rows(
        warehouse,
        f"select {COLUMNS} from marts.claims_837_unresolved order by file_name, claim_id",
    )
    # C202 of the fixture's 2nd transaction (ST02 0002): one line, 62323, $900 on 2026-06-02,
    # member XJ99 without REF*EA (its payer unknown, so the member id names the patient).
    common = ("XJ99", Date(2026, 6, 2), Date(2026, 6, 3), Decimal("900.00"), 1)
    assert got == [
        # the fixture's own claim to NOBODY (99999): 3 lines, 2 of them set aside at ingest
        # as unreadable (charge ABC, date 20260631), so 1 line and $250 here
        (
            "one_line_bad_claims.edi",
            "1001",
            "C213",
            "P009",
            Date(2026, 6, 6),
            Date(2026, 6, 10),
            Decimal("250.00"),
            1,
            "99999",
            "CI",
            "payer id 99999 (2010BB NM109) matches no payers.x12_payer_id",
        ),
        (
            "twin_payers.837",
            "0002",
            "C302",
            *common,
            "77777",
            "CI",
            "payer id 77777 matches 2 payers, and SBR09 CI fits 2 of them",
        ),
        (
            "unknown_payer.837",
            "0002",
            "C402",
            *common,
            "99999",
            "CI",
            "payer id 99999 (2010BB NM109) matches no payers.x12_payer_id",
        ),
    ]


def test_set_aside_claims_are_not_in_the_claims_history(warehouse):
    history = _rows(warehouse, "select distinct claim_id from staging.stg_pm__claims")
    assert {c for (c,) in history}.isdisjoint({"C302", "C402"})
    # ...while their files' other claims (Medicare 04412) are read
    assert {"C300", "C400"} <= {c for (c,) in history}
