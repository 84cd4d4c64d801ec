{#-
    rules.md §9: one row per denying CAS adjustment of a zero-paid line on a primary remit
    (CLP02 1, 4, 19: seed remit_claim_statuses; reversals and secondary remits never deny),
    each remit on its own. Patient cost sharing (PR 1 2 3 66), CO-45, CO-253 and OA-23 are not
    denials (int_adjustments_classified.is_denying, from the seeds). A claim
    paid 0 without SVC loops is denied by its claim-level CAS (line_number null). Category
    and class from seed carc_categories (unknown CARC: other / hard). Status, first that
    fits: recovered (a later primary remit pays the line), resubmitted (a newer version of
    the line submitted after the denial, not rejected by a 999/277CA: rules.md §16), written_off (deadline passed: hard = appeal
    deadline, soft = timely filing), open.
-#}
with

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

service_lines as (
    select * from {{ ref('stg_x12__service_lines') }}
),

adjustments as (
    select * from {{ ref('int_adjustments_classified') }}
),

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

all_claim_versions as (
    select * from {{ ref('stg_pm__claim_versions') }}
),

submission_lines as (
    select * from {{ ref('int_claim_submission_lines') }}
),

rejected_submissions as (
    select * from {{ ref('int_claim_submissions_rejected') }}
),

rejected_versions as (
    {{ rejected_claim_versions('submission_lines', 'rejected_submissions') }}
),

-- rules.md §16: a resubmission a 999 or 277CA rejected never reached the payer, so it does not
-- make a denial resubmitted.
claim_versions as (
    select all_claim_versions.*
    from all_claim_versions
    left join rejected_versions
        on
            all_claim_versions._file_sha256 = rejected_versions._file_sha256
            and all_claim_versions._row_number = rejected_versions._row_number
    where rejected_versions._file_sha256 is null
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

carc_categories as (
    select * from {{ ref('carc_categories') }}
),

claim_heads as (
    select
        claim_id,
        min(payer_id) as payer_id,
        min(service_date) as service_date
    from claims
    group by claim_id
),

first_line_numbers as (
    select
        claim_id,
        min(line_number) as line_number
    from claims
    group by claim_id
),

first_claim_lines as (
    select
        claims.claim_id,
        claims.procedure_code
    from claims
    inner join first_line_numbers
        on
            claims.claim_id = first_line_numbers.claim_id
            and claims.line_number = first_line_numbers.line_number
),

denying_adjustments as (
    select
        transaction_id,
        clp_position,
        svc_position,
        group_code,
        carc,
        amount
    from adjustments
    where is_denying
),

line_denials as (
    select
        remit_lines.transaction_id,
        remit_lines.clp_position,
        remit_lines.svc_position,
        remit_lines.claim_id,
        remit_lines.claim_line_number as line_number,
        remit_lines.payer_id,
        remit_lines.service_date,
        coalesce(remit_lines.claim_procedure_code, remit_lines.remit_procedure_code)
            as procedure_code,
        denying_adjustments.group_code,
        denying_adjustments.carc,
        remit_lines.remark_codes as rarcs,
        denying_adjustments.amount as denied_amount,
        remit_lines.remit_date as denial_date
    from remit_lines
    inner join denying_adjustments
        on
            remit_lines.transaction_id = denying_adjustments.transaction_id
            and remit_lines.clp_position = denying_adjustments.clp_position
            and remit_lines.svc_position = denying_adjustments.svc_position
    where
        remit_lines.is_denied
        and remit_lines.is_claim_matched
        and remit_lines.remit_date <= {{ as_of_date() }}
),

claim_payments_with_lines as (
    select distinct
        transaction_id,
        clp_position
    from service_lines
),

-- A primary claim payment of 0 without SVC loops: its claim-level CAS are the denial.
claim_level_denials as (
    select
        claim_payments.transaction_id,
        claim_payments.clp_position,
        cast(null as {{ dbt.type_int() }}) as svc_position,
        claim_payments.claim_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        claim_heads.payer_id,
        claim_heads.service_date,
        first_claim_lines.procedure_code,
        denying_adjustments.group_code,
        denying_adjustments.carc,
        claim_payments.moa_remark_codes as rarcs,
        denying_adjustments.amount as denied_amount,
        claim_payments.remit_date as denial_date
    from claim_payments
    inner join claim_heads
        on claim_payments.claim_id = claim_heads.claim_id
    left join first_claim_lines
        on claim_payments.claim_id = first_claim_lines.claim_id
    inner join denying_adjustments
        on
            claim_payments.transaction_id = denying_adjustments.transaction_id
            and claim_payments.clp_position = denying_adjustments.clp_position
            and denying_adjustments.svc_position is null
    left join claim_payments_with_lines
        on
            claim_payments.transaction_id = claim_payments_with_lines.transaction_id
            and claim_payments.clp_position = claim_payments_with_lines.clp_position
    where
        claim_payments.is_primary
        and not claim_payments.is_reversal
        and claim_payments.paid_amount = 0
        and claim_payments_with_lines.transaction_id is null
        and claim_payments.remit_date <= {{ as_of_date() }}
),

denials as (
    select * from line_denials
    union all
    select * from claim_level_denials
),

-- Later primary payments (reversals netted): per line, and per claim for a claim-level
-- denial (CLP04: the claim was paid after all).
later_line_payments as (
    select
        denials.transaction_id,
        denials.clp_position,
        denials.svc_position,
        sum(remit_lines.paid) as later_paid
    from denials
    inner join remit_lines
        on
            denials.claim_id = remit_lines.claim_id
            and denials.line_number = remit_lines.claim_line_number
            and denials.denial_date < remit_lines.remit_date
    where
        denials.svc_position is not null
        and remit_lines.is_primary
        and remit_lines.remit_date <= {{ as_of_date() }}
    group by denials.transaction_id, denials.clp_position, denials.svc_position
),

later_claim_payments as (
    select
        denials.transaction_id,
        denials.clp_position,
        sum(claim_payments.paid_amount) as later_paid
    from denials
    inner join claim_payments
        on
            denials.claim_id = claim_payments.claim_id
            and denials.denial_date < claim_payments.remit_date
    where
        denials.svc_position is null
        and claim_payments.is_primary
        and claim_payments.remit_date <= {{ as_of_date() }}
    group by denials.transaction_id, denials.clp_position
),

later_versions as (
    select distinct
        denials.transaction_id,
        denials.clp_position,
        denials.svc_position
    from denials
    inner join claim_versions
        on
            denials.claim_id = claim_versions.claim_id
            and (denials.line_number is null or denials.line_number = claim_versions.line_number)
            and denials.denial_date < claim_versions.submitted_date
    where
        (denials.svc_position is null or denials.line_number is not null)
        and claim_versions.submitted_date <= {{ as_of_date() }}
),

classified as (
    select
        denials.*,
        coalesce(carc_categories.category, 'other') as denial_category,
        coalesce(carc_categories.denial_class, 'hard') as denial_class,
        {{ add_days('denials.denial_date', 'payers.appeal_window_days') }} as appeal_deadline,
        {{ add_days('denials.service_date', 'payers.timely_filing_days') }}
            as timely_filing_deadline,
        coalesce(later_line_payments.later_paid, later_claim_payments.later_paid, 0)
            as later_paid,
        later_versions.transaction_id is not null as has_later_version
    from denials
    left join carc_categories
        on denials.carc = carc_categories.carc
    left join payers
        on denials.payer_id = payers.payer_id
    left join later_line_payments
        on
            denials.transaction_id = later_line_payments.transaction_id
            and denials.clp_position = later_line_payments.clp_position
            and denials.svc_position = later_line_payments.svc_position
    left join later_claim_payments
        on
            denials.svc_position is null
            and denials.transaction_id = later_claim_payments.transaction_id
            and denials.clp_position = later_claim_payments.clp_position
    left join later_versions
        on
            denials.transaction_id = later_versions.transaction_id
            and denials.clp_position = later_versions.clp_position
            and (
                denials.svc_position = later_versions.svc_position
                or (denials.svc_position is null and later_versions.svc_position is null)
            )
),

final as (
    select
        transaction_id,
        clp_position,
        svc_position,
        claim_id,
        line_number,
        payer_id,
        service_date,
        procedure_code,
        group_code,
        carc,
        rarcs,
        denial_category,
        denial_class,
        cast(denied_amount as decimal(18, 2)) as denied_amount,
        denial_date,
        appeal_deadline,
        timely_filing_deadline,
        case
            when denial_class = 'hard' then appeal_deadline
            else timely_filing_deadline
        end as status_deadline,
        case
            when later_paid > 0 then 'recovered'
            when has_later_version then 'resubmitted'
            when
                denial_class = 'hard' and appeal_deadline < {{ as_of_date() }}
                then 'written_off'
            when
                denial_class = 'soft' and timely_filing_deadline < {{ as_of_date() }}
                then 'written_off'
            else 'open'
        end as status,
        cast(case when later_paid > 0 then later_paid else 0 end as decimal(18, 2))
            as recovered_amount
    from classified
)

select * from final
