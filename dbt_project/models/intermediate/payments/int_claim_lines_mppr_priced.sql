{#-
    rules.md §7: the contract's expected allowed of every claim line (newest version) beside what
    the primary payer allowed. Fee from int_fee_schedule_lookup (payer, code, pricing
    modifier 26/TC, setting, effective on the service date). Per claim, rendering NPI and
    service date the non-exempt lines that have a fee are ranked by fee x bilateral factor per
    unit, highest first, ties by line_number. Each unit is a procedure: the rank-1 line's first
    unit is at 100%, every other ranked unit at payer.mppr_secondary_pct; exempt lines (seed
    procedure_pricing mppr_exempt: add-ons, imaging, E/M, G3002/G3003) are at 100%.
    Bilateral factor: modifier 50 on a BILAT 1 code (seed) -> payer.bilateral_pct, for
    modifier_50 payers only. A line without a fee row is not assessed (fee null).
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

fee_lookup as (
    select * from {{ ref('int_fee_schedule_lookup') }}
    where line_source = 'claim'
),

procedure_pricing as (
    select * from {{ ref('procedure_pricing') }}
),

remit_netted as (
    select * from {{ ref('int_claim_lines_remit_netted') }}
),

lines as (
    select
        claims.claim_id,
        claims.line_number,
        claims.patient_id,
        claims.payer_id,
        claims.rendering_npi,
        claims.service_date,
        claims.procedure_code,
        claims.modifiers,
        claims.units,
        concat(' ', coalesce(claims.modifiers, ''), ' ') as modifier_search,
        fee_lookup.fee,
        fee_lookup.pricing_modifier,
        fee_lookup.setting,
        coalesce(procedure_pricing.mppr_exempt, false) as is_mppr_exempt,
        coalesce(procedure_pricing.bilat_indicator, '') as bilat_indicator,
        payers.bilateral_billing,
        cast(payers.mppr_secondary_pct as decimal(9, 4)) as mppr_secondary_pct,
        cast(payers.bilateral_pct as decimal(9, 4)) as bilateral_pct,
        cast(payers.underpayment_tolerance as decimal(18, 2)) as underpayment_tolerance
    from claims
    left join fee_lookup
        on
            claims.claim_id = fee_lookup.claim_id
            and claims.line_number = fee_lookup.claim_line_number
    left join procedure_pricing
        on claims.procedure_code = procedure_pricing.procedure_code
    left join payers
        on claims.payer_id = payers.payer_id
),

bilateral as (
    select
        lines.*,
        lines.modifier_search like '% 50 %' as has_modifier_50,
        (lines.modifier_search like '% RT %' or lines.modifier_search like '% LT %')
            as has_rt_lt,
        cast(
            case
                when
                    lines.bilateral_billing = 'modifier_50'
                    and lines.modifier_search like '% 50 %'
                    and cast(lines.bilat_indicator as {{ dbt.type_string() }}) = '1'
                    then lines.bilateral_pct
                else 100
            end
            as decimal(9, 4)
        ) as bilateral_pct_applied
    from lines
),

ranked as (
    select
        bilateral.*,
        case
            when bilateral.fee is not null and not bilateral.is_mppr_exempt
                then row_number() over (
                        partition by
                            bilateral.claim_id,
                            bilateral.rendering_npi,
                            bilateral.service_date,
                            case
                                when bilateral.fee is not null and not bilateral.is_mppr_exempt
                                    then 1
                                else 0
                            end
                        order by
                            bilateral.fee * bilateral.bilateral_pct_applied desc,
                            bilateral.line_number
                    )
        end as rank_on_claim
    from bilateral
),

-- RT/LT pair member: the same code with the other side on the same claim and date.
rt_lt_pairs as (
    select distinct
        right_side.claim_id,
        right_side.line_number
    from ranked as right_side
    inner join ranked as other_side
        on
            right_side.claim_id = other_side.claim_id
            and right_side.service_date = other_side.service_date
            and right_side.procedure_code = other_side.procedure_code
            and right_side.line_number <> other_side.line_number
            and (
                (right_side.modifier_search like '% RT %' and other_side.modifier_search like '% LT %')
                or (
                    right_side.modifier_search like '% LT %'
                    and other_side.modifier_search like '% RT %'
                )
            )
),

factored as (
    select
        ranked.*,
        -- Sum over the line's units of the per-unit MPPR factor, in percent.
        cast(
            case
                when ranked.rank_on_claim is null then 100 * ranked.units
                when ranked.rank_on_claim = 1
                    then 100 + (ranked.units - 1) * ranked.mppr_secondary_pct
                else ranked.units * ranked.mppr_secondary_pct
            end
            as decimal(12, 4)
        ) as mppr_factor_pct_sum,
        rt_lt_pairs.claim_id is not null as is_rt_lt_pair_member
    from ranked
    left join rt_lt_pairs
        on
            ranked.claim_id = rt_lt_pairs.claim_id
            and ranked.line_number = rt_lt_pairs.line_number
),

final as (
    select
        factored.claim_id,
        factored.line_number,
        factored.patient_id,
        factored.payer_id,
        factored.rendering_npi,
        factored.service_date,
        factored.procedure_code,
        factored.modifiers,
        factored.units,
        factored.pricing_modifier,
        factored.setting,
        factored.fee as fee_per_unit,
        factored.is_mppr_exempt,
        factored.has_modifier_50,
        factored.has_rt_lt,
        factored.is_rt_lt_pair_member,
        factored.bilateral_billing,
        factored.mppr_secondary_pct,
        factored.underpayment_tolerance,
        cast(factored.bilateral_pct_applied * 0.01 as decimal(9, 4)) as bilateral_factor,
        factored.rank_on_claim,
        cast(factored.mppr_factor_pct_sum * 0.01 as decimal(12, 4)) as mppr_factor_sum,
        cast(
            round(
                cast(factored.fee as decimal(12, 2))
                * factored.bilateral_pct_applied
                * factored.mppr_factor_pct_sum
                * 0.0001,
                2
            )
            as decimal(18, 2)
        ) as expected_allowed,
        -- What rank 1 would have been paid had the payer reduced it (rules.md §7
        -- reduction_on_primary): fee x units x secondary % x bilateral factor.
        cast(
            round(
                cast(factored.fee as decimal(12, 2))
                * factored.units
                * factored.mppr_secondary_pct
                * factored.bilateral_pct_applied
                * 0.0001,
                2
            )
            as decimal(18, 2)
        ) as fully_reduced_allowed,
        remit_netted.paid_allowed,
        remit_netted.remit_count,
        remit_netted.latest_remit_date as remit_date
    from factored
    left join remit_netted
        on
            factored.claim_id = remit_netted.claim_id
            and factored.line_number = remit_netted.claim_line_number
)

select * from final
