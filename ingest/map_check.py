"""`painrcm map check --inbox DIR`: what each waiting CSV would do under its map, loading nothing.

The check runs the real ingest (ingest.inbox.load_inbox, maps and all) into a throw-away
in-memory database, so it cannot disagree with what `painrcm ingest` will do. Given the
warehouse, it starts from a copy of its load log (files already loaded are not waiting)
and payers (the payer ids a mapped payer_id may name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.column_maps import ColumnMap, load_maps
from ingest.inbox import load_inbox
from ingest.raw_tables import ensure_raw_tables
from ingest.report import FileResult
from ingest.schemas import EXTRACTS

_ROW_PREFIX = re.compile(r"^row [0-9]+: ")
SHOWN_ROWS = 5


@dataclass
class FileCheck:
    result: FileResult
    map_name: str | None
    # reason (without its row number) -> the row numbers it applies to
    reasons: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class CheckReport:
    maps: dict[str, ColumnMap]
    files: list[FileCheck]

    @property
    def rejected(self) -> int:
        return sum(f.result.status == "rejected" for f in self.files)

    def lines(self) -> list[str]:
        out = []
        for kind, cmap in sorted(self.maps.items()):
            about = f" ({cmap.source})" if cmap.source else ""
            out.append(f"map {cmap.name}{about}: {kind}, sha256 {cmap.sha256[:12]}")
        for f in self.files:
            r = f.result
            via = f"via {f.map_name}" if f.map_name else "no map"
            where = f"{r.kind}/{r.file_name}"
            if r.status == "rejected":
                out.append(f"REJECTED  {where} ({via}): {r.message}")
                continue
            if r.status == "duplicate":
                out.append(f"skipped   {where}: {r.message}")
                continue
            out.append(
                f"ok        {where} ({via}): would load {r.rows_loaded} row(s), "
                f"quarantine {r.rows_quarantined}"
            )
            for reason, rows in f.reasons.items():
                shown = ", ".join(map(str, rows[:SHOWN_ROWS])) + (" ..." if len(rows) > 5 else "")
                out.append(f"    {len(rows)} row(s) [{shown}]: {reason}")
            if r.extra_columns:
                out.append(f"    kept in _extra_columns: {', '.join(r.extra_columns)}")
        return out


def _seed_from_warehouse(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    con.execute(f"attach '{str(warehouse).replace(chr(39), chr(39) * 2)}' as w (read_only)")
    try:
        have = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'w' "
                "and schema_name = 'raw'"
            ).fetchall()
        }
        for table in ("load_log", "payers"):
            if table in have:
                con.execute(f"insert into raw.{table} by name select * from w.raw.{table}")
    finally:
        con.execute("detach w")


def check_inbox(inbox: Path, warehouse: Path | None = None) -> CheckReport:
    """Every waiting CSV of `inbox` through its map; MapError when a map is wrong."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder not found: {inbox}")
    maps = load_maps(inbox)
    con = duckdb.connect()
    try:
        ensure_raw_tables(con)
        if warehouse is not None and Path(warehouse).exists():
            _seed_from_warehouse(con, Path(warehouse))
        report = load_inbox(inbox, con, kinds=tuple(EXTRACTS))
        files = []
        for result in report.files:
            if result.kind not in EXTRACTS:
                continue
            cmap = maps.get(result.kind)
            check = FileCheck(result, cmap.name if cmap else None)
            if result.status not in ("rejected", "duplicate", "ignored"):
                rows = con.execute(
                    "select row_number, reason from raw.quarantine "
                    "where file_sha256 = ? and row_number is not null order by row_number",
                    [result.file_sha256],
                ).fetchall()
                for row_number, reason in rows:
                    for part in _ROW_PREFIX.sub("", reason).split("; "):
                        check.reasons.setdefault(part, []).append(row_number)
            files.append(check)
    finally:
        con.close()
    return CheckReport(maps, files)
