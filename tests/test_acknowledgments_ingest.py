"""999 and 277CA acknowledgments (INPUTS.md "acknowledgments") take the lossless X12 path:
every segment verbatim in raw.x12_segments, one raw.x12_transactions row per transaction
with its control numbers and SE-count check, whichever X12 folder the file was dropped in.
A 277 of another guide, a 997 or a TA1 is kept and reported; a truncated or garbage file is
reported and loses nothing else. Fixtures: tests/fixtures/x12_acks (make_fixtures.py)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.acknowledgments import holds_acknowledgment, plan_acknowledgment_file
from ingest.inbox import load_inbox

FIXTURES = Path(__file__).parent / "fixtures" / "x12_acks"
ACKS = sorted(
    p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".999") and "ta1" not in p.name
)


def _inbox(tmp: Path, files: dict[str, str]) -> Path:
    inbox = tmp / "inbox"
    for name, folder in files.items():
        (inbox / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, inbox / folder / name)
    return inbox


def _load(tmp: Path, files: dict[str, str]):
    con = duckdb.connect()
    report = load_inbox(_inbox(tmp, files), con)
    return con, {f.file_name: f for f in report.files}


def _segments(text: str) -> list[str]:
    return [s.strip() for s in text.split("~") if s.strip()]


@pytest.mark.parametrize("name", ACKS)
def test_every_segment_kept_verbatim(tmp_path, name):
    con, files = _load(tmp_path, {name: "acknowledgments"})
    f = files[name]
    assert f.kind == "acknowledgments"
    assert f.rows_quarantined == 0
    got = con.execute(
        "select segment_text from raw.x12_segments order by segment_position"
    ).fetchall()
    assert [r[0] for r in got] == _segments((FIXTURES / name).read_text())
    txns = con.execute(
        "select transaction_set_id, se_count_ok, status from raw.x12_transactions"
    ).fetchall()
    assert txns and all(t[1] and t[2] == "ok" for t in txns)


def test_control_numbers_and_statuses(tmp_path):
    con, files = _load(
        tmp_path,
        {"999_batch1.999": "acknowledgments", "277ca_batch0610.txt": "acknowledgments"},
    )
    assert files["999_batch1.999"].status == "loaded"
    assert files["277ca_batch0610.txt"].status == "loaded"
    rows = con.execute(
        "select file_name, interchange_control_number, group_control_number,"
        " transaction_control_number, transaction_set_id, version, sender_id,"
        " se_declared_count, segment_count"
        " from raw.x12_transactions order by 1, 4"
    ).fetchall()
    assert rows == [
        ("277ca_batch0610.txt", "000009004", "9004", "0001", "277", "005010X214",
         "CLEARHOUSE", 40, 40),
        ("277ca_batch0610.txt", "000009004", "9004", "0002", "277", "005010X214",
         "CLEARHOUSE", 25, 25),
        ("999_batch1.999", "000009001", "9001", "0001", "999", "005010X231A1",
         "CLEARHOUSE", 12, 12),
    ]  # fmt: skip


def test_acknowledgments_dropped_in_other_x12_folders_are_read_as_such(tmp_path):
    con, files = _load(tmp_path, {"999_batch1.999": "remits", "277ca_batch1a.txt": "claims_837"})
    for name, folder in (("999_batch1.999", "remits"), ("277ca_batch1a.txt", "claims_837")):
        f = files[name]
        assert (f.kind, f.status) == ("acknowledgments", "loaded")
        assert f.message.startswith(f"read as acknowledgments, found in {folder}/")
    assert con.execute("select count(*) from raw.quarantine").fetchone() == (0,)
    assert con.execute("select kind, count(*) from raw.load_log group by 1").fetchall() == [
        ("acknowledgments", 2)
    ]


def test_a_277_of_another_guide_is_kept_and_reported(tmp_path):
    name = "277_claim_status.txt"
    con, files = _load(tmp_path, {name: "acknowledgments"})
    f = files[name]
    assert f.status == "flagged"
    assert "005010X212" in f.message and "kept in raw, not read as a 999 or 277CA" in f.message
    kept = con.execute("select count(*) from raw.x12_segments").fetchone()[0]
    assert kept == len(_segments((FIXTURES / name).read_text()))


def test_a_997_is_kept_and_reported(tmp_path):
    text = (FIXTURES / "999_batch7.999").read_text()
    text = (
        text.replace("ST*999*0001*005010X231A1", "ST*997*0001")
        .replace("*005010X231A1~", "*004010~")
        .replace("IK5*", "AK5*")
    )
    (tmp_path / "ack.997").write_text(text)
    con = duckdb.connect()
    (tmp_path / "inbox" / "acknowledgments").mkdir(parents=True)
    shutil.copy(tmp_path / "ack.997", tmp_path / "inbox" / "acknowledgments" / "ack.997")
    (f,) = load_inbox(tmp_path / "inbox", con).files
    assert f.status == "flagged"
    assert "997 functional acknowledgment" in f.message
    assert con.execute("select transaction_set_id from raw.x12_transactions").fetchall() == [
        ("997",)
    ]


def test_a_ta1_is_kept_and_reported(tmp_path):
    con, files = _load(tmp_path, {"ta1_only.txt": "acknowledgments"})
    f = files["ta1_only.txt"]
    assert f.status == "flagged" and f.rows_quarantined == 0
    assert "TA1 interchange acknowledgment at segment 2" in f.message
    assert "TA104 'A'" in f.message
    got = con.execute("select segment_id from raw.x12_segments order by segment_position")
    assert [r[0] for r in got.fetchall()] == ["ISA", "TA1", "IEA"]


def test_a_ta1_inside_a_damaged_transaction_goes_with_it(tmp_path):
    # A TA1 answers an interchange, so it belongs between ISA and GS; one inside a
    # transaction is that transaction's segment: set aside with it, once, not also kept
    # in raw with the envelope (every segment lands exactly once).
    text = (FIXTURES / "999_batch7.999").read_text()
    se = text.index("SE*8*0001")
    text = text[:se] + "TA1*000000001*260312*0915*A*000~" + text[se:].split("~", 1)[1]
    (tmp_path / "inbox" / "acknowledgments").mkdir(parents=True)
    (tmp_path / "inbox" / "acknowledgments" / "ta1_inside.999").write_text(text)
    con = duckdb.connect()
    (f,) = load_inbox(tmp_path / "inbox", con).files
    assert "TA1 interchange acknowledgment" not in f.message
    stored = con.execute("select segment_position from raw.x12_segments").fetchall()
    aside = con.execute("select segment_position from raw.quarantine").fetchall()
    positions = sorted(p for (p,) in stored + aside)
    assert positions == list(range(1, len(_segments(text)) + 1))
    assert con.execute(
        "select count(*) from raw.quarantine where raw_record like 'TA1*%'"
    ).fetchone() == (1,)


def test_a_truncated_acknowledgment_loses_nothing_else(tmp_path):
    text = (FIXTURES / "277ca_batch0610.txt").read_text()
    cut = text.index("HL*3*2*19*1~\nNM1*85*2*PAIN CENTER*****XX*1234567893~\nTRN*1*0~\nSTC*A3")
    (tmp_path / "inbox" / "acknowledgments").mkdir(parents=True)
    (tmp_path / "inbox" / "acknowledgments" / "cut.txt").write_text(text[:cut])
    con = duckdb.connect()
    (f,) = load_inbox(tmp_path / "inbox", con).files
    assert f.status == "loaded_with_quarantine"
    assert "has no SE trailer" in f.message
    assert con.execute(
        "select transaction_control_number from raw.x12_transactions"
    ).fetchall() == [("0001",)]
    # every segment is somewhere: loaded or set aside
    kept = con.execute(
        "select count(*) from (select segment_position from raw.x12_segments"
        " union all select segment_position from raw.quarantine)"
    ).fetchone()[0]
    assert kept == len(_segments(text[:cut]))


def test_garbage_in_the_acknowledgments_folder_is_rejected_whole(tmp_path):
    (tmp_path / "inbox" / "acknowledgments").mkdir(parents=True)
    (tmp_path / "inbox" / "acknowledgments" / "junk.txt").write_text("hello, not X12\n")
    con = duckdb.connect()
    (f,) = load_inbox(tmp_path / "inbox", con).files
    assert (f.kind, f.status) == ("acknowledgments", "rejected")
    ((reason, raw),) = con.execute("select reason, raw_record from raw.quarantine").fetchall()
    assert "not an X12 file" in reason and raw == "hello, not X12\n"


def test_an_835_is_not_taken_for_an_acknowledgment():
    era = (Path(__file__).parent / "fixtures" / "x12" / "era_5010_bcbs.835").read_bytes()
    assert not holds_acknowledgment(era)
    assert holds_acknowledgment((FIXTURES / "999_batch1.999").read_bytes())
    assert holds_acknowledgment((FIXTURES / "ta1_only.txt").read_bytes())


def test_same_file_twice_loads_once(tmp_path):
    con, _ = _load(tmp_path, {"999_batch1.999": "acknowledgments"})
    again = load_inbox(tmp_path / "inbox", con).files
    assert [f.status for f in again] == ["duplicate"]
    data = (FIXTURES / "999_batch1.999").read_bytes()
    plan = plan_acknowledgment_file(data, "x", hashlib.sha256(data).hexdigest())
    assert plan.rows_loaded == len(_segments(data.decode()))
    assert con.execute("select count(*) from raw.x12_segments").fetchone()[0] == plan.rows_loaded


@pytest.mark.parametrize("name", [*ACKS, "ta1_only.txt"])
def test_fixture_is_what_pyx12_accepts(name):
    if name == "277_claim_status.txt":
        pytest.skip("pyx12 has no map for the 005010X212 277 (the fixture is that other guide)")
    import pyx12.params
    import pyx12.x12n_document

    assert pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=str(FIXTURES / name), fd_997=None, fd_html=None
    )
