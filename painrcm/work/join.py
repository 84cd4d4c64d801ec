"""Work state joined onto a worklist mart's rows at read time (exports, dashboards).

The marts stay pure (an as-of build is reproducible); the state columns are added here, empty
where a row was never worked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy.engine import Engine

from painrcm.work.db import open_state, state_exists
from painrcm.work.items import state_rows
from painrcm.work.keys import WORKLISTS

STATE_COLUMNS = (
    "work_status",
    "assignee",
    "follow_up_date",
    "last_note",
    "last_worked_at",
    "last_worked_by",
)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back naive; they were written in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def state_frame(engine: Engine, mart: str) -> pl.DataFrame:
    """One row per work item of the mart: the key columns (as text) and STATE_COLUMNS."""
    key = WORKLISTS[mart].key
    rows = state_rows(engine, mart=mart)
    data: dict[str, list] = {k: [r["key"][i] for r in rows] for i, k in enumerate(key)}
    data["work_status"] = [r["work_status"] for r in rows]
    data["assignee"] = [r["assignee"] for r in rows]
    data["follow_up_date"] = [r["follow_up_date"] for r in rows]
    data["last_note"] = [r["last_note"] for r in rows]
    data["last_worked_at"] = [
        None if r["last_worked_at"] is None else utc(r["last_worked_at"]).replace(tzinfo=None)
        for r in rows
    ]
    data["last_worked_by"] = [r["last_worked_by"] for r in rows]
    schema = {k: pl.String for k in key} | {
        "work_status": pl.String,
        "assignee": pl.String,
        "follow_up_date": pl.Date,
        "last_note": pl.String,
        "last_worked_at": pl.Datetime("us"),  # UTC
        "last_worked_by": pl.String,
    }
    return pl.DataFrame(data, schema=schema)


def with_state(df: pl.DataFrame, mart: str, engine: Engine) -> pl.DataFrame:
    """df (rows of marts.<mart>) with the STATE_COLUMNS appended, in the same row order.
    A mart that is not a worklist comes back unchanged."""
    if mart not in WORKLISTS:
        return df
    key = WORKLISTS[mart].key
    state = state_frame(engine, mart)
    text_key = [f"__key_{k}" for k in key]
    left = df.with_columns(
        pl.col(k).cast(pl.String).fill_null("").alias(t) for k, t in zip(key, text_key, strict=True)
    )
    right = state.rename(dict(zip(key, text_key, strict=True)))
    # left join keeps df's order (maintain_order) and every row
    joined = left.join(right, on=text_key, how="left", maintain_order="left")
    return joined.drop(text_key)


def with_state_for(df: pl.DataFrame, mart: str, warehouse: Path) -> pl.DataFrame:
    """with_state against the state database of `warehouse`; a worklist export always has
    the STATE_COLUMNS, empty where nothing was ever worked (and when no state exists yet)."""
    if mart not in WORKLISTS:
        return df
    if not state_exists(warehouse):
        return pl.concat([df, state_frame_empty().clear(df.height)], how="horizontal")
    engine = open_state(warehouse)
    try:
        return with_state(df, mart, engine)
    finally:
        engine.dispose()


def state_frame_empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "work_status": pl.String,
            "assignee": pl.String,
            "follow_up_date": pl.Date,
            "last_note": pl.String,
            "last_worked_at": pl.Datetime("us"),
            "last_worked_by": pl.String,
        }
    )
