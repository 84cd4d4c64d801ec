{#-
    The scorecard's codes detail (issue #24): for each payer and scorecard period, the
    codes the practice billed it (units > 0) with today's fee beside Medicare's:
    int_fee_schedule_compared, whose `12m` rows are fee_schedule_comparison. payer_scorecard
    sums these rows; the page and the scorecard files chart and list them.
-#}
with

fee_rows as (
    select * from {{ ref('int_fee_schedule_compared') }}
),

final as (
    select
        payer_id,
        period,
        procedure_code,
        modifier,
        setting,
        procedure_family,
        units,
        allowed_amount,
        medicare_allowed,
        pct_of_medicare,
        revenue,
        revenue_at_medicare_plus_10pts,
        case
            when medicare_allowed is null then 'no Medicare fee for this code, modifier and setting'
            else 'complete'
        end as medicare_fee_status
    from fee_rows
    where units > 0
)

select * from final
