{#-
    rules.md §10: the insurance balance of each claim submitted on or before the as-of date,
    from movements dated on or before it: charges - primary payments - primary patient
    responsibility (group PR) - settlement adjustments - ledger write-offs. One row per claim
    (open or not); is_open = open_balance > 0 (the A/R worklist's claims).
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

movements as (
    select * from {{ ref('int_claim_balance_movements_unioned') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

claim_heads as (
    select
        claim_id,
        min(patient_id) as patient_id,
        min(payer_id) as payer_id,
        min(rendering_npi) as rendering_npi,
        min(service_date) as service_date,
        max(submitted_date) as submitted_date,
        count(*) as line_count
    from claims
    group by claim_id
),

movements_to_date as (
    select *
    from movements
    where movement_date <= {{ as_of_date() }}
),

balances as (
    select
        claim_id,
        min(case when movement_type = 'charge' then movement_date end) as first_submitted_date,
        sum(case when movement_type = 'charge' then amount else 0 end) as charges,
        -sum(case when movement_type = 'primary_payment' then amount else 0 end)
            as primary_paid,
        -sum(case when movement_type = 'patient_responsibility' then amount else 0 end)
            as patient_responsibility,
        -sum(case when movement_type = 'settlement_adjustment' then amount else 0 end)
            as settlement_adjustments,
        -sum(case when movement_type = 'write_off' then amount else 0 end) as write_offs,
        sum(amount) as open_balance
    from movements_to_date
    group by claim_id
),

primary_remits_to_date as (
    select
        claim_id,
        min(remit_date) as first_remit_date,
        max(remit_date) as latest_remit_date
    from claim_payments
    where
        is_primary
        and not is_reversal
        and remit_date <= {{ as_of_date() }}
    group by claim_id
),

final as (
    select
        claim_heads.claim_id,
        claim_heads.patient_id,
        claim_heads.payer_id,
        claim_heads.rendering_npi,
        claim_heads.service_date,
        balances.first_submitted_date,
        claim_heads.submitted_date,
        claim_heads.line_count,
        cast(balances.charges as decimal(18, 2)) as charges,
        cast(balances.primary_paid as decimal(18, 2)) as primary_paid,
        cast(balances.patient_responsibility as decimal(18, 2)) as patient_responsibility,
        cast(balances.settlement_adjustments as decimal(18, 2)) as settlement_adjustments,
        cast(balances.write_offs as decimal(18, 2)) as write_offs,
        cast(balances.open_balance as decimal(18, 2)) as open_balance,
        primary_remits_to_date.first_remit_date,
        primary_remits_to_date.latest_remit_date,
        primary_remits_to_date.claim_id is not null as has_primary_remit,
        coalesce(
            claim_heads.submitted_date > primary_remits_to_date.latest_remit_date, false
        ) as is_resubmitted,
        balances.open_balance > 0 as is_open
    from claim_heads
    inner join balances
        on claim_heads.claim_id = balances.claim_id
    left join primary_remits_to_date
        on claim_heads.claim_id = primary_remits_to_date.claim_id
    where balances.first_submitted_date is not null
)

select * from final
