"""The work-queue state database on both backends: SQLite (WAL) and a real PostgreSQL."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from painrcm.paths import dbt_project_dir
from painrcm.work import db as state_db
from painrcm.work.items import NotAllowed, StaleEdit, get_item, history, save, state_rows
from painrcm.work.keys import WORKLISTS, key_values
from painrcm.work.users import add_user, authenticate, get_user
from tests.postgres_server import postgres_server, unavailable_reason


@pytest.fixture(scope="module")
def postgres_url():
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL (.ci/run installs it): {reason}")
        pytest.skip(reason)
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request, tmp_path, monkeypatch) -> str:
    if request.param == "sqlite":
        monkeypatch.delenv(state_db.STATE_URL_ENV, raising=False)
        return state_db.state_url(tmp_path / "warehouse.duckdb")
    url = request.getfixturevalue("postgres_url")
    # each test its own database on the shared server
    name = f"t_{abs(hash(request.node.nodeid)) % 10**12}"
    admin = sa.create_engine(state_db.state_url_from(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        con.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return state_db.state_url_from(url.replace("/postgres?", f"/{name}?"))


@pytest.fixture
def engine(state_url):
    engine = state_db.engine_for_url(state_url)
    add_user(engine, "ana", "biller", "ana-password")
    add_user(engine, "ben", "biller", "ben-password")
    add_user(engine, "mia", "manager", "mia-password")
    yield engine
    engine.dispose()


def test_default_is_sqlite_in_wal_beside_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.delenv(state_db.STATE_URL_ENV, raising=False)
    warehouse = tmp_path / "w.duckdb"
    engine = state_db.open_state(warehouse)
    assert (tmp_path / "w.duckdb.state.sqlite").exists()
    with engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    monkeypatch.setenv(state_db.STATE_URL_ENV, "postgresql://u@db.example/q")
    assert state_db.state_url(warehouse) == "postgresql+psycopg://u@db.example/q"


def test_migrations_are_versioned_and_upgrade_an_old_database(state_url):
    engine = sa.create_engine(state_url, poolclass=sa.pool.NullPool)
    # a database made by the first release: only step 1 applied
    first = state_db.MIGRATIONS[:1]
    with engine.begin() as con:
        state_db.metadata.create_all(con, tables=[state_db.schema_version])
        first[0][2](con)
        con.execute(
            state_db.schema_version.insert().values(
                version=1, description=first[0][1], applied_at=sa.func.now()
            )
        )
    assert state_db.migrate(engine) == len(state_db.MIGRATIONS)
    assert state_db.migrate(engine) == len(state_db.MIGRATIONS)  # idempotent
    with engine.connect() as con:
        versions = con.execute(sa.select(state_db.schema_version.c.version)).scalars().all()
    assert sorted(versions) == [m[0] for m in state_db.MIGRATIONS]
    engine.dispose()


def test_users_passwords_are_argon2_hashes(engine):
    assert get_user(engine, "mia").is_manager
    assert authenticate(engine, "ana", "ana-password").name == "ana"
    assert authenticate(engine, "ana", "wrong-password") is None
    assert authenticate(engine, "nobody", "ana-password") is None
    with engine.connect() as con:
        stored = con.execute(sa.select(state_db.users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and "password" not in h for h in stored)
    with pytest.raises(ValueError, match="role"):
        add_user(engine, "x", "owner", "long-enough")


def test_every_change_is_an_audit_event_with_who_and_when(engine):
    key = ("C040",)
    save(engine, "ar_worklist", key, "ana", status="in_progress", assignee="ana", note="called")
    save(
        engine,
        "ar_worklist",
        key,
        "ana",
        status="waiting_on_payer",
        follow_up_date=date(2026, 12, 4),
        note="Aetna said resubmit, follow up Friday",
    )
    item = get_item(engine, "ar_worklist", key)
    assert (item.status, item.assignee, item.follow_up_date, item.version) == (
        "waiting_on_payer",
        "ana",
        date(2026, 12, 4),
        2,
    )
    events = history(engine, "ar_worklist", key)
    assert [(e.version, e.actor, e.field, e.old_value, e.new_value) for e in events] == [
        (1, "ana", "status", "new", "in_progress"),
        (1, "ana", "assignee", None, "ana"),
        (1, "ana", "note", None, "called"),
        (2, "ana", "status", "in_progress", "waiting_on_payer"),
        (2, "ana", "follow_up_date", None, "2026-12-04"),
        (2, "ana", "note", None, "Aetna said resubmit, follow up Friday"),
    ]
    assert all(e.at is not None for e in events)
    # append-only: the database itself refuses to rewrite history
    for stmt in (
        state_db.work_events.update().values(new_value="x"),
        state_db.work_events.delete(),
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as con:
            con.execute(stmt)
    assert len(history(engine, "ar_worklist", key)) == 6


def test_a_stale_save_merges_other_fields_and_refuses_a_clash(engine):
    key = ("C041",)
    seen = save(engine, "ar_worklist", key, "mia", assignee="ana", note="yours")
    # ana and ben both opened version 1
    save(engine, "ar_worklist", key, "ana", status="in_progress", base_version=seen.version)
    # ben changes another field and adds a note: merged, nothing lost
    merged = save(
        engine,
        "ar_worklist",
        key,
        "ben",
        follow_up_date=date(2026, 12, 7),
        note="portal shows pending",
        base_version=seen.version,
    )
    assert (merged.status, merged.follow_up_date, merged.version) == (
        "in_progress",
        date(2026, 12, 7),
        3,
    )
    # ben also sets the status ana set meanwhile: refused, and told who set what
    with pytest.raises(StaleEdit, match="ana set status to in_progress") as clash:
        save(engine, "ar_worklist", key, "ben", status="done", base_version=seen.version)
    assert clash.value.item.version == 3
    assert get_item(engine, "ar_worklist", key).status == "in_progress"
    # having seen it, ben saves on the current version
    assert save(engine, "ar_worklist", key, "ben", status="done", base_version=3).status == "done"
    notes = [e.new_value for e in history(engine, "ar_worklist", key) if e.field == "note"]
    assert notes == ["yours", "portal shows pending"]


def test_concurrent_saves_lose_nothing(engine):
    key = ("C042",)
    save(engine, "ar_worklist", key, "ana", status="in_progress")
    errors: list[BaseException] = []

    def work(who: str) -> None:
        try:
            for i in range(10):
                save(engine, "ar_worklist", key, who, note=f"{who} {i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    notes = [e.new_value for e in history(engine, "ar_worklist", key) if e.field == "note"]
    assert sorted(notes) == sorted(f"{w} {i}" for w in ("ana", "ben") for i in range(10))
    assert get_item(engine, "ar_worklist", key).version == 21


def test_billers_take_their_own_items_managers_assign(engine):
    key = ("3", "1", "CO", "197")
    with pytest.raises(NotAllowed, match="only a manager"):
        save(engine, "denials", key, "ana", assignee="ben")
    save(engine, "denials", key, "ana", assignee="ana")
    with pytest.raises(NotAllowed, match="only a manager"):
        save(engine, "denials", key, "ben", assignee="ben")
    assert save(engine, "denials", key, "mia", assignee="ben").assignee == "ben"
    with pytest.raises(NotAllowed, match="unknown user"):
        save(engine, "denials", key, "zoe", status="done")
    with pytest.raises(ValueError, match="keyed by 4"):
        save(engine, "denials", ("3",), "mia", status="done")


def test_state_rows_filter_by_assignee_and_due(engine):
    save(engine, "ar_worklist", ("A1",), "mia", assignee="ana", follow_up_date=date(2026, 12, 1))
    save(engine, "ar_worklist", ("A2",), "mia", assignee="ana", follow_up_date=date(2026, 12, 9))
    save(engine, "ar_worklist", ("A3",), "mia", assignee="ben", follow_up_date=date(2026, 12, 1))
    save(engine, "ar_worklist", ("A4",), "mia", assignee="ana", status="done")
    mine = state_rows(engine, assignee="ana", open_only=True)
    assert [r["key"] for r in mine] == [("A1",), ("A2",)]
    due = state_rows(engine, due=date(2026, 12, 2), open_only=True)
    assert [r["key"] for r in due] == [("A1",), ("A3",)]
    assert {r["last_worked_by"] for r in mine} == {"mia"}


def _grain_tests() -> dict[str, list[str]]:
    grains: dict[str, list[str]] = {}
    for yml in (dbt_project_dir() / "models" / "marts").rglob("_*__models.yml"):
        for model in yaml.safe_load(yml.read_text()).get("models", []):
            for test in model.get("data_tests", []) or []:
                if isinstance(test, dict) and "unique_combination_of_columns" in test:
                    spec = test["unique_combination_of_columns"]
                    spec = spec.get("arguments", spec)
                    grains[model["name"]] = list(spec["combination_of_columns"])
    return grains


def test_work_keys_are_the_marts_grain():
    grains = _grain_tests()
    for mart, wl in WORKLISTS.items():
        assert list(wl.grain or wl.key) == grains[mart], mart
    assert key_values("procedure_readiness", ["A1", 2, "psych_eval_missing"]) == (
        "A1",
        "2",
        "psych_eval_missing",
    )


def test_state_survives_reopening(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(state_db.STATE_URL_ENV, raising=False)
    warehouse = tmp_path / "w.duckdb"
    engine = state_db.open_state(warehouse)
    add_user(engine, "ana", "biller", "ana-password")
    save(engine, "ar_worklist", ("C1",), "ana", status="in_progress")
    engine.dispose()
    again = state_db.open_state(warehouse)
    assert get_item(again, "ar_worklist", ("C1",)).status == "in_progress"
