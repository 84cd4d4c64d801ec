"""sqlfluff lint (dbt templater, /.sqlfluff rules) of every model outside staging (staging is
linted in test_dbt_staging, on its own, so a failure there points at the layer)."""

from __future__ import annotations

import pytest

from tests.dbt_warehouse import assert_sqlfluff_clean

LINTED = ("dbt_project/models/intermediate", "dbt_project/models/marts")

pytestmark = pytest.mark.slow


def test_sqlfluff_lint_intermediate_and_marts(tmp_path):
    assert_sqlfluff_clean(list(LINTED), tmp_path)
