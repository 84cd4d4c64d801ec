"""A re-delivered remit is read once, and a reversal that arrives in the re-sent file nets
(issue #17 items 1 and 7), through dbt: ingest both files, build up to the netted claim
lines, check staging and int_claim_lines_remit_netted.

The re-sent file (tests/fixtures/x12_edges/resend_in_bigger_file.835) holds the original
remit again, reformatted and re-enveloped, plus a new remit reversing C500's 45.75 and
paying the correction 40.00. Counted twice (the old behaviour), C500 was paid 85.75.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_inbox

from .dbt_warehouse import dbt_build
from .dbt_warehouse import query as _rows
from .test_dbt_staging import CLAIM_COLUMNS

EDGES = Path(__file__).parent / "fixtures" / "x12_edges"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def netted(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("redelivery")
    remits = tmp / "inbox" / "remits"
    remits.mkdir(parents=True)
    shutil.copy(EDGES / "resend_original.835", remits / "era_2026-06-02.835")
    shutil.copy(EDGES / "resend_in_bigger_file.835", remits / "era_2026-06-16_resent.835")
    warehouse = tmp / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        report = load_inbox(tmp / "inbox", con)
        assert [f.status for f in report.files] == ["loaded", "loaded"]
        assert "re-delivery of remittance trace EFT0501" in report.files[1].message
        con.execute(
            f"insert into raw.claims ({CLAIM_COLUMNS}) values "
            "('C500', '1', 'PT500', 'P77', '1234567893', null, '2026-05-20', '2026-05-21', "
            "'64483', null, '1', '120.00', 'M54.16', null, '11', 'claims.csv', 'c', 1, "
            "timestamp '2026-05-21 08:00:00')"
        )
    finally:
        con.close()
    dbt_build(
        [
            "--select",
            "+int_claim_lines_remit_netted",
            "--indirect-selection",
            "cautious",
            "--vars",
            "{as_of_date: '2026-06-30'}",
        ],
        warehouse,
        tmp,
    )
    return warehouse


def test_raw_keeps_both_copies_staging_reads_one(netted) -> None:
    assert _rows(netted, "select count(*) from raw.x12_transactions") == [(3,)]
    got = _rows(
        netted,
        "select file_name, trace_number, payment_amount from staging.stg_x12__remittances "
        "order by trace_number",
    )
    assert got == [
        ("era_2026-06-02.835", "EFT0501", Decimal("45.75")),
        ("era_2026-06-16_resent.835", "EFT0502", Decimal("94.25")),
    ]
    # every staged segment of the re-sent file belongs to the new remit or the envelope
    tcn = _rows(
        netted,
        "select distinct transaction_control_number from staging.stg_x12__segments "
        "where file_name = 'era_2026-06-16_resent.835' order by 1 nulls first",
    )
    assert tcn == [(None,), ("0502",)]


def test_reversal_in_the_resent_file_nets(netted) -> None:
    payments = _rows(
        netted,
        "select claim_status_code, paid_amount from staging.stg_x12__claim_payments "
        "where claim_id = 'C500' order by clp_position, transaction_id",
    )
    assert sorted(payments) == [
        ("1", Decimal("40.00")),
        ("1", Decimal("45.75")),
        ("22", Decimal("-45.75")),
    ]
    line = _rows(
        netted,
        "select paid, remit_count, reversal_count from intermediate.int_claim_lines_remit_netted "
        "where claim_id = 'C500'",
    )
    assert line == [(Decimal("40.00"), 2, 1)]
