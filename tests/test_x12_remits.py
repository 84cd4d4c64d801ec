"""ingest.remits: each fixture loads, is flagged or is set aside exactly as it deserves."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.raw_tables import ensure_raw_tables
from ingest.remits import load_remit_file, plan_remit_file
from ingest.x12_plan import transaction_id

FIXTURES = Path(__file__).parent / "fixtures" / "x12"
LOADED_AT = datetime(2026, 3, 30, 8, 0, 0)


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_raw_tables(con)
    return con


def _load(con, name: str, data: bytes | None = None):
    data = (FIXTURES / name).read_bytes() if data is None else data
    sha = hashlib.sha256(data).hexdigest()
    return load_remit_file(con, FIXTURES / name, data, sha, LOADED_AT), sha


def _rows(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()


def test_5010_file_loads_every_segment_verbatim(con) -> None:
    data = (FIXTURES / "era_5010_bcbs.835").read_bytes()
    result, sha = _load(con, "era_5010_bcbs.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 71, 0)
    texts = [
        r[0]
        for r in _rows(con, "select segment_text from raw.x12_segments order by segment_position")
    ]
    assert texts == data.decode().split("~\r\n")[:-1]
    rows = _rows(
        con,
        """select segment_position, segment_id, transaction_id, interchange_control_number,
                  group_control_number, transaction_control_number, elements,
                  component_separator, clp_position, svc_position
           from raw.x12_segments order by segment_position""",
    )
    tid = transaction_id(sha, 1)
    assert rows[0][:6] == (1, "ISA", None, "000004711", None, None)
    assert rows[0][6][15] == ":" and rows[0][7] == ":"
    assert rows[1][:6] == (2, "GS", None, "000004711", "4711", None)
    assert rows[2][:6] == (3, "ST", tid, "000004711", "4711", "0001")
    assert rows[-3][1:6] == ("SE", tid, "000004711", "4711", "0001")
    assert rows[-2][:6] == (70, "GE", None, "000004711", "4711", None)
    assert rows[-1][:6] == (71, "IEA", None, "000004711", None, None)
    by_pos = {r[0]: r for r in rows}
    assert by_pos[3][6] == ["835", "0001"]
    assert by_pos[4][6][15] == "20260313"  # BPR16 payment date
    assert by_pos[7][6] == ["405", "20260312"]
    assert by_pos[8][6][3] == "84980"  # N1*PR N104
    assert by_pos[27][6][0] == "HC:64483:50"
    assert by_pos[29][1:] == (
        "CAS",
        tid,
        "000004711",
        "4711",
        "0001",
        ["CO", "45", "569.6", "1", "253", "10"],
        ":",
        19,
        27,
    )
    assert (by_pos[43][6][0], by_pos[48][6][0]) == ("HC:64493:RT", "HC:64493:LT")
    assert by_pos[68][1] == "PLB" and by_pos[68][8:] == (None, None)
    # claim status 22: a reversal, money negative, still a claim context of its own
    reversal = _rows(
        con,
        "select segment_position, elements from raw.x12_segments "
        "where segment_id = 'CLP' and elements[2] = '22'",
    )
    assert reversal == [
        (53, ["PCN0950", "22", "-975", "-412.6", "", "12", "26022800417", "11", "1"])
    ]

    (txn,) = _rows(
        con,
        """select transaction_id, transaction_set_id, version, sender_id, receiver_id,
                  first_segment_position, last_segment_position, se_declared_count,
                  segment_count, se_count_ok, bpr_amount, clp_paid_total, plb_total,
                  bpr_balanced, status, message, file_name, file_sha256
           from raw.x12_transactions""",
    )
    assert txn == (
        tid, "835", "005010X221A1", "BCBSTX835", "PAINCLINIC01", 3, 69, 67, 67, True,
        Decimal("2137.05"), Decimal("2190.40"), Decimal("53.35"), True, "ok", None,
        "era_5010_bcbs.835", sha,
    )  # fmt: skip
    (log,) = _rows(
        con,
        "select kind, file_name, file_path, file_bytes, rows_loaded, "
        "rows_quarantined, status, message, loaded_at from raw.load_log",
    )
    assert log == (
        "remits", "era_5010_bcbs.835", str(FIXTURES / "era_5010_bcbs.835"), len(data), 71, 0,
        "loaded", None, LOADED_AT,
    )  # fmt: skip
    assert _rows(con, "select count(*) from raw.quarantine") == [(0,)]


def test_4010_file_without_line_breaks(con) -> None:
    result, sha = _load(con, "medicare_4010.txt")
    assert (result.status, result.rows_loaded) == ("loaded", 44)
    assert _rows(con, "select version, bpr_amount, status from raw.x12_transactions") == [
        ("004010X091A1", Decimal("1046.88"), "ok")
    ]
    assert _rows(
        con,
        "select segment_text, elements[1], component_separator, clp_position, svc_position "
        "from raw.x12_segments where segment_id = 'SVC' order by segment_position",
    ) == [
        ("SVC*HC>64490>LT*980*562.36**1", "HC>64490>LT", ">", 16, 21),
        ("SVC*HC>20610*245*0**1", "HC>20610", ">", 28, 31),
        ("SVC*HC>64635>LT*500*484.52**1", "HC>64635>LT", ">", 28, 36),
    ]


def test_several_st_in_one_gs_with_bom(con) -> None:
    result, sha = _load(con, "multi_st.edi")
    assert (result.status, result.rows_loaded) == ("loaded", 38)
    assert _rows(
        con,
        "select transaction_id, transaction_control_number, group_control_number, "
        "first_segment_position, last_segment_position, bpr_amount, status "
        "from raw.x12_transactions order by transaction_id",
    ) == [
        (transaction_id(sha, 1), "1001", "120001", 3, 21, Decimal("655.20"), "ok"),
        (transaction_id(sha, 2), "1002", "120001", 22, 36, Decimal("0.00"), "ok"),
    ]
    assert _rows(con, "select segment_text from raw.x12_segments where segment_position = 1")[0][
        0
    ].startswith("ISA*00*")


def test_two_interchanges_in_one_file(con) -> None:
    result, sha = _load(con, "two_interchanges.x12")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 43, 0)
    assert _rows(
        con,
        "select interchange_control_number, transaction_id, bpr_amount, clp_paid_total "
        "from raw.x12_transactions order by 1",
    ) == [
        ("000777001", transaction_id(sha, 1), Decimal("318.40"), Decimal("318.40")),
        ("000777002", transaction_id(sha, 2), Decimal("96.15"), Decimal("96.15")),
    ]
    assert _rows(
        con,
        "select segment_text, elements, component_separator from raw.x12_segments "
        "where segment_id = 'CAS' and interchange_control_number = '000777002' "
        "order by segment_position",
    ) == [
        ("CAS|CO|45|150|1|253|3.85", ["CO", "45", "150", "1", "253", "3.85"], ">"),
        ("CAS|OA|23|50", ["OA", "23", "50"], ">"),
    ]


def test_unbalanced_bpr_is_flagged_and_still_loads(con) -> None:
    result, _ = _load(con, "unbalanced_bpr.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("flagged", 26, 0)
    assert "BPR02 1500 does not balance" in result.message
    assert _rows(
        con,
        "select bpr_amount, clp_paid_total, plb_total, bpr_balanced, se_count_ok, status "
        "from raw.x12_transactions",
    ) == [(Decimal("1500.00"), Decimal("1420.00"), Decimal("20.00"), False, True, "unbalanced")]
    assert _rows(con, "select status from raw.load_log") == [("flagged",)]


def test_se_count_mismatch_is_flagged(con) -> None:
    result, _ = _load(con, "se_count_mismatch.835")
    assert (result.status, result.rows_loaded) == ("flagged", 19)
    assert _rows(
        con,
        "select se_declared_count, segment_count, se_count_ok, bpr_balanced, status, message "
        "from raw.x12_transactions",
    ) == [(16, 15, False, True, "se_count_mismatch", "SE01 declares 16 segments, ST..SE holds 15")]


def test_both_flags_together(con) -> None:
    data = (FIXTURES / "unbalanced_bpr.835").read_bytes().replace(b"SE*22*0001", b"SE*21*0001")
    result, _ = _load(con, "both.835", data)
    assert result.status == "flagged"
    assert _rows(con, "select status from raw.x12_transactions") == [
        ("unbalanced_se_count_mismatch",)
    ]


def test_truncated_transaction_is_set_aside_rest_loads(con) -> None:
    data = (FIXTURES / "truncated.835").read_bytes()
    result, sha = _load(con, "truncated.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == (
        "loaded_with_quarantine",
        17,
        13,
    )
    assert "no SE trailer" in result.message and "no IEA trailer" in result.message
    assert _rows(con, "select transaction_id, status from raw.x12_transactions") == [
        (transaction_id(sha, 1), "ok")
    ]
    q = _rows(
        con,
        "select kind, file_name, file_sha256, row_number, segment_position, reason, raw_record, "
        "quarantined_at from raw.quarantine order by segment_position",
    )
    assert [r[4] for r in q] == list(range(18, 31))
    assert {r[:4] for r in q} == {("remits", "truncated.835", sha, None)}
    assert q[0][6] == "ST*835*0002" and q[-1][6] == "CAS*CO*4"
    assert q[0][5].startswith("transaction ST02 '0002' starting at segment 18 has no SE trailer")
    assert q[0][5].endswith(": set aside") and q[0][7] == LOADED_AT
    # every byte the payer sent is somewhere: loaded or set aside
    kept = _rows(
        con,
        "select segment_text from (select segment_position p, segment_text from raw.x12_segments "
        "union all select segment_position, raw_record from raw.quarantine) order by p",
    )
    assert "~".join(r[0] for r in kept) == data.decode()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("ack_999.txt", "999 acknowledgment, not an 835: set aside"),
        ("claim_ack_277ca.edi", "277CA claim acknowledgment, not an 835: set aside"),
    ],
)
def test_acknowledgments_are_set_aside(con, name: str, reason: str) -> None:
    data = (FIXTURES / name).read_bytes()
    result, sha = _load(con, name)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("rejected", 0, 1)
    assert result.message == reason
    assert _rows(con, "select * from raw.quarantine") == [
        ("remits", name, sha, None, None, reason, data.decode(), LOADED_AT)
    ]
    assert _rows(con, "select count(*) from raw.x12_segments") == [(0,)]
    assert _rows(con, "select count(*) from raw.x12_transactions") == [(0,)]
    assert _rows(con, "select status, rows_loaded, message from raw.load_log") == [
        ("rejected", 0, reason)
    ]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("not_x12.txt", "not an X12 file: it does not begin with ISA"),
        ("short_isa.835", "at segment 1: ISA segment is truncated"),
    ],
)
def test_non_x12_files_are_rejected(con, name: str, needle: str) -> None:
    result, _ = _load(con, name)
    assert result.status == "rejected" and needle in result.message
    ((pos, reason, raw),) = _rows(
        con, "select segment_position, reason, raw_record from raw.quarantine"
    )
    assert pos is None and needle in reason and name in reason
    assert raw == (FIXTURES / name).read_text()[:200]


def test_binary_file_is_rejected_naming_the_segment(con) -> None:
    data = (FIXTURES / "multi_st.edi").read_bytes().replace(b"LX*1", b"LX\x00\x00\xff\xfe*1", 1)
    result, _ = _load(con, "binary.835", data)
    assert result.status == "rejected"
    assert "binary.835 at segment 12: binary data" in result.message


def test_ta1_only_interchange(con) -> None:
    isa = (FIXTURES / "ack_999.txt").read_bytes().split(b"~")[0]
    data = isa + b"~TA1*000004711*260312*0915*A*000~IEA*0*000031415~"
    result, _ = _load(con, "ta1.txt", data)
    assert result.status == "rejected"
    assert result.message == "TA1 interchange acknowledgment, not an 835: set aside"


def test_mixed_file_sets_aside_the_999_and_loads_the_835(con) -> None:
    era = (FIXTURES / "era_5010_bcbs.835").read_bytes().decode()
    ack = (FIXTURES / "ack_999.txt").read_bytes().decode()
    ack_st = ack[ack.index("ST*999") : ack.index("GE*")]
    data = era.replace("GE*1*4711", ack_st + "GE*2*4711").encode()
    result, _ = _load(con, "mixed.835", data)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == (
        "loaded_with_quarantine",
        71,
        8,
    )
    reasons = {r[0] for r in _rows(con, "select reason from raw.quarantine")}
    assert reasons == {"999 acknowledgment, not an 835: set aside"}


def test_stray_segment_outside_a_transaction_is_set_aside(con) -> None:
    data = (FIXTURES / "multi_st.edi").read_bytes()
    data = data.replace(b"SE*19*1001~\n", b"SE*19*1001~\nZZZ*1~\n")
    result, _ = _load(con, "stray.edi", data)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == (
        "loaded_with_quarantine",
        38,
        1,
    )
    assert _rows(con, "select segment_position, raw_record from raw.quarantine") == [(22, "ZZZ*1")]


def test_a_segment_that_is_not_x12_sets_its_transaction_aside(con) -> None:
    data = (FIXTURES / "multi_st.edi").read_bytes().replace(b"LQ*HE*N54", b"@@ garbage")
    result, _ = _load(con, "bad_segment.edi", data)
    assert result.status == "loaded_with_quarantine"
    assert result.rows_quarantined == 15  # transaction 1002, ST..SE
    assert "segment 35 is not an X12 segment" in result.message
    assert _rows(con, "select transaction_control_number from raw.x12_transactions") == [("1001",)]


def test_a_file_whose_only_transaction_is_damaged_is_rejected(con) -> None:
    data = (FIXTURES / "se_count_mismatch.835").read_bytes().split(b"SE*16")[0]
    result, _ = _load(con, "cut.835", data)
    assert (result.status, result.rows_loaded) == ("rejected", 0)
    # ST..cut (14) and the ISA and GS around it: every segment lands somewhere (#17.5)
    assert result.rows_quarantined == 16
    assert _rows(con, "select count(*) from raw.x12_segments") == [(0,)]
    quarantined = _rows(con, "select segment_position, reason from raw.quarantine order by 1")
    assert [p for p, _ in quarantined] == list(range(1, 17))
    assert quarantined[0][1].startswith("envelope of an interchange with no loadable 835")


def test_non_numeric_amount_sets_its_claim_payment_aside(con) -> None:
    data = (FIXTURES / "se_count_mismatch.835").read_bytes().replace(b"*410*0*12", b"*4I0*0*12")
    result, _ = _load(con, "nan.835", data)
    assert result.status == "flagged"  # BPR02 no longer balances without that claim
    assert "claim payment CLP01 'PCN6001' (segments 11-16) set aside" in result.message
    rows = _rows(con, "select segment_position, reason from raw.quarantine order by 1")
    assert [p for p, _ in rows] == list(range(11, 17))
    assert "CLP04 '4I0' at segment 11 is not an amount" in rows[0][1]
    loaded = {p for (p,) in _rows(con, "select segment_position from raw.x12_segments")}
    assert loaded.isdisjoint(range(11, 17)) and {1, 2, 3, 10, 17} <= loaded


def test_same_file_twice_in_separate_connections_gives_identical_tables() -> None:
    tables = ["x12_segments", "x12_transactions", "quarantine", "load_log"]
    names = sorted(p.name for p in FIXTURES.iterdir())
    dumps = []
    for _ in range(2):
        con = _con()
        for name in names:
            _load(con, name)
        dumps.append({t: _rows(con, f"select * from raw.{t} order by all") for t in tables})
        con.close()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["x12_segments"]) == 71 + 44 + 38 + 19 + 17 + 43 + 26


def test_caller_transaction_is_joined_not_nested(con) -> None:
    con.begin()
    _load(con, "multi_st.edi")
    con.rollback()
    assert _rows(con, "select count(*) from raw.x12_segments") == [(0,)]
    _load(con, "multi_st.edi")
    assert _rows(con, "select count(*) from raw.x12_segments") == [(38,)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_garbage_never_crashes_the_loader(data) -> None:
    names = sorted(p.name for p in FIXTURES.iterdir())
    raw = (FIXTURES / data.draw(st.sampled_from(names))).read_bytes()
    cut = data.draw(st.integers(0, len(raw)))
    at = data.draw(st.integers(0, cut))
    junk = data.draw(st.binary(max_size=30))
    mangled = raw[:at] + junk + raw[at:cut]
    plan = plan_remit_file(mangled, "mangled.835", "0" * 64)
    assert plan.status in ("loaded", "loaded_with_quarantine", "flagged", "rejected")
    if plan.status == "rejected":
        assert plan.rows_loaded == 0 and plan.quarantine


@pytest.mark.parametrize(
    "paid",
    ["912.4", "912.40", "912", "912.", ".5", "-0", "0.00", "912.345", "1234567890123.45"]
    + ["12345678901234.5", "9999999999999999", "99999999999999999", "9l2.4"],
)
@pytest.mark.parametrize("bpr", ["balanced", "a dollar more", "without it", "in cents"])
def test_clp_totals_read_at_once_match_the_decimal_sums(paid: str, bpr: str) -> None:
    """The file-wide CLP04 read (_clp_paid) gives the rows the Decimal sums give, whether
    the BPR balances with the claim payment, is off, leaves it out or rounds it."""
    from ingest.remits import _check_transaction, _clp_paid, _clp_total
    from ingest.x12 import split_x12

    text = (FIXTURES / "era_5010_bcbs.835").read_text().replace("*912.4*", f"*{paid}*")
    try:
        amount = Decimal(paid)
    except ArithmeticError:
        amount = Decimal("912.4")
    others = Decimal("2137.05") - Decimal("912.4")
    sent = {
        "balanced": others + amount,
        "a dollar more": others + amount + 1,
        "without it": others,
        "in cents": others + amount.quantize(Decimal("0.01")),
    }[bpr]
    x12 = split_x12(text.replace("BPR*I*2137.05*", f"BPR*I*{sent}*").encode(), "paid.835")
    clp_paid = _clp_paid(x12)
    sha = "ab" * 32
    for t in x12.transactions:
        fast = _check_transaction(x12, t, sha, set(), clp_paid)
        assert fast == _check_transaction(x12, t, sha)
        if paid in ("912.4", "912.40", "912", "-0", "0.00", "1234567890123.45"):
            assert _clp_total(x12, t, x12.markers["CLP"], clp_paid) is not None
            assert fast["bpr_balanced"] is (sent == others + amount)
