{#-
    OUTPUTS fee_schedule_comparison, by period: each payer's fee in force on the as-of date
    beside the medicare_ffs payer's fee for the same code, modifier and setting (a Medicare
    row of that setting, else Medicare's any-setting row), weighted by the units the
    practice billed the payer in each scorecard period (int_scorecard_periods: `12m` = the
    12 months to as-of, and each calendar year; claim lines, newest version). A line counts
    toward the fee row that would price it today (rules.md §7: its setting's row beats an
    any-setting row). Every period prices its volume at today's contract: the mix of that
    period at the rates being negotiated now. fee_schedule_comparison is the `12m` rows;
    payer_scorecard sums the rows of each period.
-#}
with

current_fees as (
    select * from {{ ref('int_fee_schedule_current') }}
),

priced_lines as (
    select * from {{ ref('int_fee_schedule_lookup') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

periods as (
    select * from {{ ref('int_scorecard_periods') }}
),

recent_claim_lines as (
    select
        periods.period,
        priced_lines.priced_line_id,
        priced_lines.payer_id,
        priced_lines.procedure_code,
        priced_lines.pricing_modifier,
        priced_lines.setting,
        priced_lines.units
    from priced_lines
    inner join periods
        on
            priced_lines.service_date >= periods.period_start
            and priced_lines.service_date <= periods.period_end
    where priced_lines.line_source = 'claim'
),

line_fee_rows as (
    select
        recent_claim_lines.period,
        recent_claim_lines.priced_line_id,
        recent_claim_lines.units,
        current_fees.payer_id,
        current_fees.procedure_code,
        current_fees.modifier,
        current_fees.setting,
        row_number() over (
            partition by recent_claim_lines.period, recent_claim_lines.priced_line_id
            order by case when current_fees.setting = '' then 1 else 0 end
        ) as preference
    from recent_claim_lines
    inner join current_fees
        on
            recent_claim_lines.payer_id = current_fees.payer_id
            and recent_claim_lines.procedure_code = current_fees.procedure_code
            and recent_claim_lines.pricing_modifier = current_fees.modifier
            and (current_fees.setting = '' or recent_claim_lines.setting = current_fees.setting)
),

volumes as (
    select
        period,
        payer_id,
        procedure_code,
        modifier,
        setting,
        sum(units) as units
    from line_fee_rows
    where preference = 1
    group by period, payer_id, procedure_code, modifier, setting
),

medicare_fees as (
    select current_fees.*
    from current_fees
    inner join payers
        on current_fees.payer_id = payers.payer_id
    where payers.payer_type = 'medicare_ffs'
),

medicare_matched as (
    select
        current_fees.payer_id,
        current_fees.procedure_code,
        current_fees.modifier,
        current_fees.setting,
        medicare_fees.allowed_amount as medicare_allowed,
        row_number() over (
            partition by
                current_fees.payer_id,
                current_fees.procedure_code,
                current_fees.modifier,
                current_fees.setting
            order by case when medicare_fees.setting = current_fees.setting then 0 else 1 end
        ) as preference
    from current_fees
    inner join medicare_fees
        on
            current_fees.procedure_code = medicare_fees.procedure_code
            and current_fees.modifier = medicare_fees.modifier
            and (current_fees.setting = medicare_fees.setting or medicare_fees.setting = '')
),

compared as (
    select
        periods.period,
        current_fees.procedure_code,
        current_fees.modifier,
        current_fees.setting,
        procedure_families.procedure_family,
        current_fees.payer_id,
        current_fees.allowed_amount,
        medicare_matched.medicare_allowed,
        coalesce(volumes.units, 0) as units
    from current_fees
    cross join periods
    left join medicare_matched
        on
            current_fees.payer_id = medicare_matched.payer_id
            and current_fees.procedure_code = medicare_matched.procedure_code
            and current_fees.modifier = medicare_matched.modifier
            and current_fees.setting = medicare_matched.setting
            and medicare_matched.preference = 1
    left join volumes
        on
            periods.period = volumes.period
            and current_fees.payer_id = volumes.payer_id
            and current_fees.procedure_code = volumes.procedure_code
            and current_fees.modifier = volumes.modifier
            and current_fees.setting = volumes.setting
    left join procedure_families
        on current_fees.procedure_code = procedure_families.procedure_code
),

final as (
    select
        period,
        procedure_code,
        modifier,
        setting,
        procedure_family,
        payer_id,
        cast(allowed_amount as decimal(18, 2)) as allowed_amount,
        cast(medicare_allowed as decimal(18, 2)) as medicare_allowed,
        cast({{ pct('allowed_amount', 'medicare_allowed') }} as decimal(9, 2)) as pct_of_medicare,
        cast(units as {{ dbt.type_int() }}) as units,
        cast(units * allowed_amount as decimal(18, 2)) as revenue,
        cast(
            round(units * (allowed_amount + 0.10 * medicare_allowed), 2) as decimal(18, 2)
        ) as revenue_at_medicare_plus_10pts
    from compared
)

select * from final
