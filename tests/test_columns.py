"""painrcm.columns: every mart column that is not text has its unit in the marts' YAML
(`config.meta.unit`), the unit fits the column's type and name, and headers read as words."""

from __future__ import annotations

import re

import duckdb
import pytest

from painrcm import columns

NUMERIC = ("DECIMAL", "INTEGER", "BIGINT", "DOUBLE", "HUGEINT", "SMALLINT", "DATE")


@pytest.fixture(scope="module")
def mart_types(built_warehouse) -> dict[tuple[str, str], str]:
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall()
    finally:
        con.close()
    return {(t, c): d for t, c, d in rows}


def test_every_numeric_or_date_mart_column_has_a_unit(mart_types):
    missing = [
        (t, c, d)
        for (t, c), d in mart_types.items()
        if d.startswith(NUMERIC)
        and not (t == "build_info" and c == "built_at")
        and columns.column(t, c).unit == "text"
    ]
    assert not missing, missing


def test_units_fit_types_and_names(mart_types):
    wrong = []
    for (t, c), d in mart_types.items():
        unit = columns.column(t, c).unit
        if unit in ("date", "month") and d != "DATE":
            wrong.append((t, c, d, unit))
        if unit == "money" and d != "DECIMAL(18,2)":
            wrong.append((t, c, d, unit))
        if ("pct" in c or c.endswith("_rate")) and unit not in ("percent", "points"):
            wrong.append((t, c, d, unit))
        if (c.startswith("days") or c.endswith("_days")) and unit != "days":
            # two kinds of column are named after days without being a number of days: an
            # amount aged over N days (ar_over_90_days) and a count of claims in a days bucket
            aged_amount = unit == "money" and "_over_" in c
            bucket_count = unit == "count" and re.fullmatch(r"days_to_\w+_(\d+_\d+|over_\d+)", c)
            if not (aged_amount or bucket_count):
                wrong.append((t, c, d, unit))
    assert not wrong, wrong


def test_headers_read_as_words():
    assert columns.header("ar_worklist", "open_balance") == "Open balance"
    assert columns.header("practice_kpis", "days_in_ar") == "Days in A/R"
    assert columns.humanize("rendering_npi") == "Rendering NPI"
    assert columns.humanize("carc") == "CARC"
    # a reason sentence (a chart axis of the Rejections page) starts with a capital, its
    # acronyms kept; one starting with an acronym stays as it is
    assert columns.humanize("rendering provider NPI missing or invalid") == (
        "Rendering provider NPI missing or invalid"
    )
    assert columns.humanize("NPI missing") == "NPI missing"
    assert columns.column("payer_pa_benchmark", "practice_pct_approved").unit == "percent"
    assert columns.column("no_such_mart", "x") == columns.Column("x")
