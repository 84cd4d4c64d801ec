{#-
    rules.md §8: unmatched claims and lines are kept and reported. Remit service lines that
    matched no claim line, and claim payments (without service lines) whose CLP01 names no
    claim of the claims extract.
-#}
with

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

known_claims as (
    select distinct claim_id from claims
),

claim_payments_with_lines as (
    select distinct
        transaction_id,
        clp_position
    from remit_lines
),

unmatched_lines as (
    select
        transaction_id,
        clp_position,
        svc_position,
        claim_id,
        remit_date,
        claim_status_code,
        is_primary,
        paid,
        case
            when not is_claim_matched then 'unknown_claim'
            else 'no_matching_line'
        end as unmatched_reason
    from remit_lines
    where not is_line_matched
),

unmatched_claim_payments as (
    select
        claim_payments.transaction_id,
        claim_payments.clp_position,
        cast(null as {{ dbt.type_int() }}) as svc_position,
        claim_payments.claim_id,
        claim_payments.remit_date,
        claim_payments.claim_status_code,
        claim_payments.is_primary,
        claim_payments.paid_amount as paid,
        'unknown_claim' as unmatched_reason
    from claim_payments
    left join known_claims
        on claim_payments.claim_id = known_claims.claim_id
    left join claim_payments_with_lines
        on
            claim_payments.transaction_id = claim_payments_with_lines.transaction_id
            and claim_payments.clp_position = claim_payments_with_lines.clp_position
    where
        known_claims.claim_id is null
        and claim_payments_with_lines.transaction_id is null
),

final as (
    select * from unmatched_lines
    union all
    select * from unmatched_claim_payments
)

select * from final
