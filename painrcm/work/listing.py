"""`painrcm work list`: the open work items as a table."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy.engine import Engine

from painrcm.work.items import state_rows
from painrcm.work.join import utc

LIST_COLUMNS = (
    "mart",
    "key",
    "work_status",
    "assignee",
    "follow_up_date",
    "last_note",
    "last_worked_at",
    "last_worked_by",
)


def list_frame(
    engine: Engine, assignee: str | None = None, due: date | None = None
) -> pl.DataFrame:
    """Open items (done ones are history), follow-ups due first, then the rest."""
    rows = state_rows(engine, assignee=assignee, due=due, open_only=True)
    data = {
        "mart": [r["mart"] for r in rows],
        "key": [" ".join(r["key"]) for r in rows],
        "work_status": [r["work_status"] for r in rows],
        "assignee": [r["assignee"] for r in rows],
        "follow_up_date": [r["follow_up_date"] for r in rows],
        "last_note": [r["last_note"] for r in rows],
        "last_worked_at": [
            None
            if r["last_worked_at"] is None
            else utc(r["last_worked_at"]).strftime("%Y-%m-%d %H:%M UTC")
            for r in rows
        ],
        "last_worked_by": [r["last_worked_by"] for r in rows],
    }
    schema = dict.fromkeys(LIST_COLUMNS, pl.String) | {"follow_up_date": pl.Date}
    return pl.DataFrame(data, schema=schema)
