{#-
    One row per claim line (newest version): what its primary payer's remits add up to, on
    or before the as-of date. Reversals (CLP02 22) carry negated amounts, so summing every
    primary remit line nets an original, its reversal and the corrected payment to the
    corrected amounts (rules.md §7 paid_allowed, rules.md §10 settlement adjustments). Secondary
    payers' remits are left out: they pay cost sharing, not the contract.
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

primary_remit_lines as (
    select *
    from remit_lines
    where
        is_primary
        and is_line_matched
        and remit_date <= {{ as_of_date() }}
),

netted as (
    select
        claim_id,
        claim_line_number,
        sum(paid) as paid,
        sum(paid_allowed) as paid_allowed,
        sum(patient_cost_sharing) as patient_cost_sharing,
        sum(patient_responsibility) as patient_responsibility,
        sum(sequestration) as sequestration,
        sum(settlement_adjustments) as settlement_adjustments,
        min(remit_date) as first_remit_date,
        max(remit_date) as latest_remit_date,
        sum(case when is_reversal then 0 else 1 end) as remit_count,
        sum(case when is_reversal then 1 else 0 end) as reversal_count,
        max(case when is_denied then 1 else 0 end) = 1 as was_ever_denied
    from primary_remit_lines
    group by claim_id, claim_line_number
),

final as (
    select
        claims.claim_id,
        claims.line_number as claim_line_number,
        claims.payer_id,
        claims.service_date,
        claims.procedure_code,
        claims.modifiers,
        claims.units,
        claims.charge_amount,
        cast(coalesce(netted.paid, 0) as decimal(18, 2)) as paid,
        cast(coalesce(netted.paid_allowed, 0) as decimal(18, 2)) as paid_allowed,
        cast(coalesce(netted.patient_cost_sharing, 0) as decimal(18, 2)) as patient_cost_sharing,
        cast(coalesce(netted.patient_responsibility, 0) as decimal(18, 2))
            as patient_responsibility,
        cast(coalesce(netted.sequestration, 0) as decimal(18, 2)) as sequestration,
        cast(coalesce(netted.settlement_adjustments, 0) as decimal(18, 2))
            as settlement_adjustments,
        netted.first_remit_date,
        netted.latest_remit_date,
        coalesce(netted.remit_count, 0) as remit_count,
        coalesce(netted.reversal_count, 0) as reversal_count,
        coalesce(netted.was_ever_denied, false) as was_ever_denied
    from claims
    left join netted
        on
            claims.claim_id = netted.claim_id
            and claims.line_number = netted.claim_line_number
)

select * from final
