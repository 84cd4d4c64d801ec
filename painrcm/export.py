"""CSV and XLSX exports of the marts: what a biller takes into the PM system.

Reads only `marts.*` (OUTPUTS.md), through a read-only connection, so an export runs while a
build publishes a new warehouse. Worklists come out in the order they are worked
(`ar_worklist` by priority_rank). Money stays exact in CSV (DECIMAL text); in XLSX a cell is a
double, so money is converted there (the file's edge) and shown with a money format.

Excel holds 1,048,576 rows per sheet, one of them our header: a longer export is split into
sheets of MAX_SHEET_ROWS data rows each (`ar_worklist`, `ar_worklist (2)`, ...), every sheet
with its own frozen header, rather than refused, so a biller never loses rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import duckdb
import polars as pl

from painrcm.warehouse import connect_read_only
from painrcm.work.join import with_state_for

MAX_SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows per sheet minus the header row

# The operational raw tables of OUTPUTS.md's last section, which the dashboards show beside
# the marts (Data health); a Spark build's serving file exposes the same ones.
OPERATIONAL_TABLES = ("load_log", "quarantine", "run_history", "x12_transactions")

# Every exportable mart and the order its rows come out in (a worklist's working order).
MART_ORDER: dict[str, str] = {
    "pa_coverage_gaps": "service_date, appointment_id, claim_id, gap_type",
    "guidance_recapture": "service_date, claim_id, appointment_id, finding_type",
    "mppr_underpayments": "dispute_by, claim_id, line_number",
    "denials": "appeal_deadline, claim_id, line_number, carc",
    "denial_patterns": "month, payer_id, carc, group_code, procedure_family",
    "ar_worklist": "priority_rank, claim_id",
    "payer_pa_benchmark": "payer_id, report_year, request_type",
    "practice_kpis": "month",
    "fee_schedule_comparison": "payer_id, procedure_code, modifier, setting",
    "procedure_readiness": "service_date, appointment_id, line_number, finding",
    "chronic_pain_capture": "month, patient_id, rendering_npi, finding",
    "documentation_risk": "service_date, appointment_id, risk",
    "credentialing_alerts": "due_date, npi, alert_type",
    "build_info": "built_at",
}
FORMATS = ("csv", "xlsx")


class ExportError(ValueError):
    """An export request that cannot be served (unknown mart, bad filter, ...)."""


def check_mart(mart: str) -> str:
    if mart not in MART_ORDER:
        raise ExportError(f"unknown mart '{mart}': choose one of {', '.join(sorted(MART_ORDER))}")
    return mart


def mart_columns(con: duckdb.DuckDBPyConnection, mart: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of marts.<mart>, in table order."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        [mart],
    ).fetchall()
    if not rows:
        raise ExportError(f"marts.{mart} does not exist in this warehouse: run `painrcm build`")
    return [(name, dtype) for name, dtype in rows]


def _order_clause(mart: str, columns: Iterable[str]) -> str:
    columns = list(columns)
    keys = [k.strip() for k in MART_ORDER[mart].split(",") if k.strip() in columns]
    # every other column breaks ties: the same export twice is the same file
    keys += [c for c in columns if c not in keys]
    return f"order by {', '.join(f'{k} nulls last' for k in keys)}" if keys else ""


def fetch(
    warehouse: Path,
    mart: str,
    payers: Sequence[str] | None = None,
    where: str = "",
    params: Sequence[object] = (),
) -> pl.DataFrame:
    """The rows of marts.<mart> (optionally for some payers and an extra parameterised
    `where` built by the dashboards' filter code), in the mart's working order."""
    check_mart(mart)
    con = connect_read_only(warehouse)
    try:
        cols = [c for c, _ in mart_columns(con, mart)]
        clauses, args = [], list(params)
        if where:
            clauses.append(f"({where})")
        if payers:
            if "payer_id" not in cols:
                raise ExportError(f"marts.{mart} has no payer_id column: drop --payer")
            clauses.append(f"payer_id in ({', '.join('?' for _ in payers)})")
            args.extend(payers)
        sql = f"select * from marts.{mart}"
        if clauses:
            sql += " where " + " and ".join(clauses)
        sql += " " + _order_clause(mart, cols)
        return pl.from_arrow(con.sql(sql, params=args).to_arrow_table())
    finally:
        con.close()


def to_csv(df: pl.DataFrame) -> bytes:
    return df.write_csv().encode("utf-8")


def _sheet_names(base: str, n: int) -> list[str]:
    base = base[:25]
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(n)]


def _excel_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def write_xlsx(df: pl.DataFrame, out: BinaryIO | Path | str, sheet: str = "export") -> int:
    """Write df as XLSX; returns the number of sheets (more than one past Excel's limit)."""
    import xlsxwriter

    n_sheets = max(1, -(-df.height // MAX_SHEET_ROWS))
    target = str(out) if isinstance(out, Path | str) else out
    wb = xlsxwriter.Workbook(
        target, {"constant_memory": True, "in_memory": not isinstance(out, Path | str)}
    )
    try:
        header = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "bottom": 1})
        money = wb.add_format({"num_format": "$#,##0.00;[Red]-$#,##0.00"})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        ts_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        formats: list[object] = []
        widths: list[int] = []
        for name, dtype in df.schema.items():
            if isinstance(dtype, pl.Decimal):
                formats.append(money)
                width = 14
            elif dtype == pl.Date:
                formats.append(date_fmt)
                width = 12
            elif isinstance(dtype, pl.Datetime):
                formats.append(ts_fmt)
                width = 17
            else:
                formats.append(None)
                sample = df.get_column(name).head(200).cast(pl.String, strict=False)
                longest = sample.str.len_chars().max() or 0
                width = min(60, max(8, int(longest) + 2))
            widths.append(max(width, min(40, len(name) + 2)))
        for index, sheet_name in enumerate(_sheet_names(sheet, n_sheets)):
            ws = wb.add_worksheet(sheet_name)
            ws.freeze_panes(1, 0)
            for col, width in enumerate(widths):
                ws.set_column(col, col, width)
            ws.write_row(0, 0, df.columns, header)
            chunk = df.slice(index * MAX_SHEET_ROWS, MAX_SHEET_ROWS)
            for r, row in enumerate(chunk.iter_rows(), start=1):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    fmt = formats[c]
                    if isinstance(value, dt.datetime):
                        ws.write_datetime(r, c, value, fmt)
                    elif isinstance(value, dt.date):
                        ws.write_datetime(
                            r, c, dt.datetime(value.year, value.month, value.day), fmt
                        )
                    else:
                        ws.write(r, c, _excel_value(value), fmt)
            if df.height:
                ws.autofilter(0, 0, max(1, chunk.height), len(df.columns) - 1)
    finally:
        wb.close()
    return n_sheets


def to_xlsx(df: pl.DataFrame, sheet: str = "export") -> bytes:
    buf = io.BytesIO()
    write_xlsx(df, buf, sheet)
    return buf.getvalue()


def export_mart(
    warehouse: Path,
    mart: str,
    fmt: str,
    out: Path,
    payers: Sequence[str] | None = None,
) -> tuple[int, int]:
    """Write marts.<mart> to `out`; returns (rows, sheets)."""
    check_mart(mart)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}': choose csv or xlsx")
    df = fetch(Path(warehouse), mart, payers)
    # a worklist carries its work state (joined at read time; the mart stays pure)
    df = with_state_for(df, mart, Path(warehouse))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        df.write_csv(out)
        return df.height, 1
    return df.height, write_xlsx(df, out, mart)
