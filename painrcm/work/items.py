"""Work items: set status, assignee, follow-up and notes; every change is an audit event.

Optimistic concurrency: a save may name the version it was based on (what the person saw).
When somebody else changed the item since, the changes are merged field by field: fields the
other person did not touch, and every note, go through; a field both changed to different
values refuses the whole save with StaleEdit, which names who set what, so the later person
sees the earlier change and decides (nothing is overwritten unseen, nothing is lost).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from painrcm.choices import WorkStatus
from painrcm.work.db import SYSTEM_ACTOR, users, work_events, work_items
from painrcm.work.keys import key_values, worklist

STATUSES = tuple(s.value for s in WorkStatus)
OPEN_STATUSES = tuple(s for s in STATUSES if s != WorkStatus.DONE)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class WorkItem:
    item_id: int
    mart: str
    key: tuple[str, ...]
    status: str
    assignee: str | None
    follow_up_date: date | None
    closed_reason: str | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class Event:
    version: int
    at: datetime
    actor: str
    field: str
    old_value: str | None
    new_value: str | None


class StaleEdit(RuntimeError):
    """The item changed since the version the save was based on, on a field it sets."""

    def __init__(self, item: WorkItem, conflicts: list[Event]):
        self.item = item
        self.conflicts = conflicts
        said = "; ".join(
            f"{e.actor} set {e.field} to {e.new_value or '(empty)'}" for e in conflicts
        )
        super().__init__(f"this item changed since you opened it ({said}): review and save again")


class NotAllowed(PermissionError):
    pass


def encode_key(key: tuple[str, ...]) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def _item(row) -> WorkItem:
    return WorkItem(
        item_id=row.item_id,
        mart=row.mart,
        key=tuple(json.loads(row.item_key)),
        status=row.status,
        assignee=row.assignee,
        follow_up_date=row.follow_up_date,
        closed_reason=row.closed_reason,
        version=row.version,
        updated_at=row.updated_at,
    )


def _select_item(con: Connection, mart: str, key: tuple[str, ...]):
    return con.execute(
        sa.select(work_items).where(
            work_items.c.mart == mart, work_items.c.item_key == encode_key(key)
        )
    ).first()


def get_item(engine: Engine, mart: str, key: tuple[str, ...] | list[str]) -> WorkItem | None:
    key = key_values(mart, list(key))
    with engine.connect() as con:
        row = _select_item(con, mart, key)
    return None if row is None else _item(row)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _role(con: Connection, name: str) -> str:
    if name == SYSTEM_ACTOR:
        return "system"
    role = con.execute(sa.select(users.c.role).where(users.c.name == name)).scalar()
    if role is None:
        raise NotAllowed(f"unknown user '{name}': add it with `painrcm users add {name}`")
    return role


def save(
    engine: Engine,
    mart: str,
    key: tuple[str, ...] | list[str],
    actor: str,
    *,
    status: str | None = UNSET,
    assignee: str | None = UNSET,
    follow_up_date: date | None = UNSET,
    note: str | None = None,
    base_version: int | None = None,
    closed_reason: str | None = None,
) -> WorkItem:
    """Apply the given changes as `actor`; UNSET leaves a field alone, None clears it.
    base_version: the version the person saw (None: apply to whatever is current)."""
    worklist(mart)
    key = key_values(mart, list(key))
    wanted: dict[str, object] = {
        f: v
        for f, v in (("status", status), ("assignee", assignee), ("follow_up_date", follow_up_date))
        if v is not UNSET
    }
    if "status" in wanted and wanted["status"] not in STATUSES:
        raise ValueError(f"status '{wanted['status']}' is not known: use {', '.join(STATUSES)}")
    if wanted.get("status") is None and "status" in wanted:
        raise ValueError("status cannot be empty")
    if "assignee" in wanted and wanted["assignee"] == "":
        wanted["assignee"] = None
    note = (note or "").strip() or None
    for _attempt in range(20):
        try:
            return _save_once(engine, mart, key, actor, wanted, note, base_version, closed_reason)
        except _Retry:
            continue
    raise RuntimeError("the work item kept changing under this save: try again")


class _Retry(Exception):
    pass


def _save_once(
    engine: Engine,
    mart: str,
    key: tuple[str, ...],
    actor: str,
    wanted: dict[str, object],
    note: str | None,
    base_version: int | None,
    closed_reason: str | None,
) -> WorkItem:
    now = datetime.now(UTC)
    try:
        with engine.begin() as con:
            role = _role(con, actor)
            if wanted.get("assignee") is not None:
                _role(con, str(wanted["assignee"]))  # must be a user
            row = _select_item(con, mart, key)
            if row is None:
                item_id = con.execute(
                    work_items.insert().values(
                        mart=mart,
                        item_key=encode_key(key),
                        status="new",
                        version=0,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]
                row = con.execute(
                    sa.select(work_items).where(work_items.c.item_id == item_id)
                ).first()
            current = _item(row)
            changes = {f: v for f, v in wanted.items() if getattr(current, f) != v}
            if (
                role == "biller"
                and "assignee" in changes
                and changes["assignee"] not in (None, actor)
            ):
                raise NotAllowed(
                    f"{actor} is a biller: only a manager assigns items to someone else"
                )
            if (
                role == "biller"
                and "assignee" in changes
                and current.assignee
                not in (
                    None,
                    actor,
                )
            ):
                raise NotAllowed(
                    f"{actor} is a biller: only a manager takes an item off {current.assignee}"
                )
            if base_version is not None and base_version < current.version and changes:
                theirs = _events_since(con, current.item_id, base_version)
                conflicts = [e for e in theirs if e.field in changes and e.actor != actor]
                if conflicts:
                    raise StaleEdit(current, conflicts)
            if actor == SYSTEM_ACTOR:
                if closed_reason != current.closed_reason:
                    changes["closed_reason"] = closed_reason
            elif current.closed_reason is not None and (changes or note):
                changes["closed_reason"] = None  # a person took it over again
            if not changes and note is None:
                return current
            version = current.version + 1
            done = con.execute(
                work_items.update()
                .where(
                    work_items.c.item_id == current.item_id,
                    work_items.c.version == current.version,
                )
                .values(**changes, version=version, updated_at=now)
            )
            if done.rowcount != 1:
                raise _Retry()
            events = [
                {
                    "item_id": current.item_id,
                    "version": version,
                    "at": now,
                    "actor": actor,
                    "field": f,
                    "old_value": _text(getattr(current, f)),
                    "new_value": _text(v),
                }
                for f, v in changes.items()
            ]
            if note is not None:
                events.append(
                    {
                        "item_id": current.item_id,
                        "version": version,
                        "at": now,
                        "actor": actor,
                        "field": "note",
                        "old_value": None,
                        "new_value": note,
                    }
                )
            con.execute(work_events.insert(), events)
            return _item(
                con.execute(
                    sa.select(work_items).where(work_items.c.item_id == current.item_id)
                ).first()
            )
    except IntegrityError as exc:
        # two first saves of the same item raced on the unique key: the loser retries
        if "work_items_mart_key" in str(exc) or "UNIQUE" in str(exc).upper():
            raise _Retry() from exc
        raise


def _events_since(con: Connection, item_id: int, version: int) -> list[Event]:
    rows = con.execute(
        sa.select(work_events)
        .where(work_events.c.item_id == item_id, work_events.c.version > version)
        .order_by(work_events.c.event_id)
    ).all()
    return [Event(r.version, r.at, r.actor, r.field, r.old_value, r.new_value) for r in rows]


def history(engine: Engine, mart: str, key: tuple[str, ...] | list[str]) -> list[Event]:
    """Every change and note of the item, oldest first (the audit log)."""
    item = get_item(engine, mart, key)
    if item is None:
        return []
    with engine.connect() as con:
        return _events_since(con, item.item_id, 0)


def _last_events():
    """Per item: the newest note, and the newest change made by a person."""
    e = work_events
    last_note_id = (
        sa.select(e.c.item_id, sa.func.max(e.c.event_id).label("event_id"))
        .where(e.c.field == "note")
        .group_by(e.c.item_id)
        .subquery()
    )
    last_work_id = (
        sa.select(e.c.item_id, sa.func.max(e.c.event_id).label("event_id"))
        .where(e.c.actor != SYSTEM_ACTOR)
        .group_by(e.c.item_id)
        .subquery()
    )
    note = e.alias("note_event")
    worked = e.alias("worked_event")
    return last_note_id, last_work_id, note, worked


def state_rows(
    engine: Engine,
    mart: str | None = None,
    assignee: str | None = None,
    due: date | None = None,
    open_only: bool = False,
) -> list[dict]:
    """Work items with their last note and last worked at/by, newest follow-up last."""
    last_note_id, last_work_id, note, worked = _last_events()
    i = work_items
    q = (
        sa.select(
            i.c.mart,
            i.c.item_key,
            i.c.status.label("work_status"),
            i.c.assignee,
            i.c.follow_up_date,
            note.c.new_value.label("last_note"),
            worked.c.at.label("last_worked_at"),
            worked.c.actor.label("last_worked_by"),
            i.c.closed_reason,
            i.c.version,
        )
        .select_from(
            i.outerjoin(last_note_id, last_note_id.c.item_id == i.c.item_id)
            .outerjoin(note, note.c.event_id == last_note_id.c.event_id)
            .outerjoin(last_work_id, last_work_id.c.item_id == i.c.item_id)
            .outerjoin(worked, worked.c.event_id == last_work_id.c.event_id)
        )
        .order_by(i.c.follow_up_date.is_(None), i.c.follow_up_date, i.c.mart, i.c.item_key)
    )
    if mart is not None:
        q = q.where(i.c.mart == mart)
    if assignee is not None:
        q = q.where(i.c.assignee == assignee)
    if open_only:
        q = q.where(i.c.status.in_(OPEN_STATUSES))
    if due is not None:
        q = q.where(i.c.follow_up_date.is_not(None), i.c.follow_up_date <= due)
    with engine.connect() as con:
        rows = [dict(r._mapping) for r in con.execute(q)]
    for r in rows:
        r["key"] = tuple(json.loads(r.pop("item_key")))
    return rows
