"""Reference seeds (seeds/*.csv + seeds/_seeds.yml) against shared/domain/RULES.md.

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


# --- RULES.md s1: families and PFS indicators -------------------------------------------

RULES_S1 = {
    "esi_interlaminar": "62320 62321 62322 62323",
    "esi_catheter": "62324 62325 62326 62327",
    "esi_transforaminal": "64479 64480 64483 64484",
    "facet_mbb": "64490 64491 64492 64493 64494 64495",
    "facet_rfa": "64633 64634 64635 64636",
    "si_joint": "27096 G0260 64451",
    "scs_trial": "63650",
    "scs_permanent": "63655 63685 63688",
    "vertebral_augmentation": "22510-22515",
    "trigger_point": "20552 20553",
    "joint_injection": "20600 20604 20605 20606 20610 20611",
    "peripheral_nerve_block": "64405 64418 64450 64415 64445 64447 64454",
    "sympathetic_block": "64510 64520",
    "genicular_rfa": "64624",
    "si_rfa": "64625",
    "blood_patch": "62273",
    "imaging_guidance": "77002 77003 77012 76942",
    "chronic_pain_management": "G3002 G3003",
    "evaluation_management": "99202-99205 99211-99215",
}
ADD_ONS = codes("22512 22515 64480 64484 64491 64492 64494 64495 64634 64636 G3003")
IMAGING = codes("77002 77003 77012 76942")
EM = codes("99202-99205 99211-99215")


def test_procedure_families_match_rules_s1() -> None:
    for family, spec in RULES_S1.items():
        assert col("procedure_families", "procedure_code", procedure_family=family) == codes(
            spec
        ), family
    assert len(rows("procedure_families")) == sum(len(codes(s)) for s in RULES_S1.values())


def test_add_on_set_is_rules_s1() -> None:
    assert col("procedure_families", "procedure_code", is_add_on="true") == ADD_ONS
    pricing = {r["procedure_code"]: r for r in rows("procedure_pricing")}
    for code in ADD_ONS:
        assert pricing[code]["mult_proc_indicator"] == "0"
        assert pricing[code]["global_days"] == "ZZZ"


def test_includes_imaging_matches_rules_s1_and_s6() -> None:
    included = col("guidance_rules", "primary_code", relation="included")
    assert col("procedure_families", "procedure_code", includes_imaging="true") == included


def test_bilateral_indicators_follow_rules_s1() -> None:
    assert col("procedure_pricing", "procedure_code", bilat_indicator="1") >= existing(
        "64479-64495 64633-64636 27096"
    )
    assert col("procedure_pricing", "procedure_code", bilat_indicator="0") >= existing(
        "20552 20553 62320-62327 64510 64520"
    )
    assert col("procedure_pricing", "procedure_code", bilat_indicator="9") >= IMAGING | EM
    bilat_1 = col("procedure_pricing", "procedure_code", bilat_indicator="1")
    assert not bilat_1 & codes("20552 20553 62320-62327 64510 64520")


def test_mppr_exempt_lines() -> None:
    exempt = col("procedure_pricing", "procedure_code", mppr_exempt="true")
    assert exempt == ADD_ONS | IMAGING | EM | {"G3002"}
    assert col("procedure_pricing", "procedure_code") == col("procedure_families", "procedure_code")


# --- RULES.md s2/s3: authorizations and WISeR -----------------------------------------------

PA_FAMILIES = set(
    [
        "esi_interlaminar",
        "esi_catheter",
        "esi_transforaminal",
        "facet_mbb",
        "facet_rfa",
        "si_joint",
        "scs_trial",
        "scs_permanent",
        "vertebral_augmentation",
        "genicular_rfa",
        "si_rfa",
    ]
)


def test_payer_pa_families() -> None:
    for payer_type in ("commercial", "medicare_advantage", "medicaid", "workers_comp"):
        got = col("pa_requirements", "procedure_family", payer_type=payer_type)
        assert got == PA_FAMILIES, payer_type
    assert not col("pa_requirements", "procedure_family", payer_type="other")
    never = {"trigger_point", "joint_injection", "peripheral_nerve_block"}
    never |= {"evaluation_management", "imaging_guidance"}
    assert not never & col("pa_requirements", "procedure_family")
    assert col("pa_requirements", "program") == {"payer_pa"}


def test_medicare_opd_list_dates() -> None:
    opd = [r for r in rows("pa_requirements") if r["payer_type"] == "medicare_ffs"]
    by_code: dict[str, list[dict]] = {}
    for r in opd:
        by_code.setdefault(r["procedure_code"], []).append(r)
    assert set(by_code) == codes("63650 64490 64491 64492 64493 64494 64495 64633-64636")
    for code, code_rows in by_code.items():
        assert {r["place_of_service"] for r in code_rows} == {"19", "22"}, code
        starts = {r["effective_from"] for r in code_rows}
        assert starts == ({"2021-07-01"} if code == "63650" else {"2023-07-01"}), code
        ends = {r["effective_to"] for r in code_rows}
        assert ends == ({"2023-12-31"} if code in {"64492", "64495"} else {None}), code


def test_wiser_codes() -> None:
    primaries = codes("62321 62323 64479 64483 64624 64625 63650 63685 22510 22511 22513 22514")
    assert col("wiser_codes", "procedure_code", role="primary") == primaries
    assert col("wiser_codes", "procedure_code", role="add_on") == codes("64480 64484 22512 22515")
    assert col("wiser_codes", "procedure_code", role="associated") == {"77003", "77012"}
    assert all("Appendix B" in r["source"] for r in rows("wiser_codes"))
    assert not codes("64490-64495 64633-64636") & col("wiser_codes", "procedure_code")


def test_wiser_states_and_places() -> None:
    states = rows("wiser_states")
    assert {r["state"] for r in states} == {"AZ", "NJ", "OH", "OK", "TX", "WA"}
    for r in states:
        assert r["model_start_date"] == "2026-01-15"
        assert r["requests_accepted_from"] == "2026-01-05"
        assert r["model_end_date"] == "2031-12-31"
    places = {
        r["place_of_service"]: r["utn_on_professional_claim"]
        for r in rows("wiser_places_of_service")
    }
    assert places == {"11": "true", "12": "true", "19": "false", "22": "false", "24": "false"}


# --- RULES.md s5: frequency ------------------------------------------------------------------


def test_frequency_limits() -> None:
    limits = {(r["payer_type"], r["procedure_family"]): r for r in rows("frequency_limits")}
    for payer_type in ("medicare_ffs", "medicare_advantage"):
        for family in ("esi_interlaminar", "esi_transforaminal", "esi_catheter"):
            assert limits[payer_type, family]["max_sessions"] == "4"
            assert limits[payer_type, family]["frequency_pool"] == "esi"
        assert limits[payer_type, "facet_mbb"]["max_sessions"] == "4"
        assert limits[payer_type, "facet_rfa"]["max_sessions"] == "2"
        assert "L39240" in limits[payer_type, "esi_interlaminar"]["source"]
        assert "L38773" in limits[payer_type, "facet_rfa"]["source"]
    for payer_type in ("commercial", "medicaid", "workers_comp"):
        for family in ("esi_interlaminar", "esi_transforaminal", "esi_catheter"):
            assert limits[payer_type, family]["max_sessions"] == "3"
        assert limits[payer_type, "facet_rfa"]["max_sessions"] == "2"
        assert (payer_type, "facet_mbb") not in limits
    assert col("frequency_limits", "window_days") == {"365"}
    assert not {k for k in limits if k[0] == "other"}


def test_regions() -> None:
    regions = {
        r["spinal_region"]: (r["lcd_region"], r["is_counted"]) for r in rows("frequency_regions")
    }
    assert regions == {
        "cervical": ("cervical_thoracic", "true"),
        "thoracic": ("cervical_thoracic", "true"),
        "lumbar": ("lumbar_sacral", "true"),
        "sacral": ("lumbar_sacral", "true"),
        "sacroiliac": (None, "false"),
    }
    ct = codes("62320 62321 62324 62325 64479 64480 64490 64491 64492 64633 64634")
    ls = codes("62322 62323 62326 62327 64483 64484 64493 64494 64495 64635 64636")
    assert col("code_implied_regions", "procedure_code", lcd_region="cervical_thoracic") == ct
    assert col("code_implied_regions", "procedure_code", lcd_region="lumbar_sacral") == ls


# --- RULES.md s6: imaging guidance -------------------------------------------------------------


def test_guidance_rules_match_rules_s6() -> None:
    included = existing(
        "62321 62323 62325 62327 64479-64484 64490-64495 64633-64636 27096 20604 20606 20611 "
        "64415 64445 64447 64451 64454 64624 64625"
    )
    assert col("guidance_rules", "primary_code", relation="included") == included
    variants = {
        (r["primary_code"], r["modality"], r["with_imaging_code"])
        for r in rows("guidance_rules")
        if r["relation"] == "without_imaging_variant"
    }
    expected = {
        (a, m, b)
        for a, b in (("62320", "62321"), ("62322", "62323"), ("62324", "62325"), ("62326", "62327"))
        for m in ("fluoroscopy", "ct")
    }
    expected |= {
        (a, "ultrasound", b)
        for a, b in (("20600", "20604"), ("20605", "20606"), ("20610", "20611"))
    }
    assert variants == expected
    separate = {
        (r["primary_code"], r["modality"], r["guidance_code"])
        for r in rows("guidance_rules")
        if r["relation"] == "separate"
    }
    expected = {
        (c, m, g)
        for c in ("20600", "20605", "20610")
        for m, g in (("fluoroscopy", "77002"), ("ct", "77012"))
    }
    expected |= {
        (c, m, g)
        for c in ("20552", "20553", "64405", "64418", "64450", "64510")
        for m, g in (("ultrasound", "76942"), ("fluoroscopy", "77002"), ("ct", "77012"))
    }
    expected |= {
        (c, m, g)
        for c in ("64520", "62273")
        for m, g in (("fluoroscopy", "77003"), ("ct", "77012"))
    }
    assert separate == expected


# --- RULES.md s7: settings ------------------------------------------------------------------


def test_facility_places_of_service() -> None:
    facility = col("place_of_service_settings", "place_of_service", setting="facility")
    assert facility == {"19", "21", "22", "23", "24", "26", "31", "34"}


# --- RULES.md s9: CARCs ----------------------------------------------------------------------

RULES_S9 = {
    ("authorization", "hard"): "197 198",
    ("authorization", "soft"): "15 284 296",
    ("medical_necessity", "hard"): "50 150",
    ("medical_necessity", "soft"): "11 167",
    ("bundling", "soft"): "97 234 236",
    ("frequency", "hard"): "119 151",
    ("eligibility", "soft"): "22 26 27 31 109",
    ("timely_filing", "hard"): "29",
    ("coding", "soft"): "4 5 6 181 182",
    ("missing_information", "soft"): "16 252",
    ("duplicate", "soft"): "18",
    ("credentialing", "soft"): "B7 185",
    ("non_covered", "hard"): "96 204 49",
}


def test_carc_categories_follow_rules_s9() -> None:
    carcs = {r["carc"]: r for r in rows("carc_categories")}
    listed: set[str] = set()
    for (category, denial_class), spec in RULES_S9.items():
        for code in spec.split():
            assert carcs[code]["category"] == category, code
            assert carcs[code]["denial_class"] == denial_class, code
            assert carcs[code]["is_active"] == "true", code
            listed.add(code)
    for code, r in carcs.items():
        if code not in listed:
            assert (r["category"], r["denial_class"]) == ("other", "hard"), code


def test_carc_list_is_whole() -> None:
    carcs = {r["carc"]: r for r in rows("carc_categories")}
    active = {c for c, r in carcs.items() if r["is_active"] == "true"}
    assert len(active) > 250
    assert {"1", "2", "3", "45", "59", "253", "299", "A1", "B15", "P1", "P31"} <= active
    # retired codes are kept, flagged, and dated where X12 publishes a stop date
    assert carcs["62"]["is_active"] == "false" and carcs["62"]["deactivation_date"] == "2007-04-01"
    assert carcs["W1"]["is_active"] == "false"
    assert all(r["deactivation_date"] is None for r in carcs.values() if r["is_active"] == "true")
    assert col("carc_categories", "carc", is_patient_cost_sharing="true") == {"1", "2", "3", "66"}


def test_group_codes() -> None:
    assert col("carc_group_codes", "group_code") == {"CO", "PR", "OA", "PI", "CR"}
    assert col("carc_group_codes", "group_code", is_patient_responsibility="true") == {"PR"}


# --- RULES.md s7/s10/s11: dates, weights, deadlines ----------------------------------------------


@pytest.mark.parametrize(
    ("holiday", "observed"),
    [
        ("2021-07-04", "2021-07-05"),  # Sunday -> Monday
        ("2022-12-25", "2022-12-26"),  # Sunday -> Monday
        ("2027-06-19", "2027-06-18"),  # Juneteenth on a Saturday -> Friday
        ("2021-06-19", "2021-06-18"),  # first Juneteenth
        ("2022-01-01", "2021-12-31"),  # New Year's Day on a Saturday -> the year before
        ("2026-11-26", "2026-11-26"),  # Thanksgiving
        ("2031-01-20", "2031-01-20"),  # MLK Day
    ],
)
def test_holiday_observed_dates(holiday: str, observed: str) -> None:
    dates = {r["holiday_date"]: r["observed_date"] for r in rows("us_federal_holidays")}
    assert dates[holiday] == observed


def test_holidays_cover_2020_to_2031() -> None:
    data = rows("us_federal_holidays")
    years = {int(r["holiday_date"][:4]) for r in data}
    assert years == set(range(2020, 2032))
    assert len(data) == 12 * 11 - 1  # no Juneteenth in 2020
    assert not any("Inauguration" in r["holiday_name"] for r in data)
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


def test_ar_priority_weights() -> None:
    w = {
        (r["weight_type"], r["lower_bound"]): (r["upper_bound"], r["weight"])
        for r in rows("ar_priority_weights")
    }
    assert w[("urgency", "0")] == ("14", "3.00")
    assert w[("urgency", "15")] == ("30", "2.00")
    assert w[("urgency", "31")] == (None, "1.00")
    assert w[("urgency_wait", None)] == (None, "0.10")
    assert w[("collectability", "0")] == ("90", "1.00")
    assert w[("collectability", "91")] == ("120", "0.80")
    assert w[("collectability", "121")] == (None, "0.60")


def test_practice_policies_agree_with_rule_seeds() -> None:
    policies = {r["policy"]: r["value"] for r in rows("practice_policies")}
    assert policies["dispute_business_days"] == "5"
    assert policies["default_underpayment_tolerance"] == "1.00"
    assert policies["renewal_lead_days"] == "14"
    docs = {r["rule"]: r["numeric_value"] for r in rows("documentation_rules")}
    assert (
        float(policies["documentation_clone_threshold"])
        == float(docs["clone_similarity_threshold"])
        == 0.9
    )
    assert int(policies["note_missing_days"]) == float(docs["note_window_days"]) == 3


def test_payer_pa_deadlines() -> None:
    d = {
        (r["payer_type"], r["request_type"], r["effective_from"]): (
            r["deadline_value"],
            r["deadline_unit"],
        )
        for r in rows("payer_pa_deadlines")
    }
    for payer_type in ("medicare_advantage", "medicaid"):
        assert d[(payer_type, "standard", "2026-01-01")] == ("7", "calendar_days")
        assert d[(payer_type, "standard", None)] == ("14", "calendar_days")
        assert d[(payer_type, "expedited", None)] == ("72", "hours")
    for payer_type in ("commercial", "workers_comp", "other"):
        assert d[(payer_type, "standard", None)] == ("15", "calendar_days")
        assert d[(payer_type, "expedited", None)] == ("72", "hours")
    assert d[("medicare_ffs", "standard", None)] == ("10", "business_days")
    assert d[("medicare_ffs", "expedited", None)] == ("2", "business_days")


# --- RULES.md s13-s15 ---------------------------------------------------------------------------


def test_readiness_criteria() -> None:
    c = {
        (r["criterion"], r["procedure_family_group"]): r["threshold"]
        for r in rows("readiness_criteria")
    }
    assert c[("pain_duration_weeks_min", "esi")] == "4"
    assert c[("conservative_therapy_weeks_min", "esi")] == "4"
    assert c[("repeat_relief_pct_min", "esi")] == "50"
    assert c[("transforaminal_levels_max", "esi")] == "2"
    assert (
        c[("pain_duration_weeks_min", "facet_mbb")]
        == c[("pain_duration_weeks_min", "facet_rfa")]
        == "13"
    )
    assert c[("diagnostic_block_relief_pct_min", "facet_rfa")] == "80"
    assert c[("diagnostic_block_interval_days_min", "facet_rfa")] == "14"
    assert c[("repeat_relief_weeks_min", "facet_rfa")] == "26"
    assert c[("trial_relief_pct_min", "scs_permanent")] == "50"
    groups = col("procedure_families", "family_group")
    assert col("readiness_criteria", "procedure_family_group") <= groups


def test_chronic_pain_rules() -> None:
    assert col("chronic_pain_rules", "rule_key", rule_type="chronic_pain_diagnosis") == {
        "G89.21",
        "G89.22",
        "G89.28",
        "G89.29",
        "G89.4",
    }
    t = {
        r["rule_key"]: r["threshold_value"]
        for r in rows("chronic_pain_rules")
        if r["rule_type"] == "threshold"
    }
    assert t == {
        "g3002_min_minutes": "30",
        "g3003_increment_minutes": "15",
        "initial_in_person_minutes": "30",
        "chronic_pain_min_weeks": "13",
    }


def test_documentation_rules() -> None:
    skipped = col("documentation_rules", "text_value", rule="skipped_family")
    assert skipped == {"imaging_guidance", "evaluation_management"}
    docs = {r["rule"]: r["numeric_value"] for r in rows("documentation_rules")}
    assert float(docs["shingle_size"]) == 3


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
