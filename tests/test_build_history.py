"""marts.build_history: every build appends its mart counts (an incremental model), so Data
health says what changed since the last build from the warehouse, not from the memory of
one app process (issue #21)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from painrcm.build import run_dbt
from tests.conftest import AS_OF

pytestmark = pytest.mark.slow


def _rebuild_build_info(work, tmp_path) -> None:
    res = run_dbt(
        work, ["build", "--select", "build_info build_history"], AS_OF, tmp_path / "artifacts"
    )
    assert res.success, res.exception


def test_each_build_appends_its_counts_and_the_page_compares_with_the_last(
    built_warehouse, tmp_path, monkeypatch
):
    work = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, work)
    con = duckdb.connect(str(work))
    first = con.execute("select count(distinct invocation_id) from marts.build_history").fetchone()
    assert first == (1,)
    # the practice loses denials between builds: the history keeps both counts
    before = con.execute(
        "select cast(json_extract(row_counts, '$.denials') as bigint) from marts.build_info"
    ).fetchone()[0]
    con.execute(
        "delete from marts.denials where claim_id in (select min(claim_id) from marts.denials)"
    )
    after = con.execute("select count(*) from marts.denials").fetchone()[0]
    con.close()
    assert after < before
    _rebuild_build_info(work, tmp_path)
    con = duckdb.connect(str(work), read_only=True)
    history = con.execute(
        "select invocation_id, row_count from marts.build_history where mart = 'denials' "
        "order by built_at, invocation_id"
    ).fetchall()
    current = con.execute("select invocation_id from marts.build_info").fetchone()[0]
    con.close()
    assert [n for _, n in history] == [before, after]
    assert history[-1][0] == current

    from dashboards import data

    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(work))
    previous = data.previous_build({"invocation_id": current})
    assert previous is not None and previous["invocation_id"] == history[0][0]
    assert previous["counts"]["denials"] == before
    # seen from the first build, the other one is the build before it in the history
    assert data.previous_build({"invocation_id": history[0][0]})["invocation_id"] == current


def test_the_build_records_dbt_source_freshness(built_warehouse):
    """Data health's freshness is `dbt source freshness` run by the build (the loaded_at_field
    and freshness rules of _sources.yml), kept in raw.source_freshness."""
    import yaml

    from painrcm.paths import dbt_project_dir

    sources = yaml.safe_load((dbt_project_dir() / "models/staging/_sources.yml").read_text())
    with_rules = {
        t["name"]
        for s in sources["sources"]
        for t in s["tables"]
        if (t.get("config") or {}).get("freshness") or t.get("freshness")
    }
    con = duckdb.connect(str(built_warehouse), read_only=True)
    got = dict(
        con.execute(
            "select source_table, status from raw.source_freshness where warn_after is not null"
        ).fetchall()
    )
    con.close()
    assert set(got) == with_rules
    # the small practice was ingested moments before its build: its payers are fresh
    assert got["payers"] == "pass"


def test_data_health_shows_the_freshness_dbt_found(built_warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from painrcm.paths import dashboards_dir

    monkeypatch.setenv("PAINRCM_WAREHOUSE", str(built_warehouse))
    monkeypatch.delenv("PAINRCM_DASHBOARD_PASSWORD", raising=False)
    at = AppTest.from_file(str(dashboards_dir() / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/data_health.py").run()
    assert not at.exception
    frames = [f.value for f in at.dataframe if "warn_after" in f.value.columns]
    assert frames and set(frames[0]["status"]) <= {"pass", "warn", "error", "runtime error"}
    assert "payers" in set(frames[0]["kind"])
