"""The list of marts, read from the dbt project's YAML: the one place a mart is declared.

A mart is a model whose properties file lives under `dbt_project/models/marts/`; its
`config.meta.export_order` names the columns its rows come out in (a worklist's working order)
for exports and dashboard pages. A new mart needs only its SQL and its YAML: exports, the
dashboards' allow-list and marts.build_info's row counts (the `record_build_info` on-run-end
hook walks dbt's graph) pick it up. Read with PyYAML, so the CLI needs no dbt parse.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from painrcm.paths import dbt_project_dir


def marts_dir() -> Path:
    return dbt_project_dir() / "models" / "marts"


@cache
def mart_properties() -> dict[str, dict]:
    """Mart name -> its YAML properties (description, config, columns, ...), by name."""
    found: dict[str, dict] = {}
    for path in sorted(marts_dir().rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []) or []:
            found[model["name"]] = model
    return dict(sorted(found.items()))


def export_order() -> dict[str, str]:
    """Mart name -> the comma-separated columns its rows are ordered by ('' when unset);
    an ephemeral model (no table to read) is left out."""
    return {
        name: str(((model.get("config") or {}).get("meta") or {}).get("export_order") or "")
        for name, model in mart_properties().items()
        if (model.get("config") or {}).get("materialized") != "ephemeral"
    }


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    """Mart name -> its (column, data_type) pairs in contract order (dbt enforces them)."""
    return {
        name: [(c["name"], str(c.get("data_type", ""))) for c in model.get("columns", [])]
        for name, model in mart_properties().items()
    }
