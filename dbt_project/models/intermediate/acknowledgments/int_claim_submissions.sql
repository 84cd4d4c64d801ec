-- One row per submission of a claim (RULES.md s16: one version of the claim as sent), from
-- its lines in int_claim_submission_lines: the claim's charges on it, its first service
-- date, the first line's patient, payer and rendering provider, and for an 837 the batch it
-- was in (what acknowledgments name).
with

all_submission_lines as (

    select * from {{ ref('int_claim_submission_lines') }}

),

submission_lines as (

    -- a line delivered twice within one submission (a corrected CSV re-delivery with the
    -- same submitted_date) counts once: its newest version
    select *
    from (
        select
            *,
            row_number() over (
                partition by claim_id, submission_id, line_number
                order by version_rank asc
            ) as line_version_rank
        from all_submission_lines
    ) as ranked
    where line_version_rank = 1

),

first_lines as (

    select
        submission_id,
        claim_id,
        patient_id,
        payer_id,
        rendering_npi,
        row_number() over (
            partition by claim_id, submission_id
            order by line_number asc
        ) as line_rank
    from submission_lines

),

totals as (

    select
        claim_id,
        submission_id,
        min(claim_source) as claim_source,
        min(transaction_id) as transaction_id,
        min(clm_position) as clm_position,
        min(clm01) as clm01,
        min(billing_npi) as billing_npi,
        min(bht_reference) as bht_reference,
        min(submitted_date) as submitted_date,
        min(service_date) as service_date,
        max(frequency_code) as frequency_code,
        cast(sum(charge_amount) as decimal(18, 2)) as charge_amount,
        min(submission_order) as submission_order
    from submission_lines
    group by claim_id, submission_id

),

final as (

    select
        totals.claim_id,
        totals.submission_id,
        totals.claim_source,
        totals.transaction_id,
        totals.clm_position,
        totals.clm01,
        totals.billing_npi,
        totals.bht_reference,
        first_lines.patient_id,
        first_lines.payer_id,
        first_lines.rendering_npi,
        totals.service_date,
        totals.submitted_date,
        totals.frequency_code,
        totals.charge_amount,
        totals.submission_order
    from totals
    inner join first_lines
        on
            totals.claim_id = first_lines.claim_id
            and totals.submission_id = first_lines.submission_id
            and first_lines.line_rank = 1

)

select * from final
