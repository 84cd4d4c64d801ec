"""Real remittance files at the edges (issues #17 and #16.1/#16.3), at ingest.

Fixtures: tests/fixtures/x12_edges/ (hand-written; README.txt there describes each shape).
The dbt side (a re-delivery read once, a reversal in a re-sent file netting) is in
tests/test_x12_redelivery.py.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.data import NAMED_SQL
from ingest.inbox import load_inbox
from ingest.raw_tables import ensure_raw_tables
from ingest.remits import load_remit_file, plan_remit_file
from ingest.x12 import decode, split_x12
from ingest.x12_plan import transaction_id

EDGES = Path(__file__).parent / "fixtures" / "x12_edges"
FIXTURES = Path(__file__).parent / "fixtures" / "x12"
LOADED_AT = datetime(2026, 6, 20, 8, 0, 0)


def _load(con, name: str, data: bytes | None = None, at: datetime = LOADED_AT):
    data = (EDGES / name).read_bytes() if data is None else data
    sha = hashlib.sha256(data).hexdigest()
    return load_remit_file(con, EDGES / name, data, sha, at), sha


def _rows(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()


def _lines(name: str) -> list[str]:
    """The fixture's segments as a reader sees them: no BOM, indentation, blank lines, `~`."""
    text = decode((EDGES / name).read_bytes())
    return [line.strip().removesuffix("~") for line in text.splitlines() if line.strip()]


# --- 2. pretty-printed files ------------------------------------------------------------


def test_pretty_printed_file_loads_every_segment(con) -> None:
    # BOM, 4-space indentation and blank lines in the first interchange only: the old
    # splitter set the whole first interchange aside as "not an X12 segment".
    result, _ = _load(con, "pretty_printed.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 38, 0)
    texts = [r[0] for r in _rows(con, "select segment_text from raw.x12_segments order by 1")]
    assert sorted(texts) == sorted(_lines("pretty_printed.835"))
    assert _rows(con, "select transaction_control_number from raw.x12_transactions order by 1") == [
        ("0601",),
        ("0602",),
    ]


def test_a_refused_file_shows_the_real_reason(con) -> None:
    # Every segment after the ISA quoted as in a forwarded e-mail: nothing is X12 any more.
    text = (EDGES / "resend_original.835").read_text()
    head, rest = text.split("\n", 1)
    quoted = head + "\n" + "".join("> " + line + "\n" for line in rest.splitlines())
    result, _ = _load(con, "quoted.835", quoted.encode())
    assert result.status == "rejected"
    assert "segment 2 is not an X12 segment (starts '> GS*HP*AC')" in result.message
    assert result.message.endswith("not an 835: set aside")


def test_wrong_segment_terminator_is_named_and_the_whole_file_kept(con) -> None:
    data = (EDGES / "wrong_terminator.835").read_bytes()
    result, sha = _load(con, "wrong_terminator.835")
    assert result.status == "rejected"
    assert "wrong segment terminator" in result.message
    assert "declares '~'" in result.message and "end with '\\n'" in result.message
    assert _rows(con, "select segment_position, raw_record from raw.quarantine") == [
        (None, data.decode())
    ]


# --- 3./4. envelope disagreements are flags ----------------------------------------------


def test_se02_not_matching_st02_is_loaded_and_flagged(con) -> None:
    result, sha = _load(con, "se02_mismatch.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("flagged", 19, 0)
    assert "SE02 '0799' at segment 17 does not match ST02 '0701'" in result.message
    assert _rows(con, "select status, envelope_ok, clp_paid_total from raw.x12_transactions") == [
        ("ok", False, 45.75)
    ]
    (flag,) = con.execute(NAMED_SQL["x12_flags"]).fetchall()
    assert flag[0] == transaction_id(sha, 1) and "SE02" in flag[9]


def test_ge01_and_iea01_counts_are_checked(con) -> None:
    result, _ = _load(con, "ge_iea_count_mismatch.835")
    assert (result.status, result.rows_loaded) == ("flagged", 19)
    ((message, envelope_ok),) = _rows(con, "select message, envelope_ok from raw.x12_transactions")
    assert envelope_ok is False
    assert message == (
        "GE01 at segment 18 declares '3' transaction sets, group 801 holds 1; "
        "IEA01 at segment 19 declares '2' functional groups, interchange 000000801 holds 1"
    )


def test_matching_envelope_counts_raise_no_flag(con) -> None:
    for name in ("resend_original.835", "resend_in_bigger_file.835", "pretty_printed.835"):
        _load(con, name)
    assert _rows(con, "select bool_and(envelope_ok), count(*) from raw.x12_transactions") == [
        (True, 5)
    ]


# --- 5. every segment lands in raw or in quarantine --------------------------------------


def _coverage(con, sha: str) -> tuple[list[int], list[int]]:
    loaded = [
        p
        for (p,) in _rows(
            con, "select segment_position from raw.x12_segments where file_sha256 = ?", sha
        )
    ]
    aside = [
        p
        for (p,) in _rows(
            con, "select segment_position from raw.quarantine where file_sha256 = ?", sha
        )
    ]
    return sorted(loaded), sorted(aside)


def test_envelope_of_an_interchange_without_loadable_transaction_is_stored(con) -> None:
    good = (EDGES / "resend_original.835").read_bytes()
    # a second interchange whose only transaction lost its SE (and everything after CAS)
    cut = good.replace(b"000000501", b"000000502").replace(b"*501*", b"*502*")
    cut = cut.split(b"REF*6R*1~")[0] + b"GE*1*502~\nIEA*1*000000502~\n"
    result, sha = _load(con, "two.835", good + cut)
    assert result.status == "loaded_with_quarantine"
    loaded, aside = _coverage(con, sha)
    n = len(split_x12(good + cut, "two.835"))
    assert sorted(loaded + aside) == list(range(1, n + 1))  # every segment, once
    # the second interchange's ISA, GS, GE and IEA are stored (envelope, no transaction_id)
    envelope = _rows(
        con,
        "select segment_id from raw.x12_segments where interchange_control_number = "
        "'000000502' order by segment_position",
    )
    assert envelope == [("ISA",), ("GS",), ("GE",), ("IEA",)]


@pytest.mark.parametrize(
    "path",
    sorted([*EDGES.glob("*.835"), *FIXTURES.iterdir()]),
    ids=lambda p: p.name,
)
def test_every_segment_of_every_fixture_lands_somewhere(con, path: Path) -> None:
    data = path.read_bytes()
    result, sha = _load(con, path.name, data)
    loaded, aside = _coverage(con, sha)
    if loaded:
        n = len(split_x12(data, path.name))
        assert sorted(loaded + aside) == list(range(1, n + 1))
    else:  # refused whole: the file's text in one quarantine row, or every segment
        records = _rows(con, "select raw_record from raw.quarantine where file_sha256 = ?", sha)
        assert (
            aside == [None]
            and records == [(decode(data),)]
            or len(aside) == len(split_x12(data, path.name))
        )


# --- 6. envelope-less files --------------------------------------------------------------


def test_envelope_less_file_reads_delimiters_from_st(con) -> None:
    result, sha = _load(con, "envelope_less.835")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("flagged", 15, 0)
    assert "no ISA envelope" in result.message
    assert _rows(
        con,
        "select interchange_control_number, group_control_number, version, status, "
        "envelope_ok, bpr_amount, clp_paid_total from raw.x12_transactions",
    ) == [(None, None, "005010X221A1", "ok", False, 45.75, 45.75)]
    svc = _rows(
        con, "select elements, component_separator from raw.x12_segments where segment_id = 'SVC'"
    )
    assert svc == [(["HC:64483", "120.00", "45.75", "", "1"], ":")]


# --- #16.1 unreadable payer amounts ------------------------------------------------------


def test_unreadable_clp04_sets_that_claim_payment_aside(con) -> None:
    result, sha = _load(con, "bad_clp04_amount.835")
    assert result.status == "flagged"  # the BPR no longer balances without it
    assert result.rows_loaded == 19 and result.rows_quarantined == 4
    rows = _rows(
        con,
        "select file_name, segment_position, reason, raw_record from raw.quarantine order by 2",
    )
    assert [r[1] for r in rows] == [17, 18, 19, 20]
    assert rows[0][0] == "bad_clp04_amount.835"
    assert rows[0][2] == (
        "claim payment CLP01 'C502' (segments 17-20) set aside: "
        "CLP04 '1O1.29' at segment 17 is not an amount"
    )
    assert rows[0][3] == "CLP*C502*1*300.00*1O1.29*0*12*PCN0502*11*1"
    claims = _rows(con, "select elements[1] from raw.x12_segments where segment_id = 'CLP'")
    assert claims == [("C500",)]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"SVC*HC:64483*120.00*45.75", b"SVC*HC:64483*120.00*4S.75", "SVC03 '4S.75'"),
        (b"CAS*CO*45*64.25", b"CAS*CO*45*64,25", "CAS03 '64,25'"),
        (b"CAS*PR*1*10.00", b"CAS*PR*1*10.00**2*x", "CAS06 'x'"),
        (b"CLP*C500*1*120.00", b"CLP*C500*1*12O.00", "CLP03 '12O.00'"),
    ],
)
def test_other_unreadable_claim_amounts_set_the_claim_aside(con, old, new, problem) -> None:
    data = (EDGES / "bad_clp04_amount.835").read_bytes().replace(old, new)
    result, _ = _load(con, "bad.835", data)
    reasons = [r for (r,) in _rows(con, "select distinct reason from raw.quarantine")]
    assert any("claim payment CLP01 'C500' (segments 10-16)" in r and problem in r for r in reasons)
    assert _rows(con, "select count(*) from raw.x12_segments where segment_id = 'CLP'") == [(0,)]


def test_unreadable_bpr02_sets_the_transaction_aside(con) -> None:
    data = (EDGES / "resend_original.835").read_bytes().replace(b"BPR*I*45.75", b"BPR*I*4S.75")
    result, _ = _load(con, "bpr.835", data)
    assert result.status == "rejected"
    assert "BPR02 '4S.75' at segment 4 is not an amount" in result.message


def test_unreadable_plb_amount_sets_only_the_plb_aside(con) -> None:
    data = (FIXTURES / "era_5010_bcbs.835").read_bytes()
    assert b"PLB*" in data
    bad = data.replace(b"PLB*", b"PLB*", 1)
    head, plb = bad.split(b"PLB*", 1)
    fields = plb.split(b"~", 1)
    els = fields[0].split(b"*")
    els[3] = b"1O.00"
    result, _ = _load(con, "plb.835", head + b"PLB*" + b"*".join(els) + b"~" + fields[1])
    reasons = [r for (r,) in _rows(con, "select reason from raw.quarantine")]
    assert len(reasons) == 1 and "PLB04 '1O.00'" in reasons[0]


# --- 1./7. re-deliveries ------------------------------------------------------------------


def test_redelivery_is_kept_verbatim_and_named_in_the_load_report(con, tmp_path) -> None:
    remits = tmp_path / "inbox" / "remits"
    remits.mkdir(parents=True)
    shutil.copy(EDGES / "resend_original.835", remits / "era_2026-06-02.835")
    shutil.copy(EDGES / "resend_in_bigger_file.835", remits / "era_2026-06-16_resent.835")
    report = load_inbox(tmp_path / "inbox", con)
    first, resent = report.files
    assert first.status == "loaded" and "re-delivery" not in first.message
    assert resent.status == "loaded"
    assert resent.message == (
        "transaction 0501: re-delivery of remittance trace EFT0501 (payer 77001, 45.75 paid "
        "20260602) first loaded from era_2026-06-02.835: kept in raw, read once"
    )
    got = _rows(
        con,
        "select file_name, transaction_control_number, redelivery_of from raw.x12_transactions "
        "order by _loaded_at, first_segment_position",
    )
    original_id = (
        got[0][0]
        and _rows(
            con,
            "select transaction_id from raw.x12_transactions where redelivery_of is null "
            "and file_name = 'era_2026-06-02.835'",
        )[0][0]
    )
    assert got == [
        ("era_2026-06-02.835", "0501", None),
        ("era_2026-06-16_resent.835", "0501", original_id),
        ("era_2026-06-16_resent.835", "0502", None),
    ]
    # both copies stored, each segment verbatim
    assert _rows(con, "select count(*) from raw.x12_segments") == [(19 + 43,)]
    flags = con.execute(NAMED_SQL["x12_flags"]).fetchall()
    assert [(f[1], f[-1]) for f in flags] == [("era_2026-06-16_resent.835", original_id)]
    assert flags[0][9].startswith("re-delivery of remittance trace EFT0501")


def test_redelivery_within_one_file(con) -> None:
    data = (EDGES / "resend_original.835").read_bytes()
    twice = data + data.replace(b"000000501", b"000000599")  # re-enveloped copy appended
    result, sha = _load(con, "twice.835", twice)
    assert "re-delivery of remittance trace EFT0501" in result.message
    assert "first loaded from this file" in result.message
    assert _rows(con, "select redelivery_of from raw.x12_transactions order by 1 nulls first") == [
        (None,),
        (transaction_id(sha, 1),),
    ]


def test_a_different_payment_is_not_a_redelivery(con) -> None:
    _load(con, "resend_original.835")
    other = (EDGES / "resend_original.835").read_bytes().replace(b"20260602~", b"20260603~")
    result, _ = _load(con, "other.835", other, LOADED_AT + timedelta(hours=1))
    assert "re-delivery" not in result.message
    assert _rows(con, "select count(redelivery_of) from raw.x12_transactions") == [(0,)]


# --- hypothesis: the same remit, reformatted, is the same remittance ---------------------


@st.composite
def reformatted(draw, text: str) -> str:
    segs = [s.strip() for s in text.split("~") if s.strip()]
    indent = st.sampled_from(["", "  ", "\t", "    ", " \t"])
    brk = draw(st.sampled_from(["", "\n", "\r\n", "\n\n", "\r\n\r\n"]))
    out = [segs[0] + "~" + brk]
    out += [draw(indent) + s + "~" + draw(st.sampled_from([brk, "\n", "\r\n"])) for s in segs[1:]]
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return bom + "".join(out)


ORIGINALS = ["resend_original.835", "se02_mismatch.835", "bad_clp04_amount.835"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ORIGINALS), st.data())
def test_reformatted_remit_has_the_same_segments_and_identity(name, data) -> None:
    raw = (EDGES / name).read_text()
    variant = data.draw(reformatted(raw))
    a = plan_remit_file(raw.encode(), name, "a" * 64)
    b = plan_remit_file(variant.encode(), "copy.835", "b" * 64)
    assert b.status == a.status and b.rows_loaded == a.rows_loaded
    assert (
        b.segments.column("segment_text").to_pylist()
        == a.segments.column("segment_text").to_pylist()
    )
    keys = [[r["remittance_key"] for r in p.transactions] for p in (a, b)]
    assert keys[0] == keys[1] and all(keys[0])


def test_an_older_warehouse_gets_the_new_transaction_columns() -> None:
    con = duckdb.connect()
    try:
        con.execute("create schema raw")
        con.execute(  # raw.x12_transactions as painrcm created it before #17
            """create table raw.x12_transactions (
                transaction_id VARCHAR, file_name VARCHAR, file_sha256 VARCHAR,
                interchange_control_number VARCHAR, group_control_number VARCHAR,
                transaction_control_number VARCHAR, transaction_set_id VARCHAR,
                version VARCHAR, sender_id VARCHAR, receiver_id VARCHAR,
                first_segment_position INTEGER, last_segment_position INTEGER,
                se_declared_count INTEGER, segment_count INTEGER, se_count_ok BOOLEAN,
                bpr_amount DECIMAL(18,2), clp_paid_total DECIMAL(18,2),
                plb_total DECIMAL(18,2), bpr_balanced BOOLEAN, status VARCHAR,
                message VARCHAR, _loaded_at TIMESTAMP)"""
        )
        ensure_raw_tables(con)
        _load(con, "se02_mismatch.835")
        assert _rows(
            con, "select envelope_ok, remittance_key is not null from raw.x12_transactions"
        ) == [(False, True)]
    finally:
        con.close()
