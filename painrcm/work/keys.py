"""The worklist marts and the natural key of each: the one place the work queue learns them.

A key is the mart's grain (its `unique_combination_of_columns` test in the dbt YAML;
tests/test_work_state.py checks the two agree), except where noted. Key values are stored as
text, a NULL as the empty string, so `painrcm work set ar_worklist C040` names a row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Worklist:
    mart: str
    key: tuple[str, ...]
    # SQL predicate over the mart's columns: a row matching it is resolved while still in the
    # mart (a denial recovered or written off); None when only leaving the mart resolves it.
    resolved_when: str | None = None
    # The grain test columns, when the work key deliberately differs from them (see denials).
    grain: tuple[str, ...] | None = None


WORKLISTS: dict[str, Worklist] = {
    w.mart: w
    for w in (
        Worklist("ar_worklist", ("claim_id",)),
        # The mart's grain is the CAS adjustment of one remit (transaction_id, clp_position,
        # svc_position, group_code, carc). The biller works "claim C040 line 1, CO-197": the
        # same reason on the same line denied again on a later remit is the same piece of
        # work, and a re-sent remit file must not orphan the notes. So the work key is what
        # the biller sees and types.
        Worklist(
            "denials",
            ("claim_id", "line_number", "group_code", "carc"),
            resolved_when="status in ('recovered', 'written_off')",
            grain=("transaction_id", "clp_position", "svc_position", "group_code", "carc"),
        ),
        Worklist("pa_coverage_gaps", ("procedure_line_id", "gap_type")),
        Worklist("procedure_readiness", ("appointment_id", "line_number", "finding")),
        Worklist("mppr_underpayments", ("claim_id", "line_number")),
        # One row per rejected submission and reason (rules.md §16): the submission (an 837
        # transaction and CLM loop, or a CSV claim and submitted_date), the acknowledgment's
        # kind and date, and the reason (999 codes overlap between elements: error_element).
        Worklist(
            "claim_rejections",
            (
                "submission_id",
                "source",
                "rejected_on",
                "level",
                "line_number",
                "category_code",
                "status_code",
                "entity_code",
                "error_element",
            ),
            resolved_when="status = 'resubmitted'",
        ),
        Worklist(
            "guidance_recapture", ("encounter_id", "primary_code", "finding_type", "guidance_code")
        ),
    )
}


class UnknownWorklist(ValueError):
    pass


def worklist(mart: str) -> Worklist:
    if mart not in WORKLISTS:
        raise UnknownWorklist(
            f"'{mart}' is not a worklist mart: choose one of {', '.join(sorted(WORKLISTS))}"
        )
    return WORKLISTS[mart]


def key_values(mart: str, values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Check a key typed by a person (CLI) or taken from a row: one value per key column."""
    wl = worklist(mart)
    if len(values) != len(wl.key):
        raise ValueError(
            f"{mart} items are keyed by {len(wl.key)} value(s) ({', '.join(wl.key)}), "
            f"got {len(values)}: {' '.join(values) or '(none)'}"
        )
    return tuple("" if v is None else str(v) for v in values)
