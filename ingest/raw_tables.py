"""DDL of every raw.* table (see docs/ARCHITECTURE.md, "Raw layer").

The tables are created before any load so that a kind never delivered is an empty table
and dbt sources always resolve.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from ingest.schemas import EXTRACTS

LINEAGE_COLUMNS = (
    "_extra_columns VARCHAR, _file_name VARCHAR, _file_sha256 VARCHAR, "
    "_row_number INTEGER, _loaded_at TIMESTAMP"
)

OPERATIONAL_DDL = {
    "load_log": """
        load_id VARCHAR, kind VARCHAR, file_name VARCHAR, file_path VARCHAR,
        file_sha256 VARCHAR, file_bytes BIGINT, rows_loaded INTEGER, rows_quarantined INTEGER,
        status VARCHAR, message VARCHAR, extra_columns VARCHAR, loaded_at TIMESTAMP,
        map_sha256 VARCHAR, map_source VARCHAR, file_mtime_ns BIGINT
    """,
    "quarantine": """
        kind VARCHAR, file_name VARCHAR, file_sha256 VARCHAR, row_number INTEGER,
        segment_position INTEGER, reason VARCHAR, raw_record VARCHAR, quarantined_at TIMESTAMP
    """,
    # raw.x12_segments is a view over these two (X12_SEGMENTS_VIEW): a segment is stored
    # once, with the number of its context; a context (a transaction, or an interchange's
    # or group's envelope) holds the lineage and control numbers its segments share.
    "x12_segment_rows": """
        context_key BIGINT, segment_position INTEGER, segment_id VARCHAR,
        segment_text VARCHAR, clp_position INTEGER, svc_position INTEGER
    """,
    "x12_segment_contexts": """
        context_key BIGINT PRIMARY KEY, file_name VARCHAR, file_sha256 VARCHAR,
        transaction_id VARCHAR, interchange_control_number VARCHAR, group_control_number VARCHAR,
        transaction_control_number VARCHAR, element_separator VARCHAR,
        component_separator VARCHAR, _loaded_at TIMESTAMP
    """,
    "x12_transactions": """
        transaction_id VARCHAR, file_name VARCHAR, file_sha256 VARCHAR,
        interchange_control_number VARCHAR, group_control_number VARCHAR,
        transaction_control_number VARCHAR, transaction_set_id VARCHAR, version VARCHAR,
        sender_id VARCHAR, receiver_id VARCHAR, first_segment_position INTEGER,
        last_segment_position INTEGER, se_declared_count INTEGER, segment_count INTEGER,
        se_count_ok BOOLEAN, bpr_amount DECIMAL(18,2), clp_paid_total DECIMAL(18,2),
        plb_total DECIMAL(18,2), bpr_balanced BOOLEAN, status VARCHAR, message VARCHAR,
        _loaded_at TIMESTAMP, envelope_ok BOOLEAN, remittance_key VARCHAR,
        redelivery_of VARCHAR
    """,
    "run_history": """
        run_id VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP, status VARCHAR,
        as_of_date DATE, files_loaded INTEGER, rows_loaded BIGINT, rows_quarantined BIGINT,
        dbt_nodes_passed INTEGER, dbt_nodes_failed INTEGER, failing_nodes VARCHAR,
        message VARCHAR, ingest_seconds DOUBLE, dbt_models_seconds DOUBLE,
        dbt_tests_seconds DOUBLE, publish_seconds DOUBLE
    """,
}


# raw.load_log in column order; inserts name them, so a column added later breaks none.
LOAD_LOG_COLUMNS = (
    "load_id",
    "kind",
    "file_name",
    "file_path",
    "file_sha256",
    "file_bytes",
    "rows_loaded",
    "rows_quarantined",
    "status",
    "message",
    "extra_columns",
    "loaded_at",
    "map_sha256",  # the column map (inbox/_maps/<kind>.yml) the file was read through
    "map_source",  # that map's `source` text
)
# Columns added after a table's first release: a warehouse created before gets them here.
ADDED_COLUMNS = {
    # file_mtime_ns: the file's mtime before it was read (ingest/known_files.py)
    "load_log": ("map_sha256 VARCHAR", "map_source VARCHAR", "file_mtime_ns BIGINT"),
    "x12_transactions": (
        "envelope_ok BOOLEAN",
        "remittance_key VARCHAR",
        "redelivery_of VARCHAR",
    ),
    # Seconds per phase of a `painrcm run` (painrcm/runner.py)
    "run_history": (
        "ingest_seconds DOUBLE",
        "dbt_models_seconds DOUBLE",
        "dbt_tests_seconds DOUBLE",
        "publish_seconds DOUBLE",
    ),
}


# Every segment of every loaded X12 file with its lineage, as dbt sources, staging and tools
# read it (docs/ARCHITECTURE.md, "raw.x12_segments"). `elements` is split here, at read
# time: DuckDB pushes a reader's filters (a segment id, a transaction) below the split, so
# only the rows read are split, and the warehouse holds each segment's text once.
X12_SEGMENTS_VIEW = """
    create or replace view raw.x12_segments as
    select
        c.file_name,
        c.file_sha256,
        c.transaction_id,
        c.interchange_control_number,
        c.group_control_number,
        c.transaction_control_number,
        s.segment_position,
        s.segment_id,
        s.segment_text,
        string_split(s.segment_text, c.element_separator)[2:] as elements,
        c.component_separator,
        s.clp_position,
        s.svc_position,
        c._loaded_at
    from raw.x12_segment_rows as s
    inner join raw.x12_segment_contexts as c on s.context_key = c.context_key
"""
# The tables behind the view: an export of raw (Spark) takes the view instead.
X12_SEGMENT_STORAGE = ("x12_segment_rows", "x12_segment_contexts")


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and every raw table that does not exist yet."""
    con.execute("create schema if not exists raw")
    _store_x12_segments_by_context(con)
    for kind, spec in EXTRACTS.items():
        cols = ", ".join(f'"{c.name}" VARCHAR' for c in spec.columns)
        con.execute(f"create table if not exists raw.{kind} ({cols}, {LINEAGE_COLUMNS})")
    for name, cols in OPERATIONAL_DDL.items():
        con.execute(f"create table if not exists raw.{name} ({cols})")
    for name, cols in ADDED_COLUMNS.items():
        for col in cols:
            con.execute(f"alter table raw.{name} add column if not exists {col}")
    con.execute(X12_SEGMENTS_VIEW)


def _store_x12_segments_by_context(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse written before raw.x12_segments became a view holds it as a table with
    the lineage on every row: move its rows into the two storage tables and put the view
    in its place, in one transaction that rolls back unless the view reads exactly the
    former rows. One way: an older painrcm cannot write to the moved warehouse."""
    kind = con.execute(
        "select table_type from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'x12_segments'"
    ).fetchall()
    if kind != [("BASE TABLE",)]:
        return
    with joined_transaction(con):
        _move_x12_segments(con)


# What a context was on the former table's rows (the separators are per context, below).
_CONTEXT_COLUMNS = (
    "file_name",
    "file_sha256",
    "transaction_id",
    "interchange_control_number",
    "group_control_number",
    "transaction_control_number",
    "component_separator",
    "_loaded_at",
)


def _move_x12_segments(con: duckdb.DuckDBPyConnection) -> None:
    for name in X12_SEGMENT_STORAGE:
        con.execute(f"create table if not exists raw.{name} ({OPERATIONAL_DDL[name]})")
    keys = ", ".join(_CONTEXT_COLUMNS)
    # The former rows kept `elements` (split at the interchange's element separator), not
    # the separator: it is the character after the segment id, in any segment with
    # elements. Two interchanges of one file may share every column above and differ only
    # in it, so it is part of the context; a segment without elements ([] whatever the
    # separator) goes to the first context of its columns.
    former = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'x12_segments' order by ordinal_position"
        ).fetchall()
    ]
    con.execute(
        """
        create temp table _x12_former as
        select
            *,
            case when length(segment_text) > length(segment_id)
                then substr(segment_text, length(segment_id) + 1, 1)
            end as element_separator
        from raw.x12_segments
        """
    )
    con.execute(
        f"""
        create temp table _x12_contexts as
        with separators as (
            select {keys}, element_separator from _x12_former
            where element_separator is not null
            group by all
        ),
        without_elements as (
            select {keys}, '*' as element_separator from _x12_former
            group by all
            having count(element_separator) = 0
        ),
        contexts as (
            select * from separators
            union all
            select * from without_elements
        )
        select
            row_number() over (order by {keys}, element_separator)
                + (select coalesce(max(context_key), 0) from raw.x12_segment_contexts)
                as context_key,
            *
        from contexts
        """
    )
    con.execute("insert into raw.x12_segment_contexts by name select * from _x12_contexts")

    def same_columns(alias: str) -> str:
        return " and ".join(f"s.{k} is not distinct from {alias}.{k}" for k in _CONTEXT_COLUMNS)

    con.execute(
        f"""
        insert into raw.x12_segment_rows
        select
            coalesce(exact.context_key, first_of.context_key),
            s.segment_position, s.segment_id, s.segment_text, s.clp_position, s.svc_position
        from _x12_former as s
        left join _x12_contexts as exact
            on {same_columns("exact")} and s.element_separator = exact.element_separator
        left join (
            select {keys}, min(context_key) as context_key from _x12_contexts group by all
        ) as first_of
            on {same_columns("first_of")}
        """
    )
    con.execute("drop table raw.x12_segments")
    con.execute(X12_SEGMENTS_VIEW)
    # The view must read exactly the former rows (elements included), or nothing moves.
    columns = ", ".join(f'"{name}"' for name in former)
    ((differ,),) = con.execute(
        f"""
        select count(*) from (
            (select {columns} from _x12_former
             except all select {columns} from raw.x12_segments)
            union all
            (select {columns} from raw.x12_segments
             except all select {columns} from _x12_former)
        )
        """
    ).fetchall()
    if differ:
        raise RuntimeError(
            f"raw.x12_segments not moved: {differ} row(s) would read differently; "
            "the warehouse is left as it was"
        )
    con.execute("drop table _x12_former")
    con.execute("drop table _x12_contexts")


@contextmanager
def joined_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The caller's transaction if one is open, else one of its own: committed when the
    block ends, rolled back when it raises."""
    own = begin_unless_open(con)
    try:
        yield
        if own:
            con.commit()
    except BaseException:
        if own:
            con.rollback()
        raise


def begin_unless_open(con: duckdb.DuckDBPyConnection) -> bool:
    """Open a transaction unless the caller already has one (DuckDB cannot nest them);
    True when this call opened it.

    A failed BEGIN would abort the caller's transaction, so it is detected instead: in
    autocommit mode every statement gets a fresh transaction id, inside one they repeat.
    """
    txid = "select txid_current()"
    if con.execute(txid).fetchall() == con.execute(txid).fetchall():
        return False
    con.begin()
    return True


def insert_arrow(con: duckdb.DuckDBPyConnection, sql: str, rows: pa.Table) -> None:
    """Run `sql`, an insert reading the Arrow table `rows` as `_rows`. DuckDB finds it by its
    Python name in this frame (a replacement scan): a millisecond a table less than
    con.register + con.unregister (the X12 and CSV writes insert five or more tables)."""
    _rows = rows  # noqa: F841 (read by DuckDB by name)
    con.execute(sql)
