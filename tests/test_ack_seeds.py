"""The acknowledgment seeds against rules.md §16 and INPUTS.md "acknowledgments": which 277CA
categories and 999 codes reject, one row per (element, code), and reasons that read."""

from __future__ import annotations

from tests.test_seeds import rows


def test_rejecting_277ca_categories_are_the_rules():
    cats = {r["category_code"]: r for r in rows("claim_status_categories")}
    rejecting = {c for c, r in cats.items() if r["rejects"] == "true"}
    assert rejecting == {"A3", "A6", "A7", "A8"}
    assert {"A0", "A1", "A2", "A4", "A5"} <= set(cats) - rejecting
    errors = {c for c, r in cats.items() if r["is_error_response"] == "true"}
    assert errors == {c for c in cats if c.startswith("E")} and errors


def test_999_error_codes_are_keyed_by_element_and_code():
    data = rows("x12_error_codes")
    keys = [(r["element"], r["code"]) for r in data]
    assert len(keys) == len(set(keys))
    # the lists overlap: the same code means different things in different elements
    by_key = {(r["element"], r["code"]): r["description"] for r in data}
    assert by_key[("IK304", "8")] != by_key[("IK403", "8")]
    rejecting = {(r["element"], r["code"]) for r in data if r["rejects"] == "true"}
    assert rejecting == {(e, c) for e in ("IK501", "AK901") for c in "RMWX"}
    assert ("AK901", "P") in by_key and ("AK901", "P") not in rejecting
    assert all(r["rejects"] is None for r in data if r["element"] not in ("IK501", "AK901"))


def test_status_codes_that_name_an_entity_read_after_it():
    codes = {r["status_code"]: r for r in rows("claim_status_codes")}
    entities = {r["entity_code"]: r["description"] for r in rows("x12_entity_codes")}
    reason = f"{entities['85']} {codes['562']['description']}"
    assert reason == "billing provider NPI missing or invalid"
    assert codes["33"]["description"] == "subscriber id not found"
    assert codes["33"]["names_entity"] == "false"
