"""Walking an inbox: order, content-hash dedup, one transaction per file (ingest/inbox.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest import inbox as inbox_module
from ingest.inbox import load_inbox
from ingest.raw_tables import ensure_raw_tables
from ingest.schemas import INBOX_FOLDERS, X12_FOLDERS

FIXTURE_INBOX = Path(__file__).parent / "fixtures" / "csv" / "inbox"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    shutil.copytree(FIXTURE_INBOX, root)
    (root / "claims" / ".DS_Store").write_bytes(b"\x00\x01")
    (root / ".hidden_top").write_text("x")
    return root


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def raw_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every raw table, rows sorted, without the columns that differ between runs."""
    names = [
        n
        for (n,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
        ).fetchall()
    ]
    return {n: con.execute(f"select * from raw.{n} order by all").fetchall() for n in names}


def statuses(report) -> list[tuple[str, str, str]]:
    return [(f.kind, f.file_name, f.status) for f in report.files]


def test_an_inbox_loads_in_folder_then_file_name_order(inbox, con):
    seen: list[Path] = []
    report = load_inbox(inbox, con, progress=seen.append)

    assert statuses(report) == [
        ("", "README.txt", "ignored"),
        ("", "misc", "ignored"),
        ("payers", "payers_2026-06-01.csv", "loaded"),
        ("providers", "providers_2026-06-01.csv", "loaded"),
        ("appointments", "appointments_2026-06-01.csv", "loaded_with_quarantine"),
        ("claims", "claims_2026-06-01.csv", "loaded_with_quarantine"),
        ("claims", "claims_2026-06-29.csv", "loaded"),
        ("claims", "export_notes.txt", "ignored"),
        ("ledger", "ledger_2026-06-20.csv", "loaded"),
        ("procedure_notes", "procedure_notes_2026-06-01.csv", "loaded_with_quarantine"),
    ]
    assert [p.relative_to(inbox).as_posix() for p in seen] == [
        "payers/payers_2026-06-01.csv",
        "providers/providers_2026-06-01.csv",
        "appointments/appointments_2026-06-01.csv",
        "claims/claims_2026-06-01.csv",
        "claims/claims_2026-06-29.csv",
        "ledger/ledger_2026-06-20.csv",
        "procedure_notes/procedure_notes_2026-06-01.csv",
    ]
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (7, 10, 3)
    misc = report.files[1]
    assert misc.message.startswith("unknown inbox folder; known: payers, fee_schedules")

    # Every kind has its table, delivered or not.
    tables = raw_tables(con)
    assert set(INBOX_FOLDERS) - set(X12_FOLDERS) <= set(tables)
    assert tables["fee_schedules"] == []
    assert len(tables["load_log"]) == 7

    # The corrected claim line sits beside the first version, the newer file loaded later.
    assert con.execute(
        "select charge_amount, modifiers, _file_name, _extra_columns from raw.claims "
        "where claim_id = 'C100' and line_number = '1' order by _loaded_at"
    ).fetchall() == [
        ("1200.00", None, "claims_2026-06-01.csv", None),
        ("1300.00", "50", "claims_2026-06-29.csv", '{"resubmission_code":"7"}'),
    ]
    assert con.execute("select reason from raw.quarantine where kind = 'claims'").fetchall() == [
        (
            "row 3: charge_amount '$980' is not a plain decimal amount like 1234.50 "
            "(no $, commas or exponent)",
        )
    ]
    # The BOM is gone from the first header name; codes keep their leading zeros.
    assert con.execute("select npi from raw.providers order by 1").fetchall() == [
        ("1234567893",),
        ("1245319599",),
    ]
    assert con.execute("select x12_payer_id from raw.payers order by 1").fetchall() == [
        ("04412",),
        ("60054",),
    ]
    notes = con.execute("select note_text from raw.procedure_notes").fetchall()
    assert notes == [
        (
            'Left L4-L5 TFESI under fluoroscopy, 3.5" spinal needle.\n'
            "Patient tolerated well. PHI-MARKER-1",
        )
    ]
    messages = con.execute(
        "select reason from raw.quarantine union all select message from raw.load_log"
    ).fetchall()
    assert not [m for (m,) in messages if m and "PHI-MARKER" in m]


def test_ingesting_the_same_inbox_twice_changes_nothing(inbox, con):
    load_inbox(inbox, con)
    before = raw_tables(con)
    again = load_inbox(inbox, con)

    loadable = [f for f in again.files if f.status != "ignored"]
    assert loadable and {f.status for f in loadable} == {"duplicate"}
    assert again.files_loaded == 0
    assert again.files[2].message == (
        "same content as payers_2026-06-01.csv (already processed: loaded)"
    )
    assert raw_tables(con) == before


def test_a_copy_under_another_name_loads_once(inbox, con):
    claims = inbox / "claims"
    shutil.copy(claims / "claims_2026-06-01.csv", claims / "claims_2026-06-02.csv")
    report = load_inbox(inbox, con)
    by_name = {f.file_name: f for f in report.files}
    assert by_name["claims_2026-06-02.csv"].status == "duplicate"
    assert by_name["claims_2026-06-02.csv"].message == (
        "same content as claims_2026-06-01.csv (already processed: loaded_with_quarantine)"
    )
    assert con.execute(
        "select count(*) from raw.load_log where file_name like 'claims_%'"
    ).fetchone() == (2,)


def test_a_rejected_file_is_not_retried(tmp_path, con):
    root = tmp_path / "inbox"
    (root / "claims").mkdir(parents=True)
    (root / "claims" / "claims_bad.CSV").write_text("claim_id,line_number\nC1,1\n")
    first = load_inbox(root, con)
    second = load_inbox(root, con)
    assert statuses(first) == [("claims", "claims_bad.CSV", "rejected")]
    assert statuses(second) == [("claims", "claims_bad.CSV", "duplicate")]
    assert con.execute("select count(*) from raw.quarantine").fetchone() == (1,)


def test_a_crash_mid_file_leaves_none_of_its_rows(inbox, con, monkeypatch):
    # A kind's files are written together in one transaction: a crash after its rows were
    # inserted (disk full at the load_log row, say) leaves none of that kind's rows.
    real = inbox_module.write_csv_plans

    def crash_after_writing(con, plans):
        real(con, plans)
        if any(plan.result.kind == "claims" for plan in plans):
            assert con.execute("select count(*) from raw.claims").fetchone()[0] > 0
            raise RuntimeError("disk full")

    monkeypatch.setattr(inbox_module, "write_csv_plans", crash_after_writing)
    with pytest.raises(RuntimeError, match="disk full") as caught:
        load_inbox(inbox, con)
    assert any("claims_2026-06-01.csv" in note for note in caught.value.__notes__)
    assert con.execute("select count(*) from raw.claims").fetchone() == (0,)
    assert con.execute("select count(*) from raw.quarantine where kind = 'claims'").fetchone() == (
        0,
    )
    logged = con.execute("select kind from raw.load_log order by loaded_at").fetchall()
    assert logged == [("payers",), ("providers",), ("appointments",)]

    # The next run picks the file up again: nothing of it was recorded.
    monkeypatch.setattr(inbox_module, "write_csv_plans", real)
    report = load_inbox(inbox, con)
    assert ("claims", "claims_2026-06-01.csv", "loaded_with_quarantine") in statuses(report)


def test_a_missing_inbox_is_a_clear_error(tmp_path, con):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="inbox folder not found: .*nowhere"):
        load_inbox(missing, con)
    a_file = tmp_path / "file.csv"
    a_file.write_text("x")
    with pytest.raises(FileNotFoundError):
        load_inbox(a_file, con)


def test_an_empty_inbox_still_creates_every_raw_table(tmp_path, con):
    (tmp_path / "inbox").mkdir()
    report = load_inbox(tmp_path / "inbox", con)
    assert report.files == []
    tables = raw_tables(con)
    csv_kinds = [k for k in INBOX_FOLDERS if k not in X12_FOLDERS]
    for name in (*csv_kinds, "load_log", "quarantine", "x12_segments"):
        assert tables[name] == []


def _isa(control: str) -> str:
    fields = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "PAYERID".ljust(15),
        "ZZ",
        "PRACTICE".ljust(15),
        "260701",
        "1200",
        "^",
        "00501",
        control,
        "0",
        "P",
        ":",
    ]
    return "*".join(fields)


TINY_835 = (
    "~\n".join(
        [
            _isa("000000001"),
            "GS*HP*PAYERID*PRACTICE*20260701*1200*1*X*005010X221A1",
            "ST*835*0001",
            "BPR*I*100.00*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*98765*20260701",
            "TRN*1*12345*1512345678",
            "N1*PR*PAYER",
            "N1*PE*PRACTICE*XX*1234567893",
            "CLP*C100*1*150.00*100.00**12*ICN1",
            "SVC*HC:64483*150.00*100.00**1",
            "SE*8*0001",
            "GE*1*1",
            "IEA*1*000000001",
        ]
    )
    + "~\n"
)


def test_remits_load_once_whatever_their_extension(tmp_path, con):
    pytest.importorskip("ingest.remits")
    root = tmp_path / "inbox"
    (root / "remits").mkdir(parents=True)
    (root / "remits" / "era_2026-07-01.835").write_text(TINY_835)
    (root / "remits" / "era_copy.txt").write_text(TINY_835)
    (root / "remits" / ".DS_Store").write_bytes(b"\x00")
    ensure_raw_tables(con)

    first = load_inbox(root, con)
    assert [f.file_name for f in first.files] == ["era_2026-07-01.835", "era_copy.txt"]
    assert first.files[0].status in ("loaded", "flagged")
    assert first.files[1].status == "duplicate"
    assert con.execute("select count(*) from raw.load_log").fetchone() == (1,)
    assert con.execute("select count(*) from raw.x12_segments").fetchone()[0] == 12
    before = raw_tables(con)
    second = load_inbox(root, con)
    assert {f.status for f in second.files} == {"duplicate"}
    assert raw_tables(con) == before


def test_links_leading_out_of_the_inbox_are_not_followed(inbox, con, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(inbox / "ledger", elsewhere)  # another practice's ledger
    (inbox / "ledger").symlink_to(elsewhere, target_is_directory=True)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (inbox / "claims" / "claims_2026-07-01.csv").symlink_to(secret)
    (inbox / "payers.csv").symlink_to(secret)
    # a link that stays inside the inbox is an ordinary (here: duplicate) file
    (inbox / "claims" / "claims_2026-07-02.csv").symlink_to(
        inbox / "claims" / "claims_2026-06-29.csv"
    )

    report = load_inbox(inbox, con)
    outside = [(f.kind, f.file_name, f.status) for f in report.files if "outside" in f.message]
    assert outside == [
        ("", "payers.csv", "ignored"),
        ("claims", "claims_2026-07-01.csv", "ignored"),
        ("ledger", "ledger/", "ignored"),
    ]
    assert all(
        "symbolic link leading outside the inbox: not followed" in line
        for line in report.summary_lines()
        if "07-01" in line or "ledger/" in line
    )
    assert con.execute("select count(*) from raw.ledger").fetchone() == (0,)
    loaded = {n for (n,) in con.execute("select file_name from raw.load_log").fetchall()}
    assert "claims_2026-07-01.csv" not in loaded and "ledger_2026-06-20.csv" not in loaded
    texts = con.execute("select raw_record from raw.quarantine").fetchall()
    assert not [t for (t,) in texts if t and "root:x" in t]
    dup = next(f for f in report.files if f.file_name == "claims_2026-07-02.csv")
    assert dup.status == "duplicate"


def test_an_inbox_that_is_itself_a_link_loads(inbox, con, tmp_path):
    link = tmp_path / "pm-exports"
    link.symlink_to(inbox, target_is_directory=True)
    report = load_inbox(link, con)
    assert report.files_loaded == 7
    assert not [f for f in report.files if "outside" in f.message]


# --- a re-run reads only what changed (ingest/known_files.py) ---------------------------


def settle(root: Path, seconds_ago: int = 3600) -> None:
    """Date every file of the inbox back, as extracts delivered before the night's run are."""
    import os
    import time

    moment = time.time() - seconds_ago
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (moment, moment))


def reads(monkeypatch) -> list[str]:
    """The files ingest reads from now on (by name), through the one reading function."""
    read: list[str] = []
    real = inbox_module._read

    def spy(path: Path) -> bytes:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(inbox_module, "_read", spy)
    return read


def test_a_rerun_on_an_unchanged_inbox_reads_no_file(inbox, con, monkeypatch):
    (inbox / "remits").mkdir()
    (inbox / "remits" / "era_2026-07-01.835").write_text(TINY_835)
    settle(inbox)
    first = load_inbox(inbox, con)
    before = raw_tables(con)
    logged = con.execute("select count(*), count(file_mtime_ns) from raw.load_log").fetchone()
    assert logged == (8, 8)

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(inbox_module, "_read", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    again = load_inbox(inbox, con)

    loadable = [f for f in again.files if f.status != "ignored"]
    assert len(loadable) == 8 and {f.status for f in loadable} == {"duplicate"}
    # The same answer a hash gives: the logged hash and the first load named.
    assert [f.file_sha256 for f in loadable] == [
        f.file_sha256 for f in first.files if f.status != "ignored"
    ]
    assert again.files[2].message == (
        "same content as payers_2026-06-01.csv (already processed: loaded)"
    )
    assert raw_tables(con) == before


def test_a_file_changed_in_place_to_the_same_size_is_read_again(inbox, con, monkeypatch):
    import os

    settle(inbox)
    load_inbox(inbox, con)
    path = inbox / "claims" / "claims_2026-06-29.csv"
    text = path.read_text()
    assert "1300.00" in text
    stat = path.stat()
    path.write_text(text.replace("1300.00", "1400.00"))  # a corrected charge, same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == stat.st_size

    read = reads(monkeypatch)
    again = load_inbox(inbox, con)
    assert read == ["claims_2026-06-29.csv"]
    by_name = {f.file_name: f.status for f in again.files}
    assert by_name["claims_2026-06-29.csv"] == "loaded"
    assert con.execute(
        "select charge_amount from raw.claims where claim_id = 'C100' and line_number = '1' "
        "order by _loaded_at"
    ).fetchall() == [("1200.00",), ("1300.00",), ("1400.00",)]


def test_the_same_size_and_mtime_under_another_path_is_read(inbox, con, monkeypatch):
    settle(inbox)
    load_inbox(inbox, con)
    moved = inbox.parent / "moved"
    inbox.rename(moved)  # same files, same sizes and mtimes, another path
    read = reads(monkeypatch)
    again = load_inbox(moved, con)
    assert {f.status for f in again.files if f.status != "ignored"} == {"duplicate"}
    assert len(read) == 7


def test_a_file_written_just_before_the_load_is_read_again(tmp_path, con, monkeypatch):
    root = tmp_path / "inbox"
    shutil.copytree(FIXTURE_INBOX, root)
    settle(root)
    fresh = root / "ledger" / "ledger_2026-06-20.csv"
    fresh.write_bytes(fresh.read_bytes())  # mtime now: it may still be changing
    load_inbox(root, con)
    read = reads(monkeypatch)
    load_inbox(root, con)
    assert read == ["ledger_2026-06-20.csv"]


def _lasting(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every raw table's rows, sorted, without the columns a load time or id is in."""
    out = {}
    for (table,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'"
    ).fetchall():
        cols = [
            f'"{c}"'
            for (c,) in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            if c not in ("_loaded_at", "loaded_at", "quarantined_at", "load_id")
        ]
        sql = f"select {', '.join(cols)} from raw.{table} order by all"
        out[table] = con.execute(sql).fetchall()
    return out


def test_x12_files_planned_in_worker_processes_load_as_in_one(tmp_path, monkeypatch):
    """The X12 files of an inbox are planned in forked workers on a large delivery: the
    raw tables, load report and load log come out as when each is planned in turn, bad
    files, duplicates, a re-delivered remittance and 837s dropped among the 835s included."""
    from ingest import x12_route

    fixtures = Path(__file__).parent / "fixtures"
    root = tmp_path / "inbox"
    remits, claims = root / "remits", root / "claims_837"
    remits.mkdir(parents=True)
    claims.mkdir()
    for folder in ("x12", "x12_edges"):
        for f in sorted((fixtures / folder).iterdir()):
            if f.is_file():
                shutil.copy(f, remits / f"{folder}_{f.name}")
    for f in sorted((fixtures / "x12_837").iterdir()):
        if f.is_file():
            shutil.copy(f, claims / f.name)
    # a byte-identical copy later in the folder is a duplicate of the first
    shutil.copy(fixtures / "x12" / "era_5010_bcbs.835", remits / "zz_copy.835")
    # the same remittance again, re-wrapped: a re-delivery of the first copy
    text = (fixtures / "x12" / "era_5010_bcbs.835").read_text()
    (remits / "zz_rewrapped.835").write_text(text.replace("~", "~\n"))

    def load(workers: int):
        monkeypatch.setattr(x12_route, "workers_for", lambda files, size: workers)
        con = duckdb.connect(str(tmp_path / f"w{workers}.duckdb"))
        report = load_inbox(root, con)
        return con, [
            (f.kind, f.file_name, f.status, f.rows_loaded, f.message) for f in report.files
        ]

    serial, serial_report = load(0)
    forked, forked_report = load(2)
    assert forked_report == serial_report
    assert _lasting(forked) == _lasting(serial)
    by_name = {name: status for _k, name, status, _n, _m in forked_report}
    assert by_name["zz_copy.835"] == "duplicate"
    assert any("re-delivery" in m for _k, n, _s, _n, m in forked_report if n == "zz_rewrapped.835")
    assert len({s for s in by_name.values()}) >= 4  # loaded, rejected, flagged, duplicate, ...
    segments = forked.execute("select count(*) from raw.x12_segments").fetchone()[0]
    assert segments > 100
