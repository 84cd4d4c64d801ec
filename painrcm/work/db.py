"""The state database: engine, tables and versioned migrations.

SQLite (WAL, so the app reads while a biller writes) at `<warehouse>.state.sqlite` by default;
PostgreSQL when PAINRCM_STATE_URL=postgresql://... (several app servers share one queue).
SQLAlchemy Core keeps one code path for both. Migrations are ordered steps recorded in
`schema_version`: opening a database applies the steps it has not seen, in one transaction
each, so an old state file upgrades in place and a new one is created whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

STATE_URL_ENV = "PAINRCM_STATE_URL"

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role in ('biller', 'manager')", name="users_role"),
)

work_items = sa.Table(
    "work_items",
    metadata,
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("mart", sa.String(100), nullable=False),
    # JSON array of the natural key values as text (painrcm.work.keys)
    sa.Column("item_key", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("assignee", sa.String(100), sa.ForeignKey("users.name")),
    sa.Column("follow_up_date", sa.Date),
    # set only by an automatic close (painrcm.work.autoclose); cleared by any person's edit
    sa.Column("closed_reason", sa.Text),
    # optimistic concurrency: every change bumps it; a save names the version it read
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("mart", "item_key", name="work_items_mart_key"),
    sa.CheckConstraint(
        "status in ('new', 'in_progress', 'waiting_on_payer', 'done', 'snoozed')",
        name="work_items_status",
    ),
)

# Append-only: one row per changed field or note; triggers refuse UPDATE and DELETE.
work_events = sa.Table(
    "work_events",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("work_items.item_id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("field", sa.String(30), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
)
sa.Index("work_events_item", work_events.c.item_id, work_events.c.event_id)
sa.Index("work_items_assignee", work_items.c.assignee, work_items.c.status)

SYSTEM_ACTOR = "painrcm"  # the actor of automatic closes


def _v1_tables(con: Connection) -> None:
    metadata.create_all(con, tables=[users, work_items, work_events])


def _v2_append_only(con: Connection) -> None:
    if con.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            con.exec_driver_sql(
                f"CREATE TRIGGER work_events_no_{op.lower()} BEFORE {op} ON work_events "
                "BEGIN SELECT RAISE(ABORT, 'work_events is append-only'); END"
            )
    else:
        con.exec_driver_sql(
            "CREATE FUNCTION work_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'work_events is append-only'; END $$"
        )
        con.exec_driver_sql(
            "CREATE TRIGGER work_events_append_only BEFORE UPDATE OR DELETE ON work_events "
            "FOR EACH ROW EXECUTE FUNCTION work_events_append_only()"
        )


# Ordered; never edit a released step, append a new one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "users, work_items, work_events", _v1_tables),
    (2, "work_events append-only triggers", _v2_append_only),
]


def state_url(warehouse: Path) -> str:
    """PAINRCM_STATE_URL when set, else the SQLite file beside the warehouse."""
    url = os.environ.get(STATE_URL_ENV, "").strip()
    if url:
        return state_url_from(url)
    path = Path(warehouse).resolve()
    return f"sqlite:///{path.with_name(path.name + '.state.sqlite')}"


def state_exists(warehouse: Path) -> bool:
    """Is there a state database to read (PAINRCM_STATE_URL set, or the SQLite file)?"""
    url = state_url(warehouse)
    return not url.startswith("sqlite:///") or Path(url.removeprefix("sqlite:///")).exists()


def state_url_from(url: str) -> str:
    """postgresql://... names the psycopg (v3) driver, the one painrcm installs."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _sqlite_pragmas(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(con) -> None:
    # Take the write lock at BEGIN: two writers never both read a version and then collide
    # on the upgrade of a shared lock (SQLITE_BUSY without waiting).
    con.exec_driver_sql("BEGIN IMMEDIATE")


def engine_for_url(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        # pysqlite's own transaction handling is switched off so BEGIN IMMEDIATE is ours
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(
            engine, "connect", lambda dbapi_con, _r: setattr(dbapi_con, "isolation_level", None)
        )
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return engine


def open_state(warehouse: Path) -> Engine:
    """The state database of this warehouse, migrated to the current schema."""
    return engine_for_url(state_url(warehouse))


def current_version(con: Connection) -> int:
    if not sa.inspect(con).has_table("schema_version"):
        return 0
    return con.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine) -> int:
    """Apply the migrations this database has not seen; returns the schema version."""
    from datetime import UTC, datetime

    with engine.begin() as con:
        if con.dialect.name == "postgresql":
            # one migrating process at a time across app servers
            con.exec_driver_sql("SELECT pg_advisory_xact_lock(728310)")
        metadata.create_all(con, tables=[schema_version])
        done = current_version(con)
        for version, description, step in MIGRATIONS:
            if version <= done:
                continue
            step(con)
            con.execute(
                schema_version.insert().values(
                    version=version, description=description, applied_at=datetime.now(UTC)
                )
            )
            done = version
    return done
