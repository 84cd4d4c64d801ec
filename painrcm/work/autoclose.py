"""After a published build: close the work items that left their worklist, reopen the ones
that came back.

An item leaves when its row is gone from the mart (the claim was paid, the gap authorised) or
its row is resolved in place (a denial recovered or written off: keys.Worklist.resolved_when).
The close is an ordinary audited change by the actor `painrcm` with a reason: "resolved by
the payer's remit of YYYY-MM-DD" when the warehouse holds a remit for the item's claim, else
a generic one. Only automatically closed items reopen; a person's `done` stands.

Runs as part of the build (it reads the staging remits the build wrote, not only marts).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
from sqlalchemy.engine import Engine

from painrcm.warehouse import connect_read_only
from painrcm.work.db import SYSTEM_ACTOR, open_state, state_exists
from painrcm.work.items import OPEN_STATUSES, save, state_rows
from painrcm.work.keys import WORKLISTS, Worklist

log = logging.getLogger(__name__)

# Worklists whose key starts with a claim_id a remit can resolve.
_CLAIM_KEYED = {"ar_worklist", "denials", "mppr_underpayments"}


@dataclass
class SyncReport:
    closed: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    reopened: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
    }


def _keys(con: duckdb.DuckDBPyConnection, wl: Worklist) -> tuple[set, set]:
    """(open keys, resolved-in-place keys) of the mart, as tuples of text."""
    cols = ", ".join(f"coalesce(cast({k} as varchar), '')" for k in wl.key)
    resolved = wl.resolved_when or "false"
    rows = con.execute(
        f"select {cols}, coalesce({resolved}, false) from marts.{wl.mart}"
    ).fetchall()
    open_keys = {tuple(r[:-1]) for r in rows if not r[-1]}
    resolved_keys = {tuple(r[:-1]) for r in rows if r[-1]} - open_keys
    return open_keys, resolved_keys


def _remit_dates(con: duckdb.DuckDBPyConnection, claims: set[str], as_of: date) -> dict:
    """Newest primary remit date per claim, on or before as-of."""
    if not claims or "stg_x12__claim_payments" not in _tables(con, "staging"):
        return {}
    rows = con.execute(
        "select claim_id, max(remit_date) from staging.stg_x12__claim_payments "
        "where claim_id in (select unnest(?)) and is_primary and remit_date <= ? "
        "group by claim_id",
        [sorted(claims), as_of],
    ).fetchall()
    return dict(rows)


def _reason(mart: str, key: tuple[str, ...], resolved: bool, remits: dict, as_of: date) -> str:
    remit = remits.get(key[0]) if mart in _CLAIM_KEYED else None
    if remit is not None:
        return f"resolved by the payer's remit of {remit.isoformat()}"
    if resolved:
        return f"resolved in {mart} as of {as_of.isoformat()}"
    return f"no longer in {mart} as of {as_of.isoformat()}: resolved in the practice's data"


def sync(warehouse: Path, engine: Engine | None = None) -> SyncReport:
    """Close and reopen work items against the published warehouse."""
    engine = engine or open_state(warehouse)
    report = SyncReport()
    con = connect_read_only(Path(warehouse))
    try:
        marts = _tables(con, "marts")
        as_of = (
            con.execute("select max(as_of_date) from marts.build_info").fetchone()[0]
            if "build_info" in marts
            else None
        ) or date.today()
        plans = []
        for mart, wl in WORKLISTS.items():
            if mart not in marts:
                continue  # a mart this warehouse does not have yet: leave its items alone
            items = state_rows(engine, mart=mart)
            if not items:
                continue
            open_keys, resolved_keys = _keys(con, wl)
            to_close = [
                (r["key"], r["key"] in resolved_keys)
                for r in items
                if r["work_status"] in OPEN_STATUSES and r["key"] not in open_keys
            ]
            to_reopen = [
                r
                for r in items
                if r["work_status"] == "done" and r["closed_reason"] and r["key"] in open_keys
            ]
            plans.append((mart, to_close, to_reopen))
        claims = {k[0] for mart, close, _ in plans if mart in _CLAIM_KEYED for k, _ in close}
        remits = _remit_dates(con, claims, as_of)
    finally:
        con.close()
    for mart, to_close, to_reopen in plans:
        for key, resolved in to_close:
            reason = _reason(mart, key, resolved, remits, as_of)
            save(engine, mart, key, SYSTEM_ACTOR, status="done", closed_reason=reason, note=reason)
            report.closed.append((mart, key, reason))
        for r in to_reopen:
            save(
                engine,
                mart,
                r["key"],
                SYSTEM_ACTOR,
                status="new",
                closed_reason=None,
                note=f"back in {mart} as of {as_of.isoformat()}",
            )
            report.reopened.append((mart, r["key"]))
    return report


def sync_after_build(warehouse: Path) -> SyncReport | None:
    """The build's hook: a state database that cannot be reached never fails a build that
    already published (the next build catches up); it is logged without keys (PHI)."""
    if not state_exists(warehouse):
        return None  # nobody has worked this warehouse's queue yet
    try:
        return sync(warehouse)
    except Exception as exc:  # noqa: BLE001 - reported, the build stands
        log.warning("work queue not synced after the build: %s", type(exc).__name__)
        return None
