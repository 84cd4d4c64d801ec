"""837P claim batches (INPUTS.md "claims_837"): the lossless X12 path into raw, the claims
staging reads from them, what is set aside and why. Hand-written fixtures in
tests/fixtures/x12_837 (make_fixtures.py writes their envelopes and counts)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.claims_837 import holds_837, plan_claims_837_file
from ingest.inbox import load_inbox
from tests.dbt_warehouse import build_staging_and_claims, load_into
from tests.dbt_warehouse import query as q

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "x12_837"
CSV_INBOX = REPO / "tests" / "fixtures" / "csv" / "inbox"

pytestmark = pytest.mark.slow

PAYERS_EXTRA = (
    # a second payer under Acme's X12 id 60054 (its Medicare Advantage plan): SBR09 CI
    # (commercial) still picks PAY2; and a payer id two commercial payers share
    "PAY3,Acme Medicare Advantage,medicare_advantage,60054,Acme Health,365,120,50,150,"
    "modifier_50,,\n"
    "PAY4,Twin A,commercial,77777,,90,180,50,150,modifier_50,,\n"
    "PAY5,Twin B,commercial,77777,,90,180,50,150,modifier_50,,\n"
)

# P002's visit of 2026-06-02 (the fixture's own row for it is quarantined on purpose)
APPOINTMENT_EXTRA = (
    "A102,1,P002,PAY2,XJ99,1245319599,TX,22,2026-05-12,2026-06-02,completed,62323,,1,"
    "lumbar,L5-S1,,fluoroscopy,true,8,30,,,,6,\n"
)

TWIN_837 = (FIXTURES / "two_transactions.837").read_text()


def _inbox(tmp: Path) -> Path:
    inbox = tmp / "inbox"
    for kind in ("payers", "providers", "appointments"):
        shutil.copytree(CSV_INBOX / kind, inbox / kind)
    payers = inbox / "payers" / "payers_2026-06-01.csv"
    payers.write_text(payers.read_text() + PAYERS_EXTRA)
    appointments = inbox / "appointments" / "appointments_2026-06-01.csv"
    appointments.write_text(appointments.read_text() + APPOINTMENT_EXTRA)
    (inbox / "claims_837").mkdir()
    for name in ("two_transactions.837", "one_line_bad_claims.edi", "old_4010.837"):
        shutil.copy(FIXTURES / name, inbox / "claims_837" / name)
    # the same batch under the twin payers' shared id: quarantined in staging, named
    twin = TWIN_837.replace("PI*60054", "PI*77777").replace("BATCH0603B", "BATCH0604")
    (inbox / "claims_837" / "twin_payers.837").write_text(
        twin.replace("C202", "C302").replace("C200", "C300")
    )
    return inbox


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("claims_837")
    warehouse = tmp / "warehouse.duckdb"
    report = load_into(_inbox(tmp), warehouse)
    build_staging_and_claims(warehouse, tmp)
    return warehouse, {f.file_name: f for f in report.files}


def test_every_segment_kept_verbatim_with_transactions(built):
    warehouse, _ = built
    text = (FIXTURES / "two_transactions.837").read_text()
    expected = [s.strip() for s in text.split("~") if s.strip()]
    got = q(
        warehouse,
        "select segment_text from raw.x12_segments where file_name = 'two_transactions.837'"
        " order by segment_position",
    )
    assert [r[0] for r in got] == expected
    txns = q(
        warehouse,
        "select transaction_control_number, transaction_set_id, version, se_count_ok, status"
        " from raw.x12_transactions where file_name = 'two_transactions.837' order by 1",
    )
    assert txns == [
        ("0001", "837", "005010X222A1", True, "ok"),
        ("0002", "837", "005010X222A1", True, "ok"),
    ]


def test_claim_lines_per_mapping_table(built):
    warehouse, _ = built
    got = q(
        warehouse,
        "select claim_id, line_number, line_control_number, patient_id, payer_id,"
        " rendering_npi, appointment_id, service_date::varchar, submitted_date::varchar,"
        " procedure_code, modifiers, units, charge_amount, diagnosis_codes, prior_auth_number,"
        " place_of_service, frequency_code, claim_source"
        " from staging.stg_pm__claims where claim_id in ('C200', 'C202') order by 1, 2",
    )
    assert got == [
        # REF*EA patient; claim REF*G1; pointers 1:2 in order; D8 date; billing NPI
        (
            "C200",
            1,
            "C200-1",
            "P001",
            "PAY1",
            "1234567893",
            "A100",
            "2026-06-01",
            "2026-06-03",
            "64483",
            None,
            1,
            Decimal("1200.00"),
            "M54.16 M51.26",
            "AUTH-C",
            "11",
            "1",
            "837",
        ),
        # line REF*G1 wins; RD8's first date; 2420A rendering provider; pointer 2 only
        (
            "C200",
            2,
            "C200-2",
            "P001",
            "PAY1",
            "1245319599",
            "A100",
            "2026-06-01",
            "2026-06-03",
            "64484",
            "50",
            1,
            Decimal("450.00"),
            "M51.26",
            "AUTH-L",
            "11",
            "1",
            "837",
        ),
        # no REF*EA: the appointment's patient of member XJ99 at PAY2 (SBR09 CI: not the
        # Medicare Advantage payer sharing 60054); 2310B provider; SV105 POS 22; no
        # pointers: all diagnoses; frequency 7; no REF*6R -> line_number
        (
            "C202",
            1,
            "1",
            "P002",
            "PAY2",
            "1245319599",
            "A102",
            "2026-06-02",
            "2026-06-03",
            "62323",
            None,
            1,
            Decimal("900.00"),
            "M47.26",
            None,
            "22",
            "7",
            "837",
        ),
    ]


def test_secondary_payer_loop_kept_not_read(built):
    warehouse, _ = built
    lines = q(
        warehouse,
        "select claim_id, payer_responsibility_code from staging.stg_x12__claim_837_lines"
        " where _file_name = 'two_transactions.837' order by clm_position, lx_position",
    )
    assert lines == [("C200", "P"), ("C200", "P"), ("C200", "S"), ("C202", "P")]
    # the secondary loop's CLM C200 line 1 (1200.00 to Acme) is not a version of C200
    assert q(
        warehouse,
        "select count(*) from staging.stg_pm__claim_versions where claim_id = 'C200'",
    ) == [(2,)]


def test_unreadable_claims_and_lines_set_aside_rest_loads(built):
    warehouse, files = built
    f = files["one_line_bad_claims.edi"]
    assert f.status == "loaded_with_quarantine"
    reasons = q(
        warehouse,
        "select min(segment_position), max(segment_position), any_value(reason)"
        " from raw.quarantine where file_name = 'one_line_bad_claims.edi'"
        " group by reason order by 1",
    )
    assert [(a, b) for a, b, _ in reasons] == [
        (17, 22),
        (29, 31),
        (32, 37),
        (48, 50),
        (51, 53),
        (57, 59),
    ]
    assert "transaction 1001" in reasons[0][2] and "no CLM01" in reasons[0][2]
    assert "SV103 MJ" in reasons[1][2]
    assert "ICD-9 diagnosis qualifier BK" in reasons[2][2]
    assert "SV102 'ABC'" in reasons[3][2]
    assert "'20260631'" in reasons[4][2]
    assert "LX01 'A' at segment 57 is not a line number" in reasons[5][2]
    # C211 line 1 loads; C213 line 1 is read but its payer 99999 matches no payer
    assert q(
        warehouse,
        "select claim_id, line_number from staging.stg_pm__claim_versions"
        " where _file_name = 'one_line_bad_claims.edi'",
    ) == [("C211", 1)]
    unresolved = q(
        warehouse,
        "select clm01, line_number, unresolved_reason from staging.stg_x12__claims_837"
        " where unresolved_reason is not null and _file_name = 'one_line_bad_claims.edi'",
    )
    assert unresolved == [
        ("C213", 1, "payer id 99999 (2010BB NM109) matches no payers.x12_payer_id")
    ]


def test_payer_id_shared_by_two_payers_quarantined_naming_it(built):
    warehouse, _ = built
    got = q(
        warehouse,
        "select distinct clm01, unresolved_reason from staging.stg_x12__claims_837"
        " where _file_name = 'twin_payers.837' order by 1",
    )
    assert got == [
        ("C300", None),  # Medicare 04412, untouched
        ("C302", "payer id 77777 matches 2 payers, and SBR09 CI fits 2 of them"),
    ]


def test_4010_batch_kept_and_named(built):
    warehouse, files = built
    f = files["old_4010.837"]
    assert f.status == "flagged"
    assert "004010X098A1" in f.message and "not read as claims" in f.message
    assert q(
        warehouse, "select count(*) from raw.x12_segments where file_name = 'old_4010.837'"
    ) == [(19,)]
    assert q(
        warehouse,
        "select count(*) from staging.stg_x12__claim_837_lines where _file_name = 'old_4010.837'",
    ) == [(0,)]


def test_837_segments_stay_out_of_the_835_staging(built):
    warehouse, _ = built
    assert q(warehouse, "select count(*) from staging.stg_x12__segments") == [(0,)]
    assert q(warehouse, "select count(*) from staging.stg_x12__remittances") == [(0,)]


def test_garbage_and_truncated_files(tmp_path):
    plan = plan_claims_837_file(b"\x00\x01garbage ST*837*", "junk.837", "0" * 64)
    assert plan.status == "rejected" and len(plan.quarantine) == 1
    text = (FIXTURES / "two_transactions.837").read_bytes()
    cut = text[: text.index(b"ST*837*0002")]
    plan = plan_claims_837_file(cut, "cut.837", "1" * 64)
    # transaction 0001 loads whole; the missing trailer is reported
    assert plan.status in ("loaded", "loaded_with_quarantine", "flagged")
    assert [t["transaction_control_number"] for t in plan.transactions] == ["0001"]
    assert plan.rows_loaded + len(plan.quarantine) == cut.count(b"~")
    assert holds_837(text) and not holds_837(b"ISA*00*~ST*835*0001~")


CLAIM_HEADER = (
    "claim_id,line_number,patient_id,payer_id,rendering_npi,appointment_id,service_date,"
    "submitted_date,procedure_code,modifiers,units,charge_amount,diagnosis_codes,"
    "prior_auth_number,place_of_service"
)
CLAIM_ROW = "C1,1,P001,PAY1,1234567893,,2026-06-01,2026-06-03,64483,,1,100.00,M5416,,11"


def _load_claims_csv(text: str):
    import hashlib
    from datetime import datetime

    from ingest.csv_extracts import load_csv_file
    from ingest.raw_tables import ensure_raw_tables

    con = duckdb.connect()
    ensure_raw_tables(con)
    data = text.encode()
    result = load_csv_file(
        con,
        "claims",
        Path("/inbox/claims/claims_2026-06-03.csv"),
        data,
        hashlib.sha256(data).hexdigest(),
        datetime(2026, 6, 3, 8),
    )
    return con, result


def test_claims_csv_without_the_new_columns_still_loads():
    con, result = _load_claims_csv(f"{CLAIM_HEADER}\n{CLAIM_ROW}\n")
    assert result.status == "loaded"
    assert con.execute("select line_control_number, frequency_code from raw.claims").fetchall() == [
        (None, None)
    ]


def test_claims_csv_frequency_code_is_checked():
    header = CLAIM_HEADER + ",line_control_number,frequency_code"
    con, result = _load_claims_csv(f"{header}\n{CLAIM_ROW},L1,8\n{CLAIM_ROW},L2,9\n")
    assert result.status == "loaded_with_quarantine"
    assert con.execute("select line_control_number, frequency_code from raw.claims").fetchall() == [
        ("L1", "8")
    ]
    ((reason,),) = con.execute("select reason from raw.quarantine").fetchall()
    assert "frequency_code" in reason


def test_generate_claims_format_is_checked(tmp_path):
    from typer.testing import CliRunner

    from painrcm.cli import app

    result = CliRunner().invoke(
        app, ["generate", "--out", str(tmp_path / "x"), "--claims-format", "x12"]
    )
    assert result.exit_code != 0
    assert "--claims-format 'x12' is not known: use csv, 837 or both" in result.output


def test_an_837_in_remits_is_read_as_an_837(tmp_path):
    remits = tmp_path / "inbox" / "remits"
    remits.mkdir(parents=True)
    shutil.copy(FIXTURES / "two_transactions.837", remits / "batch.edi")
    con = duckdb.connect()
    (f,) = load_inbox(tmp_path / "inbox", con).files
    assert (f.kind, f.status) == ("claims_837", "loaded")
    assert f.message.startswith("read as claims_837, found in remits/")
    assert con.execute("select count(*) from raw.x12_transactions").fetchone() == (2,)


def test_the_hand_written_5010_batch_is_valid_x12_for_pyx12():
    # the fixture is what a clearinghouse accepts (so the staging tests read real shapes);
    # the bad-claims file is not, on exactly the planted errors
    import pyx12.params
    import pyx12.x12n_document

    def valid(name: str) -> bool:
        return pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(), src_file=str(FIXTURES / name), fd_997=None, fd_html=None
        )

    assert valid("two_transactions.837")
    assert not valid("one_line_bad_claims.edi")
