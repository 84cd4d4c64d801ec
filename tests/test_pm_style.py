"""A PM-style delivery (`painrcm generate --pm-style`: other headers, US dates, `$` money,
payer names, status words, a `;` file, a cp1252 file, the maps beside them) gives the same
warehouse as the canonical delivery of the same practice: every mart, row for row."""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests.conftest import AS_OF, PRACTICE

pytestmark = pytest.mark.slow

# Columns that say when the build ran, not what it computed.
BUILD_TIME_COLUMNS = {
    "build_info": ("built_at", "invocation_id"),
    "build_history": ("built_at", "invocation_id"),
}


@pytest.fixture(scope="module")
def pm_inbox(tmp_path_factory):
    from painrcm.generate import generate_practice
    from painrcm.generate.pm_style import write_pm_style

    inbox = tmp_path_factory.mktemp("pm_practice") / "inbox"
    generate_practice(inbox, **PRACTICE)
    write_pm_style(inbox)
    return inbox


@pytest.fixture(scope="module")
def pm_warehouse(pm_inbox, tmp_path_factory):
    from painrcm.runner import scheduled_run

    warehouse = tmp_path_factory.mktemp("pm_warehouse") / "warehouse.duckdb"
    scheduled_run(pm_inbox, warehouse, AS_OF)
    return warehouse


@pytest.fixture(scope="module")
def both(built_warehouse, pm_warehouse):
    con = duckdb.connect()
    con.execute(f"attach '{built_warehouse}' as canonical (read_only)")
    con.execute(f"attach '{pm_warehouse}' as pm (read_only)")
    yield con
    con.close()


def test_the_delivery_is_pm_style(pm_inbox):
    appointments = sorted((pm_inbox / "appointments").glob("*.csv"))[0].read_bytes()
    assert appointments.startswith(b"Appt #;Line;Chart Number;")
    assert b";Checked Out;" in appointments and b"completed" not in appointments
    claims = sorted((pm_inbox / "claims").glob("*.csv"))[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        claims.decode("utf-8")
    text = claims.decode("cp1252")
    assert text.startswith("Claim #,Ln,Chart Number,Primary Insurance,")
    row = next(csv.DictReader(text.splitlines()))
    assert row["Charges"].startswith("$")
    assert row["DOS"][2] == "/" and row["Primary Insurance"].isupper()
    assert {p.name for p in (pm_inbox / "_maps").iterdir()} == {
        "appointments.yml",
        "authorizations.yml",
        "claims.yml",
    }


def test_every_mart_equals_the_canonical_delivery(both):
    marts = [
        r[0]
        for r in both.execute(
            "select table_name from duckdb_tables() where database_name = 'canonical' "
            "and schema_name = 'marts' union select view_name from duckdb_views() "
            "where database_name = 'canonical' and schema_name = 'marts' order by 1"
        ).fetchall()
    ]
    assert len(marts) > 10
    for mart in marts:
        skip = BUILD_TIME_COLUMNS.get(mart)
        cols = f"* exclude ({', '.join(skip)})" if skip else "*"
        a = f"select {cols} from canonical.marts.{mart}"
        b = f"select {cols} from pm.marts.{mart}"
        count = both.execute(f"select count(*) from canonical.marts.{mart}").fetchone()[0]
        assert both.execute(f"select count(*) from pm.marts.{mart}").fetchone()[0] == count, mart
        only_canonical = both.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
        only_pm = both.execute(f"select count(*) from ({b} except all {a})").fetchone()[0]
        assert (mart, only_canonical, only_pm) == (mart, 0, 0)


def test_the_same_rows_are_set_aside(both):
    query = "select kind, file_name, row_number from {}.raw.quarantine order by all"
    assert (
        both.execute(query.format("pm")).fetchall()
        == both.execute(query.format("canonical")).fetchall()
    )


def test_the_load_log_names_each_map(both):
    rows = both.execute(
        "select kind, count(distinct map_sha256), min(map_source) from pm.raw.load_log "
        "where map_sha256 is not null group by kind order by kind"
    ).fetchall()
    assert rows == [
        ("appointments", 1, "scheduling report (appointment detail) of our PM system"),
        ("authorizations", 1, "prior authorization log of our PM system"),
        ("claims", 1, "charge detail export of our PM system"),
    ]


def test_data_health_shows_each_map_and_what_it_set_aside(pm_warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from painrcm.paths import dashboards_dir

    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(pm_warehouse))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    at = AppTest.from_file(str(dashboards_dir() / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/data_health.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tables = {tuple(f.value.columns): f.value for f in at.dataframe}
    in_use = tables[("kind", "map_in_use", "map_source", "map_sha256", "newest_file", "loaded_at")]
    shown = {r["kind"]: (r["map_in_use"], r["map_source"]) for _i, r in in_use.iterrows()}
    assert shown["claims"] == (True, "charge detail export of our PM system")
    assert not shown["payers"][0]
    by_map = tables[
        (
            "kind",
            "map_sha256",
            "map_source",
            "files",
            "files_rejected",
            "rows_loaded",
            "rows_quarantined",
            "last_used",
        )
    ]
    quarantined = {
        r["kind"]: (r["files_rejected"], r["rows_quarantined"]) for _i, r in by_map.iterrows()
    }
    # The planted bad rows and file of the generator: a bad status, a bad date, a file
    # without its urgency column.
    assert quarantined == {"appointments": (0, 1), "claims": (0, 1), "authorizations": (1, 0)}
