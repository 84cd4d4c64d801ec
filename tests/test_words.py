"""painrcm/words.py: the words added beside codes never replace a column the rows carry."""

from __future__ import annotations

import polars as pl

from painrcm.words import with_alert_words, with_code_names, with_what_to_do


def test_what_to_do_is_added_after_next_action():
    rows = pl.DataFrame({"claim_id": ["C1"], "next_action": ["appeal"], "balance": [10]})
    out = with_what_to_do(rows)
    assert out.columns == ["claim_id", "next_action", "what_to_do", "balance"]
    assert out["what_to_do"].to_list() == ["Appeal"]


def test_a_frame_with_its_own_words_keeps_them():
    own = pl.DataFrame({"next_action": ["appeal"], "what_to_do": ["our own words"]})
    assert with_what_to_do(own).equals(own)
    alerts = pl.DataFrame({"alert_type": ["dea_expiring"], "days_left": [-3], "status": ["open"]})
    assert with_alert_words(alerts).equals(alerts)


def test_alert_words_say_expired_and_due():
    rows = pl.DataFrame(
        {"alert_type": ["license_expiring", "caqh_attestation_due"], "days_left": [-10, 1]}
    )
    out = with_alert_words(rows)
    assert out["alert"].to_list() == ["State licence", "CAQH re-attestation"]
    assert out["status"].to_list() == ["expired 10 days ago", "due in 1 day"]


def test_names_beside_codes_and_none_for_an_unknown_code():
    rows = pl.DataFrame({"payer_id": ["AETNA", "NEW"], "carc": ["45", "45"]})
    names = {"payer": {"AETNA": "Aetna"}, "carc": {"45": "Charge exceeds fee schedule"}}
    out = with_code_names(rows, lambda kind: names.get(kind, {}))
    assert out.columns == ["payer_id", "payer_name", "carc", "carc_description"]
    assert out["payer_name"].to_list() == ["Aetna", None]
