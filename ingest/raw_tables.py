"""DDL of every raw.* table (see docs/ARCHITECTURE.md, "Raw layer").

The tables are created before any load so that a kind never delivered is an empty table
and dbt sources always resolve.
"""

from __future__ import annotations

import duckdb

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
    "x12_segments": """
        file_name VARCHAR, file_sha256 VARCHAR, transaction_id VARCHAR,
        interchange_control_number VARCHAR, group_control_number VARCHAR,
        transaction_control_number VARCHAR, segment_position INTEGER, segment_id VARCHAR,
        segment_text VARCHAR, elements VARCHAR[], component_separator VARCHAR,
        clp_position INTEGER, svc_position INTEGER, _loaded_at TIMESTAMP
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


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and every raw table that does not exist yet."""
    con.execute("create schema if not exists raw")
    for kind, spec in EXTRACTS.items():
        cols = ", ".join(f'"{c.name}" VARCHAR' for c in spec.columns)
        con.execute(f"create table if not exists raw.{kind} ({cols}, {LINEAGE_COLUMNS})")
    for name, cols in OPERATIONAL_DDL.items():
        con.execute(f"create table if not exists raw.{name} ({cols})")
    for name, cols in ADDED_COLUMNS.items():
        for col in cols:
            con.execute(f"alter table raw.{name} add column if not exists {col}")
