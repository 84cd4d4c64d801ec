"""Every query the dashboards run: parameterised SQL over marts.* (and, for Data health, the
operational raw tables OUTPUTS.md names), cached briefly, one fresh read-only connection per
query.

A held connection would pin the old warehouse inode and make a build's work invisible; a new
connection per query opens whatever file `painrcm build` last published (os.replace). The
cache key includes the file's inode and mtime, so a freshly published build is read at once
and the ttl only bounds memory.

Filters travel as a `Filters` value: column -> allowed values (IN), and column -> (low, high)
ranges. Column names are checked against the mart's real columns before they reach SQL;
values are always bound parameters. Aggregation happens here, in SQL; detail rows come a page
at a time (LIMIT/OFFSET), never a whole mart.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from painrcm.export import MART_ORDER, OPERATIONAL_TABLES

TTL_SECONDS = 30

# Tables the app may read: the marts, and the operational tables of OUTPUTS.md's last section.
RAW_TABLES = OPERATIONAL_TABLES


def warehouse_path() -> Path:
    """The warehouse given to `painrcm serve` (`-- --warehouse PATH`), else $PAINRCM_WAREHOUSE."""
    argv = sys.argv
    for i, arg in enumerate(argv):
        if arg == "--warehouse" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--warehouse="):
            return Path(arg.split("=", 1)[1])
    env = os.environ.get("PAINRCM_WAREHOUSE")
    if env:
        return Path(env)
    raise FileNotFoundError(
        "no warehouse given: start the app with `painrcm serve --warehouse PATH`"
    )


def _version(path: Path) -> tuple[str, int, int]:
    """Identity of the published file: changes when a build swaps a new one in."""
    stat = path.stat()
    return (str(path.resolve()), stat.st_ino, stat.st_mtime_ns)


@dataclass(frozen=True)
class Filters:
    """IN-lists and inclusive ranges on mart columns (hashable: it is part of cache keys)."""

    values: tuple[tuple[str, tuple[object, ...]], ...] = ()
    ranges: tuple[tuple[str, object, object], ...] = ()
    extra: tuple[str, ...] = field(default=())  # whitelisted predicates, see PREDICATES
    # rows to leave out by key: (key columns, key values as text); worked-off items
    exclude: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None = None

    @staticmethod
    def build(
        values: dict[str, list | tuple | None] | None = None,
        ranges: dict[str, tuple[object, object]] | None = None,
        extra: list[str] | None = None,
    ) -> Filters:
        vals = tuple((k, tuple(v)) for k, v in (values or {}).items() if v)
        rngs = tuple((k, lo, hi) for k, (lo, hi) in (ranges or {}).items())
        return Filters(vals, rngs, tuple(extra or ()))


# Fixed predicates a page may switch on by name (no free SQL from the UI).
PREDICATES = {
    "upcoming": "line_status = 'upcoming'",
    "renewal_due": "gap_type = 'renewal_due'",
    "wiser": "gap_type like 'wiser%'",
    # the date comparisons are mart columns (issue #21): the page only picks them
    "dispute_open": "is_dispute_open",
    "missed_deadline": "status = 'open' and is_past_appeal_deadline",
    "overdue": "days_left < 0",
    "due_soon": "is_due_soon",
    "near_timely_filing": "is_near_timely_filing",
    "not_wait": "next_action <> 'wait'",
    "recapture_gain": "recapture_amount > 0",
    "recapture_correction": "recapture_amount < 0",
    "past_dispute_by": "not is_dispute_open",
    "payer_report": "payer_avg_decision_days is not null",
}


def _columns(path: Path, table: str) -> list[str]:
    return list(_schema(_version(path), table))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _schema(version: tuple[str, int, int], table: str) -> dict[str, str]:
    schema, name = _split(table)
    con = duckdb.connect(version[0], read_only=True)
    try:
        rows = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _split(table: str) -> tuple[str, str]:
    if "." in table:
        schema, name = table.split(".", 1)
    else:
        schema, name = "marts", table
    if (schema, name) not in {("marts", m) for m in MART_ORDER} | {("raw", t) for t in RAW_TABLES}:
        raise ValueError(f"the dashboards do not read {schema}.{name}")
    return schema, name


def _where(table: str, cols: list[str], filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    present = set(cols)
    for col, vals in filters.values:
        if col not in present:
            raise ValueError(f"{table} has no column {col}")
        clauses.append(f'"{col}" in ({", ".join("?" for _ in vals)})')
        params.extend(vals)
    for col, lo, hi in filters.ranges:
        if col not in present:
            raise ValueError(f"{table} has no column {col}")
        if lo is not None:
            clauses.append(f'"{col}" >= ?')
            params.append(lo)
        if hi is not None:
            clauses.append(f'"{col}" <= ?')
            params.append(hi)
    for name in filters.extra:
        clauses.append(f"({PREDICATES[name]})")
    if filters.exclude and filters.exclude[1]:
        key_cols, keys = filters.exclude
        if not set(key_cols) <= present:
            raise ValueError(f"{table} has no columns {', '.join(key_cols)}")
        # one text per key (unit separator between parts), as painrcm.work stores keys
        text = " || chr(31) || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in key_cols)
        clauses.append(f"({text}) not in ({', '.join('?' for _ in keys)})")
        params.extend("\x1f".join(k) for k in keys)
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _query(version: tuple[str, int, int], sql: str, params: list[object]) -> pl.DataFrame:
    con = duckdb.connect(version[0], read_only=True)
    try:
        return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    finally:
        con.close()


def _check_cols(table: str, cols: list[str], wanted: list[str]) -> None:
    missing = [c for c in wanted if c not in cols]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")


# --- the loaders ---------------------------------------------------------------------------


def build_info() -> dict[str, object] | None:
    path = warehouse_path()
    return _build_info(_version(path))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _build_info(version: tuple[str, int, int]) -> dict[str, object] | None:
    df = _query(version, "select * from marts.build_info order by built_at desc limit 1", [])
    return df.row(0, named=True) if df.height else None


def count(table: str, filters: Filters = Filters()) -> int:
    path = warehouse_path()
    return _count(_version(path), table, filters)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _count(version: tuple[str, int, int], table: str, filters: Filters) -> int:
    schema, name = _split(table)
    cols = list(_schema(version, table))
    where, params = _where(table, cols, filters)
    df = _query(version, f"select count(*) as n from {schema}.{name}{where}", params)
    return int(df.item())


def distinct(table: str, column: str) -> list[object]:
    """Values of one column (for the sidebar's choices), sorted."""
    path = warehouse_path()
    return _distinct(_version(path), table, column)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _distinct(version: tuple[str, int, int], table: str, column: str) -> list[object]:
    schema, name = _split(table)
    _check_cols(table, list(_schema(version, table)), [column])
    df = _query(
        version,
        f'select distinct "{column}" as v from {schema}.{name} '
        f'where "{column}" is not null order by 1 limit 500',
        [],
    )
    return df.get_column("v").to_list()


def ordered_by(table: str, column: str, by: str) -> list[object]:
    """Values of `column` ordered by the smallest `by` among their rows (e.g. the A/R age
    buckets by their youngest claim): an order the mart itself gives, not one the page keeps."""
    path = warehouse_path()
    return _ordered_by(_version(path), table, column, by)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _ordered_by(version: tuple[str, int, int], table: str, column: str, by: str) -> list[object]:
    schema, name = _split(table)
    _check_cols(table, list(_schema(version, table)), [column, by])
    df = _query(
        version,
        f'select "{column}" as v from {schema}.{name} where "{column}" is not null '
        f'group by 1 order by min("{by}"), 1 limit 500',
        [],
    )
    return df.get_column("v").to_list()


def value_range(table: str, column: str) -> tuple[object, object]:
    path = warehouse_path()
    return _range(_version(path), table, column)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _range(version: tuple[str, int, int], table: str, column: str) -> tuple[object, object]:
    schema, name = _split(table)
    _check_cols(table, list(_schema(version, table)), [column])
    df = _query(version, f'select min("{column}"), max("{column}") from {schema}.{name}', [])
    lo, hi = df.row(0)
    return lo, hi


def aggregate(
    table: str,
    by: list[str],
    sums: list[str] = (),
    filters: Filters = Filters(),
    counts: bool = True,
    avgs: list[str] = (),
    order: str | None = None,
    limit: int = 1000,
) -> pl.DataFrame:
    """sum(sums), avg(avgs) and count(*) grouped by `by`, in SQL."""
    path = warehouse_path()
    return _aggregate(
        _version(path), table, tuple(by), tuple(sums), filters, counts, tuple(avgs), order, limit
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _aggregate(
    version: tuple[str, int, int],
    table: str,
    by: tuple[str, ...],
    sums: tuple[str, ...],
    filters: Filters,
    counts: bool,
    avgs: tuple[str, ...],
    order: str | None,
    limit: int,
) -> pl.DataFrame:
    schema, name = _split(table)
    cols = list(_schema(version, table))
    _check_cols(table, cols, [*by, *sums, *avgs])
    where, params = _where(table, cols, filters)
    select = [f'"{c}"' for c in by]
    select += [f'sum("{c}") as "{c}"' for c in sums]
    select += [f'avg("{c}") as "avg_{c}"' for c in avgs]
    if counts:
        select.append("count(*) as rows")
    group = f" group by {', '.join(str(i + 1) for i in range(len(by)))}" if by else ""
    if order is None:
        order_sql = f" order by {', '.join(f'{i + 1} nulls last' for i in range(len(by)))}"
    else:
        _check_cols(table, [*cols, "rows"], [order.removesuffix(" desc")])
        order_sql = f" order by {order} nulls last"
    if not by:
        order_sql = ""
    sql = f"select {', '.join(select)} from {schema}.{name}{where}{group}{order_sql} limit ?"
    return _query(version, sql, [*params, limit])


def page_rows(
    table: str,
    filters: Filters = Filters(),
    columns: list[str] | None = None,
    order: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> pl.DataFrame:
    """One page of detail rows, in the mart's working order (export.MART_ORDER)."""
    path = warehouse_path()
    return _page_rows(_version(path), table, filters, tuple(columns or ()), order, limit, offset)


# Fixed sort keys a page may name in `order` besides columns (no free SQL from the UI).
ORDER_KEYS = {
    # Underpayments: lines still disputable first, those past dispute-by after them.
    "past_dispute_by": "(dispute_by < (select max(as_of_date) from marts.build_info))",
}


def _order_sql(table: str, cols: list[str], order: str | None) -> str:
    _, name = _split(table)
    spec = order or MART_ORDER.get(name, "")
    keys = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        col, _, direction = part.partition(" ")
        way = "desc" if direction.strip() == "desc" else "asc"
        if col in cols:
            keys.append(f'"{col}" {way} nulls last')
        elif col in ORDER_KEYS:
            keys.append(f"{ORDER_KEYS[col]} {way} nulls last")
    # Every other column breaks ties, so a page and the download agree row for row.
    named = {k.split('"')[1] for k in keys if k.startswith('"')}
    keys += [f'"{c}" asc nulls last' for c in cols if c not in named]
    return f" order by {', '.join(keys)}" if keys else ""


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _page_rows(
    version: tuple[str, int, int],
    table: str,
    filters: Filters,
    columns: tuple[str, ...],
    order: str | None,
    limit: int,
    offset: int,
) -> pl.DataFrame:
    schema, name = _split(table)
    cols = list(_schema(version, table))
    _check_cols(table, cols, list(columns))
    where, params = _where(table, cols, filters)
    select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    sql = (
        f"select {select} from {schema}.{name}{where}{_order_sql(table, cols, order)} "
        "limit ? offset ?"
    )
    return _query(version, sql, [*params, limit, offset])


def all_rows(
    table: str,
    filters: Filters = Filters(),
    order: str | None = None,
    columns: list[str] | None = None,
) -> pl.DataFrame:
    """Every row the filters select (for a download, built only when the button is clicked)."""
    path = warehouse_path()
    version = _version(path)
    schema, name = _split(table)
    cols = list(_schema(version, table))
    _check_cols(table, cols, list(columns or ()))
    where, params = _where(table, cols, filters)
    select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    return _query(
        version,
        f"select {select} from {schema}.{name}{where}{_order_sql(table, cols, order)}",
        params,
    )


def has_table(table: str) -> bool:
    """Whether the warehouse holds `schema.table` (an operational table a build adds)."""
    path = warehouse_path()
    return _has_table(_version(path), table)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _has_table(version: tuple[str, int, int], table: str) -> bool:
    schema, name = table.split(".")
    df = _query(
        version,
        "select count(*) as n from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, name],
    )
    return bool(df["n"][0])


def sql_frame(name: str) -> pl.DataFrame:
    """Fixed named queries that need more than one table (Data health)."""
    path = warehouse_path()
    return _named(_version(path), name)


NAMED_SQL = {
    # Freshness per source table: what `dbt source freshness` said at the build (the
    # freshness rules of models/staging/_sources.yml; painrcm.build.record_source_freshness),
    # beside what the load log holds for that kind.
    "freshness": """
        select f.source_table as kind, f.status, f.max_loaded_at as last_loaded_at,
               round(f.age_seconds / 86400, 1) as days_since_load, f.warn_after,
               f.error_after, f.snapshotted_at as checked_at, l.files, l.rows_loaded,
               l.rows_quarantined
        from raw.source_freshness as f
        left join (
            select kind, count(*) as files, sum(rows_loaded) as rows_loaded,
                   sum(rows_quarantined) as rows_quarantined
            from raw.load_log group by kind
        ) as l on l.kind = f.source_table
        order by f.source_table
    """,
    "quarantine_reasons": """
        select kind, reason, count(*) as rows, max(quarantined_at) as last_seen
        from raw.quarantine group by kind, reason order by rows desc, kind limit 200
    """,
    "x12_flags": """
        select transaction_id, file_name, transaction_control_number, status,
               se_count_ok, bpr_balanced, bpr_amount, clp_paid_total, plb_total, message,
               envelope_ok, redelivery_of
        from raw.x12_transactions
        where not coalesce(se_count_ok, false)
           or (transaction_set_id = '835' and not coalesce(bpr_balanced, false))
           or coalesce(status, 'ok') not in ('ok', 'loaded')
           or not coalesce(envelope_ok, true) or redelivery_of is not null
        order by file_name, transaction_control_number limit 500
    """,
    # INPUTS.md "acknowledgments": 999/277CA answers that match no claim (kept, listed).
    "unmatched_acknowledgments": """
        select source, file_name, acknowledged_on, answer_level, answer_reference,
               is_rejection, reason
        from marts.acknowledgments_unmatched
        order by acknowledged_on desc, file_name, answer_reference limit 500
    """,
    # 837 claims whose payer is not recognised (issue #19): kept out of the claims history.
    "unresolved_837_claims": """
        select file_name, transaction_control_number, claim_id, patient_id, service_date,
               submitted_date, charge_amount, line_count, x12_payer_id,
               claim_filing_indicator_code, reason
        from marts.claims_837_unresolved
        order by submitted_date desc, file_name, transaction_id, clm_position limit 500
    """,
    # Column maps (INPUTS.md "Column maps"): the map each CSV kind's newest file was read
    # through (NULL: canonical headers), and what every map version loaded and set aside.
    "column_maps_in_use": """
        select kind, map_sha256 is not null as map_in_use, map_source,
               left(map_sha256, 12) as map_sha256, file_name as newest_file, loaded_at
        from raw.load_log where kind <> 'remits'
        qualify row_number() over (partition by kind order by loaded_at desc, file_name desc) = 1
        order by kind
    """,
    "column_map_quarantine": """
        select kind, left(map_sha256, 12) as map_sha256, any_value(map_source) as map_source,
               count(*) as files, count(*) filter (where status = 'rejected') as files_rejected,
               sum(rows_loaded) as rows_loaded, sum(rows_quarantined) as rows_quarantined,
               max(loaded_at) as last_used
        from raw.load_log where map_sha256 is not null
        group by kind, map_sha256 order by kind, last_used desc
    """,
    # Seconds per phase of the last runs (painrcm/runner.py); total = ended_at - started_at.
    "run_phases": """
        select started_at, status, round(ingest_seconds, 1) as ingest_seconds,
               round(dbt_models_seconds, 1) as dbt_models_seconds,
               round(dbt_tests_seconds, 1) as dbt_tests_seconds,
               round(publish_seconds, 1) as publish_seconds,
               round(epoch(ended_at - started_at), 1) as total_seconds
        from raw.run_history order by started_at desc nulls last limit 20
    """,
    # build_info.row_counts: {"mart": rows, ...}, written by dbt's on-run-end hook
    "mart_counts": """
        select c.key as mart, cast(c.value as bigint) as rows
        from marts.build_info, json_each(marts.build_info.row_counts) as c
        order by mart
    """,
}


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _named(version: tuple[str, int, int], name: str) -> pl.DataFrame:
    return _query(version, NAMED_SQL[name], [])


def previous_build(current: dict[str, object]) -> dict[str, object] | None:
    """The build before `current`, from marts.build_history (kept by the build itself, an
    incremental model): its as-of date, when it was built and its counts by mart; None
    for the first build (or a warehouse from before the history)."""
    path = warehouse_path()
    return _previous_build(_version(path), str(current.get("invocation_id")))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _previous_build(version: tuple[str, int, int], invocation_id: str) -> dict | None:
    if not _schema(version, "build_history"):
        return None
    df = _query(
        version,
        """select invocation_id, as_of_date, built_at, mart, row_count
           from marts.build_history
           where invocation_id = (
               select invocation_id from marts.build_history where invocation_id <> ?
               order by built_at desc, invocation_id desc limit 1)""",
        [invocation_id],
    )
    if df.is_empty():
        return None
    first = df.row(0, named=True)
    out: dict[str, object] = {k: first[k] for k in ("invocation_id", "as_of_date", "built_at")}
    out["counts"] = dict(zip(df["mart"], df["row_count"], strict=True))
    return out


def contracts_by_payer(filters: Filters = Filters()) -> pl.DataFrame:
    """marts.contracts_by_payer: each payer's volume-weighted % of Medicare and the revenue of
    10 more points (the mart computes them; the page only picks the payers)."""
    path = warehouse_path()
    return _contracts(_version(path), filters)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _contracts(version: tuple[str, int, int], filters: Filters) -> pl.DataFrame:
    cols = list(_schema(version, "contracts_by_payer"))
    where, params = _where("contracts_by_payer", cols, filters)
    sql = f"select * from marts.contracts_by_payer{where} order by payer_id"
    return _query(version, sql, params)


def note_texts(note_ids: tuple[str, ...]) -> dict[str, str]:
    """The text of a few procedure notes, for the Documentation page's side-by-side view.

    The one read outside marts.*: documentation_risk names the note pair but (rightly) does not
    copy the PHI text into a mart; the app reads it by note_id from staging's
    stg_pm__procedure_notes, the very version of each note the marts compared (newest by file
    name, known on the as-of date), only in this local app, never cached to disk and never
    logged.
    """
    path = warehouse_path()
    return _note_texts(_version(path), note_ids)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _note_texts(version: tuple[str, int, int], note_ids: tuple[str, ...]) -> dict[str, str]:
    if not note_ids:
        return {}
    marks = ", ".join("?" for _ in note_ids)
    df = _query(
        version,
        f"select note_id, note_text from staging.stg_pm__procedure_notes "
        f"where note_id in ({marks})",
        list(note_ids),
    )
    return dict(zip(df.get_column("note_id"), df.get_column("note_text"), strict=True))


def names(kind: str) -> dict[str, str]:
    """code -> name from marts.code_names (kind: payer, provider or carc); empty when the
    warehouse predates that mart."""
    path = warehouse_path()
    return _names(_version(path), kind)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _names(version: tuple[str, int, int], kind: str) -> dict[str, str]:
    if not _schema(version, "code_names"):
        return {}
    df = _query(version, "select code, display_name from marts.code_names where kind = ?", [kind])
    return dict(zip(df.get_column("code"), df.get_column("display_name"), strict=True))
