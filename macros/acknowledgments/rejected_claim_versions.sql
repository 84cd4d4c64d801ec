{#-
    rules.md §16, written once: a submission a 999 or 277CA rejected never reached the payer,
    so the claim versions it sent are not in effect (stg_pm__claims keeps the version before
    them standing; int_denials_statused does not count them as a resubmission). Selects the
    rejected versions, one row per (_file_sha256, _row_number) of stg_pm__claim_versions:
    `submission_lines` (a CTE of int_claim_submission_lines) joined to
    `rejected_submissions` (a CTE of int_claim_submissions_rejected). Portable SQL.
-#}
{% macro rejected_claim_versions(submission_lines, rejected_submissions) %}
    select distinct
        {{ submission_lines }}._file_sha256,
        {{ submission_lines }}._row_number
    from {{ submission_lines }}
    inner join {{ rejected_submissions }}
        on {{ submission_lines }}.submission_id = {{ rejected_submissions }}.submission_id
{% endmacro %}
