"""Rates are computed by the pct / exact_ratio macros (macros/cross_db/pct.sql), never as a
DOUBLE ratio rounded afterwards: round(100.0 * 199 / 4000, 2) is 4.97 in DuckDB, where the
exact half-up figure is 4.98."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

MODELS = Path(__file__).resolve().parents[1] / "dbt_project" / "models"
# a ratio scaled by a constant and then rounded: round(100.0 * n / m, 2), round(100 * ...)
RATIO_ROUNDED = re.compile(r"round\(\s*\d+(?:\.\d+)?\s*\*[^;]*?/", re.IGNORECASE | re.DOTALL)


def test_the_double_ratio_is_what_the_macro_replaces() -> None:
    con = duckdb.connect()
    assert con.execute("select round(100.0 * 199 / 4000, 2)").fetchone()[0] == 4.97


def test_no_model_rounds_a_double_ratio() -> None:
    offenders = []
    for path in sorted(MODELS.rglob("*.sql")):
        text = path.read_text()
        for m in RATIO_ROUNDED.finditer(text):
            snippet = m.group(0)
            if snippet.count("(") - snippet.count(")") > 1:  # the / is in a nested call
                continue
            line = text[: m.start()].count("\n") + 1
            offenders.append(f"{path.relative_to(MODELS)}:{line}: {snippet[:60]!r}")
    assert not offenders, "use {{ pct(n, m) }} (macros/cross_db/pct.sql):\n" + "\n".join(offenders)
