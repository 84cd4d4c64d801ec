"""The biller's day end to end: users, `painrcm work set/list`, state in exports, and the
state surviving a rebuild that pays claims (auto-closed with the paying remit's date)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from painrcm.cli import app
from painrcm.work.autoclose import sync
from painrcm.work.db import STATE_URL_ENV, SYSTEM_ACTOR, open_state
from painrcm.work.items import get_item, history, save
from painrcm.work.join import STATE_COLUMNS
from tests.conftest import AS_OF

pytestmark = pytest.mark.slow
runner = CliRunner()


def _cli(*args: str, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def _remit_claims(path: Path) -> tuple[date, set[str]]:
    """(remit date, CLP01 claim ids) of an 835 file, read from its text: BPR16, else DTM*405."""
    segments = [s.strip() for s in path.read_text().split("~") if s.strip()]
    bpr = next(s.split("*") for s in segments if s.startswith("BPR*"))
    raw = bpr[16] if len(bpr) > 16 and bpr[16] else None
    if raw is None:
        raw = next(s.split("*")[2] for s in segments if s.startswith("DTM*405*"))
    claims = {s.split("*")[1] for s in segments if s.startswith("CLP*")}
    return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])), claims


def _ar_claims(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0] for r in con.sql("select claim_id from marts.ar_worklist").fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def rebuilt(practice_inbox, tmp_path_factory):
    """A warehouse built without the as-of month's remits, worked, then rebuilt with them."""
    from painrcm.runner import scheduled_run

    root = tmp_path_factory.mktemp("workqueue")
    inbox = root / "inbox"
    shutil.copytree(practice_inbox, inbox)
    held = root / "held"
    held.mkdir()
    withheld = sorted((inbox / "remits").glob(f"*_{AS_OF:%Y-%m}-*.835"))
    assert withheld, "the practice has remits in its as-of month"
    for f in withheld:
        shutil.move(f, held / f.name)
    warehouse = root / "warehouse.duckdb"
    scheduled_run(inbox, warehouse, AS_OF)
    paid_on: dict[str, date] = {}
    for f in held.iterdir():
        remit_date, claims = _remit_claims(f)
        for claim in claims:
            paid_on[claim] = max(remit_date, paid_on.get(claim, remit_date))
    before = _ar_claims(warehouse)
    candidates = sorted(before & paid_on.keys())
    control = sorted(before - paid_on.keys())[0]

    _cli("users", "add", "ana", "--warehouse", str(warehouse), "--password-stdin",
         input="ana-password\n")  # fmt: skip
    _cli("users", "add", "mia", "--role", "manager", "--warehouse", str(warehouse),
         "--password-stdin", input="mia-password\n")  # fmt: skip
    for claim in candidates:
        _cli("work", "set", "ar_worklist", claim, "--warehouse", str(warehouse), "--as", "ana",
             "--status", "waiting_on_payer", "--assignee", "ana",
             "--note", "called, in process")  # fmt: skip
    _cli("work", "set", "ar_worklist", control, "--warehouse", str(warehouse), "--as", "mia",
         "--assignee", "ana", "--follow-up", "2026-12-04",
         "--note", "resubmit, follow up Friday")  # fmt: skip

    for f in held.iterdir():
        shutil.move(f, inbox / "remits" / f.name)
    scheduled_run(inbox, warehouse, AS_OF)  # ingests the remits, rebuilds, syncs the queue
    return {
        "warehouse": warehouse,
        "paid_on": paid_on,
        "candidates": candidates,
        "control": control,
        "after": _ar_claims(warehouse),
    }


@pytest.fixture(autouse=True)
def _sqlite_state(monkeypatch):
    monkeypatch.delenv(STATE_URL_ENV, raising=False)


def test_items_of_paid_claims_close_with_the_remit_date(rebuilt):
    engine = open_state(rebuilt["warehouse"])
    left = [c for c in rebuilt["candidates"] if c not in rebuilt["after"]]
    stayed = [c for c in rebuilt["candidates"] if c in rebuilt["after"]]
    assert left, "the as-of month's remits resolve some worked claims"
    for claim in left:
        item = get_item(engine, "ar_worklist", (claim,))
        expected = f"resolved by the payer's remit of {rebuilt['paid_on'][claim].isoformat()}"
        assert (item.status, item.closed_reason) == ("done", expected), claim
        events = history(engine, "ar_worklist", (claim,))
        # the biller's work stays in the history, the close is the system's
        assert [(e.actor, e.field, e.new_value) for e in events] == [
            ("ana", "status", "waiting_on_payer"),
            ("ana", "assignee", "ana"),
            ("ana", "note", "called, in process"),
            (SYSTEM_ACTOR, "status", "done"),
            (SYSTEM_ACTOR, "closed_reason", expected),
            (SYSTEM_ACTOR, "note", expected),
        ]
    for claim in stayed:
        assert get_item(engine, "ar_worklist", (claim,)).status == "waiting_on_payer"


def test_state_survives_the_rebuild_and_is_listed(rebuilt):
    warehouse = str(rebuilt["warehouse"])
    control = rebuilt["control"]
    assert control in rebuilt["after"]
    out = _cli("work", "list", "--warehouse", warehouse, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["key"] for r in rows} == {control} | {
        c for c in rebuilt["candidates"] if c in rebuilt["after"]
    }
    first = rows[0]  # the follow-up due comes first
    assert (first["key"], first["work_status"], first["assignee"], first["follow_up_date"]) == (
        control,
        "new",
        "ana",
        "2026-12-04",
    )
    assert first["last_note"] == "resubmit, follow up Friday"
    assert first["last_worked_by"] == "mia"
    due = _cli("work", "list", "--warehouse", warehouse, "--due", "2026-12-04", "--format", "csv")
    assert [r["key"] for r in csv.DictReader(io.StringIO(due))] == [control]
    early = _cli("work", "list", "--warehouse", warehouse, "--due", "2026-12-03", "--assignee",
                 "ana", "--format", "csv")  # fmt: skip
    assert list(csv.DictReader(io.StringIO(early))) == []
    table = _cli("work", "list", "--warehouse", warehouse, "--assignee", "ana")
    assert control in table and "ar_worklist" in table


def test_exports_carry_the_work_state(rebuilt, tmp_path):
    warehouse = str(rebuilt["warehouse"])
    out = tmp_path / "ar.csv"
    _cli("export", "ar_worklist", "--warehouse", warehouse, "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0])[-len(STATE_COLUMNS) :] == list(STATE_COLUMNS)
    worked = {r["claim_id"]: r for r in rows if r["work_status"]}
    assert rebuilt["control"] in worked
    row = worked[rebuilt["control"]]
    assert (row["assignee"], row["follow_up_date"], row["last_worked_by"]) == (
        "ana",
        "2026-12-04",
        "mia",
    )
    assert re.match(r"\d{4}-\d{2}-\d{2}", row["last_worked_at"])
    never = [r for r in rows if r["claim_id"] not in worked]
    assert never and all(all(r[c] == "" for c in STATE_COLUMNS) for r in never)
    # a mart that is not a worklist is exported as it is
    kpis = tmp_path / "kpis.csv"
    _cli("export", "practice_kpis", "--warehouse", warehouse, "--format", "csv", "--out", str(kpis))
    assert "work_status" not in kpis.read_text().splitlines()[0]


def test_export_of_a_never_worked_warehouse_has_empty_state_columns(built_warehouse, tmp_path):
    out = tmp_path / "d.csv"
    _cli("export", "denials", "--warehouse", str(built_warehouse), "--format", "csv",
         "--out", str(out))  # fmt: skip
    rows = list(csv.DictReader(out.open()))
    assert rows and all(all(r[c] == "" for c in STATE_COLUMNS) for r in rows)
    assert not Path(str(built_warehouse) + ".state.sqlite").exists()


def test_denials_close_when_recovered_and_autoclosed_items_reopen(built_warehouse, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    recovered = con.execute(
        "select claim_id, cast(line_number as varchar), group_code, carc, denial_date "
        "from marts.denials where status = 'recovered' order by claim_id limit 1"
    ).fetchone()
    open_denial = con.execute(
        "select claim_id, cast(line_number as varchar), group_code, carc from marts.denials "
        "where status = 'open' order by claim_id limit 1"
    ).fetchone()
    con.close()
    assert recovered and open_denial
    engine = open_state(warehouse)
    from painrcm.work.users import add_user

    add_user(engine, "ana", "biller", "ana-password")
    save(engine, "denials", recovered[:4], "ana", status="in_progress", note="appealed")
    save(engine, "denials", open_denial, "ana", status="in_progress")
    # an item the system closed earlier whose row is back in the mart
    save(engine, "denials", open_denial, SYSTEM_ACTOR, status="done", closed_reason="earlier")
    report = sync(warehouse, engine)
    item = get_item(engine, "denials", recovered[:4])
    assert item.status == "done"
    remit = re.fullmatch(
        r"resolved by the payer's remit of (\d{4}-\d{2}-\d{2})", item.closed_reason
    )
    assert remit and date.fromisoformat(remit.group(1)) > recovered[4]
    back = get_item(engine, "denials", open_denial)
    assert (back.status, back.closed_reason) == ("new", None)
    assert report.reopened == [("denials", open_denial)]
    # a person's own "done" is never reopened
    save(engine, "denials", open_denial, "ana", status="done")
    assert sync(warehouse, engine).reopened == []


def test_cli_errors_are_one_line(built_warehouse, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    _cli("users", "add", "ana", "--warehouse", str(warehouse), "--password-stdin",
         input="ana-password\n")  # fmt: skip
    cases = [
        (["work", "set", "ar_worklist", "NO-SUCH", "--as", "ana", "--status", "done"],
         "no row of ar_worklist has claim_id NO-SUCH"),
        (["work", "set", "nope", "X", "--as", "ana", "--status", "done"],
         "'nope' is not a worklist mart"),
        (["work", "set", "denials", "X", "--as", "ana", "--status", "done"], "keyed by 4"),
        (["work", "set", "ar_worklist", "X", "--as", "ana"], "nothing to set"),
        (["work", "set", "ar_worklist", "X", "--as", "ana", "--follow-up", "Friday"],
         "--follow-up 'Friday' is not a date"),
        (["work", "list", "--format", "json"], "--format 'json'"),
        (["users", "add", "bob", "--role", "owner", "--password-stdin"], "role 'owner'"),
    ]  # fmt: skip
    for args, message in cases:
        result = runner.invoke(app, [*args, "--warehouse", str(warehouse)], input="long-password\n")
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
    con = duckdb.connect(str(warehouse), read_only=True)
    claim = con.execute("select claim_id from marts.ar_worklist limit 1").fetchone()[0]
    con.close()
    result = runner.invoke(app, ["work", "set", "ar_worklist", claim, "--warehouse",
                                 str(warehouse), "--as", "zoe", "--status", "done"])  # fmt: skip
    assert result.exit_code == 1 and "unknown user 'zoe'" in result.output


def test_painrcm_build_closes_items_that_left(built_warehouse, tmp_path):
    """The hook at the end of `painrcm build` (not only `painrcm run`)."""
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    _cli("users", "add", "ana", "--warehouse", str(warehouse), "--password-stdin",
         input="ana-password\n")  # fmt: skip
    engine = open_state(warehouse)
    save(engine, "ar_worklist", ("C-GONE",), "ana", status="in_progress")
    _cli("build", "--warehouse", str(warehouse), "--as-of", AS_OF.isoformat())
    item = get_item(engine, "ar_worklist", ("C-GONE",))
    assert (item.status, item.closed_reason) == (
        "done",
        f"no longer in ar_worklist as of {AS_OF.isoformat()}: resolved in the practice's data",
    )
