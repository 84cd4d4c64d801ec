{#-
    Every dated movement of a claim's insurance balance (rules.md §10), one row per movement,
    signed as its effect on the balance: + charges (dated the claim's first submission),
    - primary payments, - primary patient responsibility (group PR), - settlement
    adjustments, - ledger write-offs. Line-level where the remit names the line; a claim-level
    remainder (CLP04 beyond its SVC lines, claim-level CAS) has claim_line_number null and the
    claim's first service date. Summing the movements dated on or before a day gives the open
    balance on that day (int_claims_open_balance, practice_kpis days_in_ar).
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

claim_versions as (
    select * from {{ ref('stg_pm__claim_versions') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

adjustments as (
    select * from {{ ref('int_adjustments_classified') }}
),

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

ledger as (
    select * from {{ ref('stg_pm__ledger') }}
),

claim_heads as (
    select
        claims.claim_id,
        min(claims.service_date) as first_service_date
    from claims
    group by claims.claim_id
),

first_submissions as (
    select
        claim_id,
        min(submitted_date) as first_submitted_date
    from claim_versions
    group by claim_id
),

primary_claim_payments as (
    select claim_payments.*
    from claim_payments
    inner join claim_heads
        on claim_payments.claim_id = claim_heads.claim_id
    where claim_payments.is_primary
),

primary_remit_lines as (
    select *
    from remit_lines
    where is_primary and is_claim_matched
),

remit_line_paid_by_claim_payment as (
    select
        transaction_id,
        clp_position,
        sum(paid) as line_paid
    from primary_remit_lines
    group by transaction_id, clp_position
),

-- The three balance movements every primary remit line makes.
movement_types as (
    select 'primary_payment' as movement_type
    union all
    select 'patient_responsibility' as movement_type
    union all
    select 'settlement_adjustment' as movement_type
),

charge_movements as (
    select
        claims.claim_id,
        claims.line_number as claim_line_number,
        claims.service_date,
        coalesce(first_submissions.first_submitted_date, claims.submitted_date)
            as movement_date,
        'charge' as movement_type,
        claims.charge_amount as amount
    from claims
    left join first_submissions
        on claims.claim_id = first_submissions.claim_id
),

line_movements as (
    select
        primary_remit_lines.claim_id,
        primary_remit_lines.claim_line_number,
        coalesce(primary_remit_lines.service_date, claim_heads.first_service_date)
            as service_date,
        primary_remit_lines.remit_date as movement_date,
        movement_types.movement_type,
        case movement_types.movement_type
            when 'primary_payment' then -primary_remit_lines.paid
            when 'patient_responsibility' then -primary_remit_lines.patient_responsibility
            else -primary_remit_lines.settlement_adjustments
        end as amount
    from primary_remit_lines
    inner join claim_heads
        on primary_remit_lines.claim_id = claim_heads.claim_id
    cross join movement_types
),

-- CLP04 beyond what its SVC lines carry (a claim adjudicated without service lines).
claim_payment_remainders as (
    select
        primary_claim_payments.claim_id,
        cast(null as {{ dbt.type_int() }}) as claim_line_number,
        claim_heads.first_service_date as service_date,
        primary_claim_payments.remit_date as movement_date,
        'primary_payment' as movement_type,
        -(primary_claim_payments.paid_amount - coalesce(remit_line_paid_by_claim_payment.line_paid, 0))
            as amount
    from primary_claim_payments
    inner join claim_heads
        on primary_claim_payments.claim_id = claim_heads.claim_id
    left join remit_line_paid_by_claim_payment
        on
            primary_claim_payments.transaction_id = remit_line_paid_by_claim_payment.transaction_id
            and primary_claim_payments.clp_position = remit_line_paid_by_claim_payment.clp_position
),

claim_level_adjustment_movements as (
    select
        primary_claim_payments.claim_id,
        cast(null as {{ dbt.type_int() }}) as claim_line_number,
        claim_heads.first_service_date as service_date,
        primary_claim_payments.remit_date as movement_date,
        case
            when adjustments.is_patient_responsibility then 'patient_responsibility'
            else 'settlement_adjustment'
        end as movement_type,
        -adjustments.amount as amount
    from adjustments
    inner join primary_claim_payments
        on
            adjustments.transaction_id = primary_claim_payments.transaction_id
            and adjustments.clp_position = primary_claim_payments.clp_position
    inner join claim_heads
        on primary_claim_payments.claim_id = claim_heads.claim_id
    where
        adjustments.svc_position is null
        and (
            adjustments.is_patient_responsibility
            or (primary_claim_payments.paid_amount <> 0 and adjustments.settles_paid_line)
            or (primary_claim_payments.paid_amount = 0 and adjustments.settles_zero_paid_line)
        )
),

write_off_movements as (
    select
        ledger.claim_id,
        ledger.line_number as claim_line_number,
        coalesce(claims.service_date, claim_heads.first_service_date) as service_date,
        ledger.posted_date as movement_date,
        'write_off' as movement_type,
        -ledger.amount as amount
    from ledger
    inner join claim_heads
        on ledger.claim_id = claim_heads.claim_id
    left join claims
        on
            ledger.claim_id = claims.claim_id
            and ledger.line_number = claims.line_number
    where ledger.posting_type = 'write_off'
),

movements as (
    select * from charge_movements
    union all
    select * from line_movements
    union all
    select * from claim_payment_remainders
    union all
    select * from claim_level_adjustment_movements
    union all
    select * from write_off_movements
),

final as (
    select
        claim_id,
        claim_line_number,
        service_date,
        movement_date,
        movement_type,
        cast(amount as decimal(18, 2)) as amount
    from movements
    where amount <> 0
)

select * from final
