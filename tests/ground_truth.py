"""Reading a mart and the generator's ground truth in the same shape, for both-ways tests.

Values become strings ("" for NULL) so a mart row compares with a CSV row cell by cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb


def mart_rows(
    warehouse: Path, mart: str, columns: tuple[str, ...], key: tuple[str, ...]
) -> dict[tuple, dict[str, str]]:
    """marts.<mart>, one dict of strings per row, keyed by `key`."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(columns)} from marts.{mart}").fetchall()
    finally:
        con.close()
    out = {}
    for r in rows:
        row = {c: "" if v is None else str(v) for c, v in zip(columns, r, strict=True)}
        out[tuple(row[k] for k in key)] = row
    return out


def truth_rows(
    inbox: Path, name: str, columns: tuple[str, ...], key: tuple[str, ...]
) -> dict[tuple, dict[str, str]]:
    """ground_truth/<name>.csv in the shape of mart_rows."""
    with open(inbox / "ground_truth" / f"{name}.csv", newline="") as fh:
        return {tuple(r[k] for k in key): {c: r[c] for c in columns} for r in csv.DictReader(fh)}


def current_rows(inbox: Path, kind: str, key: tuple[str, ...]) -> list[dict[str, str]]:
    """The inbox's newest version of each key of `kind`; quarantined rows and rejected files
    left out (as ground_truth/quarantine_expected.csv lists them)."""
    with open(inbox / "ground_truth" / "quarantine_expected.csv", newline="") as fh:
        q = [r for r in csv.DictReader(fh) if r["kind"] == kind]
    rejected = {r["file_name"] for r in q if not r["row_number"]}
    bad_rows = {(r["file_name"], int(r["row_number"])) for r in q if r["row_number"]}
    newest: dict[tuple, dict[str, str]] = {}
    for f in sorted((inbox / kind).glob("*.csv")):
        if f.name in rejected:
            continue
        with open(f, newline="", encoding="utf-8-sig") as fh:
            for n, r in enumerate(csv.DictReader(fh), start=1):
                if (f.name, n) not in bad_rows:
                    newest[tuple(r[k] for k in key)] = r
    return list(newest.values())
