"""The words a person reads beside a mart's codes, in one place for the pages, their
downloads and `painrcm export`: the A/R worklist's `what_to_do` beside `next_action`, the
credentialing alert's kind and status in words, payer, provider and CARC names beside their
codes. Each is an added column; the mart's own (contract) columns stay as they are.

These are display words, not rules: which action or alert a row gets is decided in the
marts (rules.md §10; OUTPUTS.md credentialing_alerts); here it is only said in English.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

# next_action (marts.ar_worklist, rules.md §10) -> what a biller reads.
ACTIONS = {
    "fix_rejection": "Fix the rejection",
    "escalate_timely_filing": "Escalate: timely filing",
    "appeal": "Appeal",
    "correct_resubmit": "Correct and resubmit",
    "resolution_review": "Review the balance",
    "call_payer": "Call the payer",
    "portal_status_check": "Check the payer portal",
    "wait": "Wait (within turnaround)",
}

# alert_type (marts.credentialing_alerts) -> what a credentialing coordinator reads.
ALERTS = {
    "license_expiring": "State licence",
    "dea_expiring": "DEA registration",
    "caqh_attestation_due": "CAQH re-attestation",
}


def _after(rows: pl.DataFrame, framed: pl.DataFrame, code: str, added: list[str]) -> pl.DataFrame:
    """framed's columns in rows' order, the `added` ones right after `code`."""
    order = [c for c in rows.columns if c not in added]
    at = order.index(code) + 1
    return framed.select([*order[:at], *added, *order[at:]])


def with_what_to_do(rows: pl.DataFrame) -> pl.DataFrame:
    """A/R worklist: the human words of each next_action code (ACTIONS) in a `what_to_do`
    column right after the code."""
    if "next_action" not in rows.columns or "what_to_do" in rows.columns:
        return rows  # a frame with its own what_to_do keeps it
    words = pl.col("next_action").replace_strict(
        ACTIONS, default=pl.col("next_action"), return_dtype=pl.String
    )
    return _after(rows, rows.with_columns(words.alias("what_to_do")), "next_action", ["what_to_do"])


def with_alert_words(rows: pl.DataFrame) -> pl.DataFrame:
    """Credentialing: `alert` (the alert_type in words) and `status` ('expired 10 days ago',
    'overdue 30 days', 'due today', 'due in 45 days') right after alert_type. A licence or
    DEA registration with negative days_left has expired; a CAQH re-attestation is overdue."""
    if not {"alert_type", "days_left"} <= set(rows.columns) or {"alert", "status"} & set(
        rows.columns
    ):
        return rows  # a frame with its own alert or status keeps it
    left = pl.col("days_left")
    caqh = pl.col("alert_type") == "caqh_attestation_due"
    days = (-left).cast(pl.String) + pl.when(left == -1).then(pl.lit(" day")).otherwise(
        pl.lit(" days")
    )
    status = (
        pl.when(left < 0)
        .then(
            pl.when(caqh)
            .then(pl.lit("overdue ") + days)
            .otherwise(pl.lit("expired ") + days + pl.lit(" ago"))
        )
        .when(left == 0)
        .then(pl.lit("due today"))
        .when(left == 1)
        .then(pl.lit("due in 1 day"))
        .otherwise(pl.lit("due in ") + left.cast(pl.String) + pl.lit(" days"))
    )
    alert = pl.col("alert_type").replace_strict(
        ALERTS, default=pl.col("alert_type"), return_dtype=pl.String
    )
    framed = rows.with_columns(alert.alias("alert"), status.alias("status"))
    return _after(rows, framed, "alert_type", ["alert", "status"])


# Code column -> (marts.code_names kind, the name column put beside it).
NAMED_CODES = {
    "payer_id": ("payer", "payer_name"),
    "rendering_npi": ("provider", "provider_name"),
    "npi": ("provider", "provider_name"),
    "carc": ("carc", "carc_description"),
}


def with_code_names(rows: pl.DataFrame, names: Callable[[str], dict[str, str]]) -> pl.DataFrame:
    """The payer's, provider's and CARC's names right after payer_id / rendering_npi / npi
    / carc; `names(kind)` gives code -> name (marts.code_names). A frame that already has
    the name column keeps its own."""
    for code, (kind, name_col) in NAMED_CODES.items():
        if code not in rows.columns or name_col in rows.columns:
            continue
        by_code = names(kind)
        if not by_code:
            continue
        name = (
            pl.col(code)
            .cast(pl.String)
            .replace_strict(by_code, default=None, return_dtype=pl.String)
        )
        rows = _after(rows, rows.with_columns(name.alias(name_col)), code, [name_col])
    return rows


# mart -> the words added to its rows wherever they leave for a person (page, download, export).
WORDS: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
    "ar_worklist": with_what_to_do,
    "credentialing_alerts": with_alert_words,
}


def with_words(rows: pl.DataFrame, mart: str) -> pl.DataFrame:
    """rows of marts.<mart> with the words of its codes added (unchanged for other marts)."""
    add = WORDS.get(mart.split(".")[-1])
    return add(rows) if add else rows
