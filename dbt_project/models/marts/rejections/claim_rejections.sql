{#-
    rules.md §16, OUTPUTS.md marts.claim_rejections: one row per rejected submission and
    reason. The submission's claim, patient, payer, provider, dates and charges are the
    rejected version's; status open (no newer submission) or resubmitted (a newer
    submission on or after rejected_on); timely filing = service_date +
    payer.timely_filing_days (the rejected submission does not stop the clock);
    is_near_timely_filing when it ends within N days or has ended, N the A/R worklist's
    escalation window (seed practice_policies timely_filing_escalation_days, rules.md §10).
-#}
with

reasons as (
    select * from {{ ref('int_claim_rejection_reasons') }}
),

submissions as (
    select * from {{ ref('int_claim_submissions') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

policies as (
    select * from {{ ref('practice_policies') }}
),

escalation as (
    select
        max(
            case when policy = 'timely_filing_escalation_days' then cast(value as {{ dbt.type_int() }}) end
        ) as escalation_days
    from policies
),

resubmissions as (
    select
        reasons.submission_id,
        reasons.ack_transaction_id,
        min(newer.submitted_date) as resubmitted_date
    from reasons
    inner join submissions as rejected
        on reasons.submission_id = rejected.submission_id
    inner join submissions as newer
        on
            rejected.claim_id = newer.claim_id
            and rejected.submission_order < newer.submission_order
            and reasons.rejected_on <= newer.submitted_date
    group by reasons.submission_id, reasons.ack_transaction_id
),

joined as (
    select
        submissions.claim_id,
        submissions.patient_id,
        submissions.payer_id,
        submissions.rendering_npi,
        submissions.service_date,
        submissions.submitted_date,
        reasons.source,
        reasons.level,
        reasons.line_number,
        reasons.rejected_on,
        reasons.category_code,
        reasons.status_code,
        reasons.entity_code,
        reasons.reason,
        submissions.charge_amount,
        case when resubmissions.submission_id is null then 'open' else 'resubmitted' end as status,
        {{ add_days('submissions.service_date', 'payers.timely_filing_days') }} as timely_filing_deadline,
        reasons.rejecter,
        reasons.error_element,
        reasons.answer_reference,
        reasons.acknowledgment_file_name,
        resubmissions.resubmitted_date,
        submissions.submission_id,
        submissions.claim_source,
        submissions.frequency_code,
        escalation.escalation_days
    from reasons
    inner join submissions
        on reasons.submission_id = submissions.submission_id
    left join payers
        on submissions.payer_id = payers.payer_id
    left join resubmissions
        on
            reasons.submission_id = resubmissions.submission_id
            and reasons.ack_transaction_id = resubmissions.ack_transaction_id
    cross join escalation
),

final as (
    select
        claim_id,
        patient_id,
        payer_id,
        rendering_npi,
        service_date,
        submitted_date,
        source,
        level,
        cast(line_number as {{ dbt.type_int() }}) as line_number,
        rejected_on,
        category_code,
        status_code,
        entity_code,
        reason,
        cast(charge_amount as decimal(18, 2)) as charge_amount,
        status,
        timely_filing_deadline,
        cast({{ days_between(as_of_date(), 'timely_filing_deadline') }} as {{ dbt.type_int() }})
            as days_to_timely_filing,
        rejecter,
        error_element,
        answer_reference,
        acknowledgment_file_name,
        resubmitted_date,
        submission_id,
        claim_source,
        frequency_code,
        {{ days_between(as_of_date(), 'timely_filing_deadline') }} <= escalation_days as is_near_timely_filing,
        cast(escalation_days as {{ dbt.type_int() }}) as escalation_days
    from joined
)

select * from final
