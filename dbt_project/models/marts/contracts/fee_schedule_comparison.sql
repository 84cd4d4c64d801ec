{#-
    OUTPUTS fee_schedule_comparison: each payer's fee in force on the as-of date beside the
    medicare_ffs payer's fee for the same code, modifier and setting (a Medicare row of that
    setting, else Medicare's any-setting row), weighted by the units the practice billed the
    payer in the 12 months to as-of (claim lines, newest version). A line counts toward the
    fee row that would price it today (rules.md §7: its setting's row beats an any-setting row).
    The work is in int_fee_schedule_compared (by scorecard period, so that payer_scorecard
    sums the same figures); this mart is its `12m` period.
-#}
with

compared as (
    select * from {{ ref('int_fee_schedule_compared') }}
),

final as (
    select
        procedure_code,
        modifier,
        setting,
        procedure_family,
        payer_id,
        allowed_amount,
        medicare_allowed,
        pct_of_medicare,
        units as units_last_12_months,
        revenue as revenue_last_12_months,
        revenue_at_medicare_plus_10pts
    from compared
    where period = '12m'
)

select * from final
