"""Reference seeds (seeds/*.csv + seeds/_seeds.yml): their shape, their sources, and that
every rule row is read by a model.

A seed is the documented way for a practice to change its policy, so these tests pin no
seed value (issue #21): a practice that edits a threshold, a bucket or a CARC role keeps a
green suite. Whether the shipped values give the figures of docs/rules.md is checked where the
figures are made: the mart tests against the generator's ground truth, and the dbt unit
tests. tests/test_seed_edits.py edits a seed row and sees the mart follow.

The CSVs are read with DuckDB as text (all_varchar) so that the tests see exactly what a
practice edits; a second pass casts them with the column_types of _seeds.yml, as `dbt seed`
does. One slow test loads and tests them with dbt itself in a scratch project.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEXT_COLUMNS_MAX = 80
# Columns holding our own short wording: never a copied CPT or X12 text.
SHORT_TEXT_COLUMNS = {"description", "meaning", "holiday_name", "pos_name", "setting_name"}
CODE_COLUMNS = {
    "procedure_code",
    "primary_code",
    "guidance_code",
    "with_imaging_code",
    "carc",
    "group_code",
    "place_of_service",
    "mult_proc_indicator",
    "bilat_indicator",
    "global_days",
    "state",
    "rule_key",
    "payer_id",
    "claim_status_code",
}


def _props() -> dict[str, dict]:
    doc = yaml.safe_load((SEEDS / "_seeds.yml").read_text())
    return {s["name"]: s for s in doc["seeds"]}


PROPS = _props()
CSV_NAMES = sorted(p.stem for p in SEEDS.glob("*.csv"))


def rows(name: str) -> list[dict[str, str | None]]:
    rel = duckdb.sql(
        f"select * from read_csv('{SEEDS / name}.csv', all_varchar = true, header = true)"
    )
    return [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]


def header(name: str) -> list[str]:
    return (SEEDS / f"{name}.csv").read_text().splitlines()[0].split(",")


def col(name: str, column: str, **where: str) -> set[str]:
    return {
        r[column]
        for r in rows(name)
        if r[column] is not None and all(r[k] == v for k, v in where.items())
    }


def codes(spec: str) -> set[str]:
    """'64479-64484 27096' -> the listed codes, ranges expanded (numeric codes only)."""
    out: set[str] = set()
    for part in spec.split():
        if "-" in part:
            lo, hi = part.split("-")
            out |= {str(c) for c in range(int(lo), int(hi) + 1)}
        else:
            out.add(part)
    return out


def existing(spec: str) -> set[str]:
    """codes() restricted to codes the practice tracks (64481/64482 do not exist)."""
    return codes(spec) & col("procedure_families", "procedure_code")


# --- structure -----------------------------------------------------------------------


def test_every_csv_is_declared_and_every_declared_seed_has_a_csv() -> None:
    assert set(CSV_NAMES) == set(PROPS)


@pytest.mark.parametrize("name", CSV_NAMES)
def test_every_column_is_declared_with_a_type(name: str) -> None:
    seed = PROPS[name]
    types = seed["config"]["column_types"]
    documented = [c["name"] for c in seed["columns"]]
    assert header(name) == list(types) == documented
    assert all(c.get("description") for c in seed["columns"])
    assert seed.get("description")


@pytest.mark.parametrize("name", CSV_NAMES)
def test_every_row_cites_a_source(name: str) -> None:
    data = rows(name)
    assert data, f"{name}.csv has no rows"
    assert all((r["source"] or "").strip() for r in data), f"{name}: a row has no source"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_code_columns_are_text(name: str) -> None:
    types = PROPS[name]["config"]["column_types"]
    for column in CODE_COLUMNS & set(types):
        assert types[column] == "varchar", f"{name}.{column} must be varchar"


@pytest.mark.parametrize("name", CSV_NAMES)
def test_short_texts_fit(name: str) -> None:
    for r in rows(name):
        for column in SHORT_TEXT_COLUMNS & set(r):
            assert len(r[column] or "") <= TEXT_COLUMNS_MAX, (name, r[column])


@pytest.mark.parametrize("name", CSV_NAMES)
def test_typed_load_matches_column_types(name: str) -> None:
    """Cast every column to its declared type, as dbt seed does: nothing may fail."""
    types = PROPS[name]["config"]["column_types"]
    cols = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
    rel = duckdb.sql(
        f"select * from read_csv('{SEEDS / name}.csv', header = true, columns = {{{cols}}})"
    )
    assert len(rel.fetchall()) == len(rows(name))


def test_leading_zeros_survive() -> None:
    pos = col("place_of_service_settings", "place_of_service")
    assert {"01", "02", "09", "11", "12", "19", "22", "24"} <= pos
    assert all(len(p) == 2 for p in pos)
    typed = duckdb.sql(
        f"select place_of_service from read_csv('{SEEDS}/place_of_service_settings.csv', "
        "header = true, columns = {'place_of_service': 'varchar', 'pos_name': 'varchar', "
        "'setting': 'varchar', 'source': 'varchar'})"
    ).fetchall()
    assert ("01",) in typed
    assert col("procedure_pricing", "global_days") >= {"000", "010", "090", "ZZZ", "XXX"}


# --- rule rows are read -------------------------------------------------------------------

MODELS = ROOT / "dbt_project" / "models"


def _model_sql() -> str:
    return "\n".join(p.read_text() for p in MODELS.rglob("*.sql"))


@pytest.mark.parametrize(
    ("seed", "key", "where"),
    [
        ("practice_policies", "policy", {}),
        ("documentation_rules", "rule", {}),
        ("chronic_pain_rules", "rule_key", {"rule_type": "threshold"}),
        ("readiness_criteria", "criterion", {}),
    ],
)
def test_every_named_rule_row_is_read_by_a_model(seed: str, key: str, where: dict) -> None:
    """A key-value rule seed: each of its names appears in the SQL that reads it (a row
    nothing reads is a policy a practice would edit in vain)."""
    sql = _model_sql()
    unread = {name for name in col(seed, key, **where) if f"'{name}'" not in sql}
    assert not unread, f"{seed}: rows no model reads: {sorted(unread)}"


def test_practice_policy_values_cast_to_their_type() -> None:
    casts = {"integer": int, "decimal": float, "text": str}
    for r in rows("practice_policies"):
        casts[r["value_type"]](r["value"])


# --- shape of the rule seeds ---------------------------------------------------------------


def _bands(data: list[dict], lower: str, upper: str) -> list[tuple[int, int | None]]:
    return sorted((int(r[lower]), None if r[upper] is None else int(r[upper])) for r in data)


def _assert_contiguous(bands: list[tuple[int, int | None]], what: str) -> None:
    """Bands from 0 that neither overlap nor leave a gap; only the last is open-ended."""
    assert bands and bands[0][0] == 0, what
    for (lo, hi), (next_lo, _) in zip(bands, bands[1:], strict=False):
        assert hi is not None and lo <= hi and next_lo == hi + 1, (what, lo, hi, next_lo)
    assert bands[-1][1] is None, what


def test_age_buckets_cover_every_age_once_in_sort_order() -> None:
    data = rows("ar_age_buckets")
    _assert_contiguous(_bands(data, "min_age_days", "max_age_days"), "ar_age_buckets")
    by_order = sorted(data, key=lambda r: int(r["sort_order"]))
    assert [int(r["min_age_days"]) for r in by_order] == sorted(
        int(r["min_age_days"]) for r in data
    )


def test_priority_weight_bands_are_contiguous() -> None:
    data = rows("ar_priority_weights")
    for weight_type in ("urgency", "collectability"):
        band = [r for r in data if r["weight_type"] == weight_type]
        _assert_contiguous(_bands(band, "lower_bound", "upper_bound"), weight_type)
    assert len([r for r in data if r["weight_type"] == "urgency_wait"]) == 1


def test_carc_seeds_agree() -> None:
    carcs = col("carc_categories", "carc")
    groups = {r["group_code"]: r for r in rows("carc_group_codes")}
    for r in rows("carc_adjustment_roles"):
        assert r["group_code"] in groups and r["carc"] in carcs, r
    pairs = [(r["group_code"], r["carc"]) for r in rows("carc_adjustment_roles")]
    assert len(pairs) == len(set(pairs))
    # cost sharing is the patient's: a patient-responsibility group exists for it to mean
    if col("carc_categories", "carc", is_patient_cost_sharing="true"):
        assert any(g["is_patient_responsibility"] == "true" for g in groups.values())
    # a patient-responsibility group never settles the insurance balance
    for g in groups.values():
        assert not (g["is_patient_responsibility"] == "true" and g["settles_paid_line"] == "true")
    for r in rows("carc_categories"):
        assert (r["is_active"] == "true") == (r["deactivation_date"] is None) or (
            r["is_active"] == "false"
        ), r["carc"]


def test_remit_claim_statuses_name_one_reversal_and_a_primary() -> None:
    data = rows("remit_claim_statuses")
    reversals = [r for r in data if r["is_reversal"] == "true"]
    assert len(reversals) == 1 and reversals[0]["payer_order"] is None
    assert col("remit_claim_statuses", "claim_status_code", payer_order="primary")


def test_readiness_code_roles_name_codes_of_their_family_group() -> None:
    group_of = {r["procedure_code"]: r["family_group"] for r in rows("procedure_families")}
    for r in rows("readiness_code_roles"):
        assert group_of[r["procedure_code"]] == r["procedure_family_group"], r


def test_readiness_criteria_groups_exist() -> None:
    groups = col("procedure_families", "family_group")
    assert col("readiness_criteria", "procedure_family_group") <= groups


def test_documentation_skipped_families_exist() -> None:
    families = col("procedure_families", "procedure_family")
    assert col("documentation_rules", "text_value", rule="skipped_family") <= families


def test_holidays_fall_on_weekdays_once_each() -> None:
    data = rows("us_federal_holidays")
    assert len({r["holiday_date"] for r in data}) == len(data)
    for r in data:
        assert date.fromisoformat(r["observed_date"]).weekday() < 5


def test_holiday_script_reproduces_the_seed(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_holidays", SEEDS / "scripts" / "make_holidays.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path / "holidays.csv"
    module.main([])
    assert module.OUT.read_text() == (SEEDS / "us_federal_holidays.csv").read_text()


def test_add_ons_are_priced_as_add_ons() -> None:
    """Shape across seeds: a code the families call an add-on is an add-on in the PFS
    indicators too (no MPPR rank, ZZZ global) and exempt from MPPR."""
    add_ons = col("procedure_families", "procedure_code", is_add_on="true")
    pricing = {r["procedure_code"]: r for r in rows("procedure_pricing")}
    for code in add_ons:
        assert pricing[code]["mult_proc_indicator"] == "0", code
        assert pricing[code]["global_days"] == "ZZZ", code
    assert add_ons <= col("procedure_pricing", "procedure_code", mppr_exempt="true")
    assert col("procedure_pricing", "procedure_code") == col("procedure_families", "procedure_code")


def test_includes_imaging_matches_guidance_rules() -> None:
    included = col("guidance_rules", "primary_code", relation="included")
    assert col("procedure_families", "procedure_code", includes_imaging="true") == included


# --- cross-seed references -----------------------------------------------------------------------


def test_codes_used_by_rule_seeds_are_known() -> None:
    known = col("procedure_families", "procedure_code")
    for name, column in [
        ("wiser_codes", "procedure_code"),
        ("code_implied_regions", "procedure_code"),
        ("guidance_rules", "primary_code"),
        ("guidance_rules", "guidance_code"),
        ("guidance_rules", "with_imaging_code"),
        ("pa_requirements", "procedure_code"),
        ("readiness_code_roles", "procedure_code"),
    ]:
        assert col(name, column) <= known, (name, column)
    families = col("procedure_families", "procedure_family")
    for name in ("pa_requirements", "frequency_limits"):
        assert col(name, "procedure_family") <= families
    fam_of = {r["procedure_code"]: r["procedure_family"] for r in rows("procedure_families")}
    for r in rows("pa_requirements"):
        if r["procedure_code"]:
            assert fam_of[r["procedure_code"]] == r["procedure_family"]


# --- dbt itself ---------------------------------------------------------------------


@pytest.mark.slow
def test_dbt_seeds_load_and_pass_their_data_tests(tmp_path: Path) -> None:
    """`dbt build` of the seeds alone in a scratch project (a copy: dbt writes compiled files)."""
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("scripts"))
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: seed_check\nversion: '1.0'\nconfig-version: 2\nprofile: seed_check\n"
        "seed-paths: ['../seeds']\nmodel-paths: ['models']\n"
    )
    (tmp_path / "profiles.yml").write_text(
        "seed_check:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: '{tmp_path / 'seeds.duckdb'}'\n      threads: 1\n"
    )
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "build", "--profiles-dir", str(tmp_path), "--project-dir", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "WARN=0" in result.stdout and "ERROR=0" in result.stdout
    con = duckdb.connect(str(tmp_path / "seeds.duckdb"), read_only=True)
    pos = con.execute(
        "select count(*) from main.place_of_service_settings where place_of_service = '01'"
    ).fetchall()
    assert pos == [(1,)]
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'carc_categories'"
        ).fetchall()
    )
    assert (
        types["carc"] == "VARCHAR"
        and types["is_active"] == "BOOLEAN"
        and types["deactivation_date"] == "DATE"
    )
