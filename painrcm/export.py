"""CSV and XLSX exports of the marts: what a biller takes into the PM system.

Reads only `marts.*` (OUTPUTS.md), through a read-only connection, so an export runs while a
build publishes a new warehouse. Worklists come out in the order they are worked
(`ar_worklist` by priority_rank), with the words their page shows beside the codes
(painrcm/words.py: `what_to_do` beside `next_action`, payer and provider names beside
their codes, ...). Money stays exact in CSV (DECIMAL text); in XLSX a cell is a double, so
money is converted there (the file's edge) and shown with a money format.

Excel holds 1,048,576 rows per sheet, one of them our header: a longer export is split into
sheets of MAX_SHEET_ROWS data rows each (`ar_worklist`, `ar_worklist (2)`, ...), every sheet
with its own frozen header, rather than refused, so a biller never loses rows.

Exports are opened in spreadsheets, so a text cell that a spreadsheet would run as a formula
(a provider name `=HYPERLINK(...)`) is neutralised as OWASP advises for CSV injection: in
CSV it gets a leading `'`; in XLSX it is written as a string cell with Excel's quote prefix.
Numbers, money and dates are values, not text, and stay as they are (a negative balance is
still a number). The files are created 0600 (painrcm/private.py).
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

from painrcm.choices import ExportFormat
from painrcm.marts import export_order
from painrcm.private import write_private
from painrcm.warehouse import connect_read_only
from painrcm.words import with_code_names, with_words
from painrcm.work.join import with_state_for

MAX_SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows per sheet minus the header row

# The operational raw tables of OUTPUTS.md's last section, which the dashboards show beside
# the marts (Data health); a Spark build's serving file exposes the same ones.
OPERATIONAL_TABLES = ("load_log", "quarantine", "run_history", "x12_transactions")

# Every exportable mart and the order its rows come out in (a worklist's working order):
# each mart's YAML `meta: {export_order: ...}` (painrcm/marts.py), so a new mart needs no edit here.
MART_ORDER: dict[str, str] = export_order()
FORMATS = tuple(f.value for f in ExportFormat)

# OWASP, "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection): a cell starting
# with one of these is taken as a formula by Excel, LibreOffice Calc and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"


class ExportError(ValueError):
    """An export request that cannot be served (unknown mart, bad filter, ...)."""


def resolve_format(fmt: str | None, out: Path) -> str:
    """The export format: --format (any case), else the extension of --out, else csv."""
    suffix = Path(out).suffix.lower().lstrip(".")
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise ExportError(f"unknown format '{fmt}': choose csv or xlsx")
        if suffix in FORMATS and suffix != fmt:
            raise ExportError(f"--format {fmt} does not match --out {out}: make them agree")
        return fmt
    if suffix in FORMATS:
        return suffix
    if suffix:
        raise ExportError(
            f"cannot tell the format from '{Path(out).name}': name the file .csv or .xlsx, "
            "or give --format csv|xlsx"
        )
    return "csv"


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Text cells starting like a formula get a leading `'` (OWASP); other types untouched."""

    def guard(col: pl.Expr) -> pl.Expr:
        return pl.when(col.str.contains(_FORMULA_RE)).then(pl.lit("'") + col).otherwise(col)

    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.String:
            exprs.append(guard(pl.col(name)).alias(name))
        elif isinstance(dtype, pl.List) and dtype.inner == pl.String:
            exprs.append(pl.col(name).list.eval(guard(pl.element())).alias(name))
    return df.with_columns(exprs) if exprs else df


def _looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def known_payers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every payer_id the marts of this warehouse mention."""
    marts = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.columns "
            "where table_schema = 'marts' and column_name = 'payer_id' order by table_name"
        ).fetchall()
        if name in MART_ORDER
    ]
    if not marts:
        return []
    union = " union ".join(f"select payer_id from marts.{m}" for m in marts)
    rows = con.execute(f"select distinct payer_id from ({union}) where payer_id is not null")
    return sorted(str(p) for (p,) in rows.fetchall())


def code_names(warehouse: Path) -> dict[str, dict[str, str]]:
    """kind -> code -> name from marts.code_names (payer, provider, carc); empty when the
    warehouse has no such mart (an older build)."""
    con = connect_read_only(warehouse)
    try:
        (exists,) = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'code_names'"
        ).fetchone()
        if not exists:
            return {}
        out: dict[str, dict[str, str]] = {}
        rows = con.execute("select kind, code, display_name from marts.code_names").fetchall()
        for kind, code, name in rows:
            out.setdefault(kind, {})[code] = name
        return out
    finally:
        con.close()


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
            known = known_payers(con)
            unknown = [p for p in payers if p not in known]
            if unknown:
                raise ExportError(
                    f"unknown payer {', '.join(repr(p) for p in unknown)}: known payers are "
                    + (", ".join(known) or "none (the marts are empty)")
                )
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
    return neutralise_formulas(df).write_csv().encode("utf-8")


def _sheet_names(base: str, n: int) -> list[str]:
    base = base[:25]
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(n)]


def _excel_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


# Excel number formats by column unit (painrcm.columns: the marts' YAML meta), so a
# percentage is never formatted as money nor days as dollars.
XLSX_FORMATS = {
    "money": "$#,##0.00;[Red]-$#,##0.00",
    "percent": '0.00"%"',
    "points": '+0.00" pts";-0.00" pts";0.00" pts"',
    "days": "#,##0.0",
    "count": "#,##0",
    "number": "0.00##",
    "date": "yyyy-mm-dd",
    "month": "mmm yyyy",
    "year": "0",
}


def write_xlsx(
    df: pl.DataFrame,
    out: BinaryIO | Path | str,
    sheet: str = "export",
    units: dict[str, str] | None = None,
) -> int:
    """Write df as XLSX; returns the number of sheets (more than one past Excel's limit).
    Each column is formatted by its unit: `units`, else the YAML meta of the mart named
    `sheet`; a column with neither falls back to its type (DECIMAL(.,2) as money)."""
    import xlsxwriter

    from painrcm import columns as column_meta

    unit_of = units if units is not None else column_meta.units(sheet.split(".")[-1])

    n_sheets = max(1, -(-df.height // MAX_SHEET_ROWS))
    target = str(out) if isinstance(out, Path | str) else out
    wb = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "in_memory": not isinstance(out, Path | str),
            # Text stays text: never turned into a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        header = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "bottom": 1})
        by_unit = {u: wb.add_format({"num_format": f}) for u, f in XLSX_FORMATS.items()}
        whole_days = wb.add_format({"num_format": "#,##0"})
        money = by_unit["money"]
        date_fmt = by_unit["date"]
        ts_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        # Excel's own "this is text" flag (the hidden leading apostrophe): a cell that reads
        # like a formula is shown as typed and stays text when edited.
        quoted = wb.add_format({"quote_prefix": True})
        formats: list[object] = []
        widths: list[int] = []
        for name, dtype in df.schema.items():
            unit = unit_of.get(name)
            if unit == "days" and dtype.is_integer():
                formats.append(whole_days)
                width = 10
            elif unit in by_unit:
                formats.append(by_unit[unit])
                width = 14 if unit == "money" else 12
            elif isinstance(dtype, pl.Decimal) and dtype.scale == 2:
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
                        value = _excel_value(value)
                        if isinstance(value, str):
                            text_fmt = quoted if _looks_like_formula(value) else fmt
                            ws.write_string(r, c, value, text_fmt)
                        else:
                            ws.write(r, c, value, fmt)
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
    fmt: str | None,
    out: Path,
    payers: Sequence[str] | None = None,
) -> tuple[int, int]:
    """Write marts.<mart> to `out` (format from `fmt`, else from out's extension); returns
    (rows, sheets)."""
    check_mart(mart)
    out = Path(out)
    fmt = resolve_format(fmt, out)
    if out.is_dir():
        raise ExportError(
            f"--out {out} is a folder: give a file name, e.g. {out / f'{mart}.{fmt}'}"
        )
    df = fetch(Path(warehouse), mart, payers)
    # a worklist carries its work state (joined at read time; the mart stays pure)
    df = with_state_for(df, mart, Path(warehouse))
    # the words the page shows beside the codes (what_to_do beside next_action, payer and
    # provider names, ...): added columns, the mart's own stay as they are
    df = with_code_names(with_words(df, mart), code_names(Path(warehouse)).get)
    if fmt == "csv":
        write_private(out, lambda tmp: neutralise_formulas(df).write_csv(tmp))
        return df.height, 1
    sheets: list[int] = []
    write_private(out, lambda tmp: sheets.append(write_xlsx(df, tmp, mart)))
    return df.height, sheets[0]
