{#-
    One row per payer: its contract at a glance (the Contracts page's by-payer figures,
    issue #21: no rule in the dashboard). Over the fee_schedule_comparison rows of the payer,
    weighted by the units billed to it in the 12 months to as-of:
    - weighted_pct_of_medicare = revenue of the codes with a Medicare fee / their revenue at
      Medicare's fees x 100, rounded to 2 decimals; codes without a Medicare fee stay out of
      both sides (as payer_scorecard does);
    - gain_of_10_points = revenue at Medicare + 10 points - revenue, over the same codes.
-#}
with

comparison as (
    select * from {{ ref('fee_schedule_comparison') }}
),

by_payer as (
    select
        payer_id,
        sum(units_last_12_months) as units_last_12_months,
        sum(revenue_last_12_months) as revenue_last_12_months,
        sum(units_last_12_months * medicare_allowed) as revenue_at_medicare,
        sum(case when medicare_allowed is not null then revenue_last_12_months end)
            as revenue_with_medicare_fee,
        sum(revenue_at_medicare_plus_10pts) as revenue_at_medicare_plus_10pts
    from comparison
    group by payer_id
),

final as (
    select
        payer_id,
        cast(units_last_12_months as {{ dbt.type_int() }}) as units_last_12_months,
        cast(revenue_last_12_months as decimal(18, 2)) as revenue_last_12_months,
        cast(revenue_at_medicare as decimal(18, 2)) as revenue_at_medicare,
        cast(
            {{ pct('revenue_with_medicare_fee', 'revenue_at_medicare') }}
            as decimal(9, 2)
        ) as weighted_pct_of_medicare,
        cast(
            coalesce(revenue_at_medicare_plus_10pts - revenue_with_medicare_fee, 0)
            as decimal(18, 2)
        ) as gain_of_10_points
    from by_payer
)

select * from final
