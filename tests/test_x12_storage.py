"""How X12 segments are stored (ingest/raw_tables.py): each segment once, with the number of
its context; raw.x12_segments is the view that gives every reader the per-segment columns.

The view must read exactly what the former table held, for files loaded today and for a
warehouse written before the change (moved over by ensure_raw_tables).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.acknowledgments import load_acknowledgment_file
from ingest.claims_837 import load_claims_837_file
from ingest.raw_tables import X12_SEGMENT_STORAGE, ensure_raw_tables
from ingest.remits import load_remit_file

FIXTURES = Path(__file__).parent / "fixtures"
LOADED_AT = datetime(2026, 3, 30, 8, 0, 0)
# One file of each X12 kind, and files with several interchanges, groups and transactions
# and a damaged transaction (set aside: its segments are in quarantine, not in the view).
FILES = [
    (load_remit_file, "x12/era_5010_bcbs.835"),
    (load_remit_file, "x12/two_interchanges.x12"),
    (load_remit_file, "x12/multi_st.edi"),
    (load_remit_file, "x12/truncated.835"),
    (load_remit_file, "x12/medicare_4010.txt"),
    (load_claims_837_file, "x12_837/two_transactions.837"),
    (load_acknowledgment_file, "x12_acks/999_batch1.999"),
    (load_acknowledgment_file, "x12_acks/277ca_batch1a.txt"),
]
SEGMENT_COLUMNS = [
    ("file_name", "VARCHAR"),
    ("file_sha256", "VARCHAR"),
    ("transaction_id", "VARCHAR"),
    ("interchange_control_number", "VARCHAR"),
    ("group_control_number", "VARCHAR"),
    ("transaction_control_number", "VARCHAR"),
    ("segment_position", "INTEGER"),
    ("segment_id", "VARCHAR"),
    ("segment_text", "VARCHAR"),
    ("elements", "VARCHAR[]"),
    ("component_separator", "VARCHAR"),
    ("clp_position", "INTEGER"),
    ("svc_position", "INTEGER"),
    ("_loaded_at", "TIMESTAMP"),
]


def _load(con, files) -> None:
    for load, name in files:
        data = (FIXTURES / name).read_bytes()
        result = load(con, FIXTURES / name, data, hashlib.sha256(data).hexdigest(), LOADED_AT)
        assert result.rows_loaded > 0, (name, result)


def _segments(con) -> list[tuple]:
    return con.execute("select * from raw.x12_segments order by all").fetchall()


def test_the_view_has_the_segment_columns_and_each_segment_once(con) -> None:
    _load(con, FILES)
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'x12_segments' order by ordinal_position"
    ).fetchall()
    assert columns == SEGMENT_COLUMNS
    stored = con.execute("select count(*) from raw.x12_segment_rows").fetchone()[0]
    rows = _segments(con)
    assert len(rows) == stored > 0
    # no segment is read twice, whatever file or context it came in
    assert len({(r[1], r[6]) for r in rows}) == len(rows)
    # elements are the text after the id, split at the interchange's element separator
    for r in rows:
        sep = r[8][len(r[7])] if len(r[8]) > len(r[7]) else None
        assert r[9] == (r[8].split(sep)[1:] if sep else []), r[8]
    # lineage is per context, not per segment
    contexts = con.execute("select count(*) from raw.x12_segment_contexts").fetchone()[0]
    assert contexts < stored / 5


def test_context_keys_stay_unique_across_loads(con) -> None:
    _load(con, FILES[:3])
    _load(con, FILES[3:])
    keys = con.execute(
        "select count(*), count(distinct context_key) from raw.x12_segment_contexts"
    ).fetchone()
    assert keys[0] == keys[1] > 0
    one_go = duckdb.connect()
    ensure_raw_tables(one_go)
    _load(one_go, FILES)
    assert _segments(con) == _segments(one_go)


def _as_older_warehouse(con) -> None:
    """Turn the storage back into the former layout: raw.x12_segments a table."""
    con.execute("create table main.before as select * from raw.x12_segments")
    con.execute("drop view raw.x12_segments")
    for name in X12_SEGMENT_STORAGE:
        con.execute(f"drop table raw.{name}")
    con.execute("create table raw.x12_segments as select * from main.before")


def test_an_older_warehouse_is_moved_over_losing_nothing(con) -> None:
    _load(con, FILES[:5])
    _as_older_warehouse(con)
    before = con.execute("select * from main.before order by all").fetchall()

    ensure_raw_tables(con)
    kind = con.execute(
        "select table_type from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'x12_segments'"
    ).fetchall()
    assert kind == [("VIEW",)]
    assert _segments(con) == before
    ensure_raw_tables(con)  # a second call finds nothing to move
    assert _segments(con) == before

    # files loaded after the move get keys of their own
    _load(con, FILES[5:])
    fresh = duckdb.connect()
    ensure_raw_tables(fresh)
    _load(fresh, FILES)
    assert _segments(con) == _segments(fresh)


def test_interchanges_differing_only_in_their_separator_keep_their_elements(con, tmp_path) -> None:
    # Two interchanges of one file with the same ISA13, GS06 and ISA16 (payers that each
    # number from 1, concatenated by a clearinghouse) but different element separators:
    # their envelopes share every lineage column, and only the separator tells them apart.
    text = (FIXTURES / "x12/two_interchanges.x12").read_text()
    text = (
        text.replace("000777002", "000777001")
        .replace("|P|>~", "|P|:~")
        .replace("HC>64483>RT>59", "HC:64483:RT:59")
        .replace("|777002|", "|777001|")
        .replace("GE|1|777002", "GE|1|777001")
    )
    path = tmp_path / "same_numbers.835"
    path.write_text(text)
    data = path.read_bytes()
    result = load_remit_file(con, path, data, hashlib.sha256(data).hexdigest(), LOADED_AT)
    assert result.status == "loaded", result
    _as_older_warehouse(con)
    before = con.execute("select * from main.before order by all").fetchall()
    assert {r[9][0] for r in before if r[7] in ("ISA", "IEA")} == {"00", "1"}

    ensure_raw_tables(con)
    assert _segments(con) == before


def test_a_move_that_would_read_differently_is_refused(con, monkeypatch) -> None:
    import ingest.raw_tables as raw_tables

    _load(con, FILES[:2])
    _as_older_warehouse(con)
    before = con.execute("select * from main.before order by all").fetchall()
    # a view that loses the elements: the move must see it and leave the table as it was
    monkeypatch.setattr(
        raw_tables,
        "X12_SEGMENTS_VIEW",
        raw_tables.X12_SEGMENTS_VIEW.replace(
            "string_split(s.segment_text, c.element_separator)[2:]", "[]::varchar[]"
        ),
    )
    with pytest.raises(RuntimeError, match="would read differently"):
        ensure_raw_tables(con)
    assert con.execute("select * from raw.x12_segments order by all").fetchall() == before


def test_a_failed_move_leaves_the_older_table_as_it_was(con, monkeypatch) -> None:
    import ingest.raw_tables as raw_tables

    _load(con, FILES[:2])
    _as_older_warehouse(con)
    before = con.execute("select * from main.before order by all").fetchall()

    def fail(c) -> None:
        c.execute("create table raw.x12_segment_contexts (context_key bigint)")
        c.execute("insert into raw.x12_segment_contexts values (1)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(raw_tables, "_move_x12_segments", fail)
    with pytest.raises(RuntimeError):
        ensure_raw_tables(con)
    assert con.execute("select * from raw.x12_segments order by all").fetchall() == before
    monkeypatch.undo()
    ensure_raw_tables(con)
    assert _segments(con) == before
