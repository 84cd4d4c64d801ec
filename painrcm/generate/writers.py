"""CSV deliveries: headers from ingest.schemas (never drift), files named by export date."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from ingest.schemas import EXTRACTS


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


class CsvSink:
    """Streams rows into `<out>/<kind>/<kind>_<export date>[<suffix>].csv`, one open file per
    delivery, header = the contract's columns in contract order."""

    def __init__(self, out: Path):
        self.out = out
        self.files: dict[str, tuple] = {}
        self.rows_by_kind: dict[str, int] = {k: 0 for k in EXTRACTS}
        self.rows_by_file: dict[str, int] = {}

    def _writer(self, kind: str, name: str, columns: list[str] | None = None):
        key = f"{kind}/{name}"
        w = self.files.get(key)
        if w is None:
            folder = self.out / kind
            folder.mkdir(parents=True, exist_ok=True)
            fh = open(folder / name, "w", newline="", encoding="utf-8")  # noqa: SIM115
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(columns or EXTRACTS[kind].column_names)
            w = (fh, writer)
            self.files[key] = w
            self.rows_by_file[key] = 0
        return w

    def file_name(self, kind: str, export: date, suffix: str = "") -> str:
        return f"{kind}_{export.isoformat()}{suffix}.csv"

    def touch(self, kind: str, export: date, suffix: str = "") -> str:
        name = self.file_name(kind, export, suffix)
        self._writer(kind, name)
        return name

    def write(self, kind: str, export: date, row: list[str], suffix: str = "") -> None:
        """`row` holds the values in EXTRACTS[kind] column order."""
        name = self.file_name(kind, export, suffix)
        _fh, writer = self._writer(kind, name)
        # optional columns added to the contract later are written empty
        writer.writerow(row + [""] * (len(EXTRACTS[kind].column_names) - len(row)))
        self.rows_by_kind[kind] += 1
        self.rows_by_file[f"{kind}/{name}"] += 1

    def write_file(self, kind: str, name: str, columns: list[str], rows: list[list[str]]) -> None:
        """A whole delivery at once, with its own header (plants: a missing column)."""
        _fh, writer = self._writer(kind, name, columns)
        for r in rows:
            writer.writerow(r)
        self.rows_by_kind[kind] += len(rows)
        self.rows_by_file[f"{kind}/{name}"] += len(rows)

    def close(self) -> None:
        for fh, _w in self.files.values():
            fh.close()
        self.files.clear()
