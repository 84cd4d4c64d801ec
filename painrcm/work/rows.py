"""Look up a worklist row in the published warehouse by its work key."""

from __future__ import annotations

from pathlib import Path

from painrcm.warehouse import connect_read_only
from painrcm.work.keys import worklist


def find_rows(warehouse: Path, mart: str, key: tuple[str, ...]) -> int:
    """How many rows of marts.<mart> carry this key (0: none)."""
    wl = worklist(mart)
    where = " and ".join(f"coalesce(cast({k} as varchar), '') = ?" for k in wl.key)
    con = connect_read_only(Path(warehouse))
    try:
        return con.execute(
            f"select count(*) from marts.{mart} where {where}", list(key)
        ).fetchone()[0]
    finally:
        con.close()


def require_row(warehouse: Path, mart: str, key: tuple[str, ...]) -> None:
    if not find_rows(warehouse, mart, key):
        wl = worklist(mart)
        named = ", ".join(f"{k} {v or '(empty)'}" for k, v in zip(wl.key, key, strict=True))
        raise ValueError(f"no row of {mart} has {named} in {warehouse}")
