"""The rule seeds (seeds/*.csv) the generator shares with the warehouse.

The background must be clean by the rules the warehouse applies, so the generator reads the
same seeds (facility places of service, add-on codes, MPPR and bilateral indicators, the PA
and WISeR lists) instead of declaring its own copy: a practice that edits a seed generates
a demo that follows it.
"""

from __future__ import annotations

import csv
from functools import cache

from painrcm.paths import project_root


@cache
def seed_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of seeds/<name>.csv as dicts (column name -> text)."""
    path = project_root() / "seeds" / f"{name}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def seed_codes(name: str, column: str = "procedure_code", **where: str) -> frozenset[str]:
    """`column` of the rows of seeds/<name>.csv whose columns equal `where`."""
    return frozenset(r[column] for r in seed_rows(name) if all(r[k] == v for k, v in where.items()))
