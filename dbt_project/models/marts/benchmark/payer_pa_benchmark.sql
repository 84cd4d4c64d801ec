{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as {{ dbt.type_string() }}) as parent_organization,
        cast(null as {{ dbt.type_int() }}) as report_year,
        cast(null as {{ dbt.type_string() }}) as request_type,
        cast(null as {{ dbt.type_int() }}) as practice_requests,
        cast(null as decimal(9, 2)) as practice_pct_approved,
        cast(null as decimal(9, 2)) as practice_pct_denied,
        cast(null as decimal(9, 2)) as practice_pct_approved_after_appeal,
        cast(null as decimal(9, 2)) as practice_avg_decision_days,
        cast(null as decimal(9, 2)) as practice_median_decision_days,
        cast(null as decimal(9, 2)) as practice_pct_within_deadline,
        cast(null as decimal(9, 2)) as payer_pct_approved,
        cast(null as decimal(9, 2)) as payer_pct_denied,
        cast(null as decimal(9, 2)) as payer_pct_approved_after_appeal,
        cast(null as decimal(9, 2)) as payer_pct_extended_then_approved,
        cast(null as decimal(9, 2)) as payer_avg_decision_days,
        cast(null as decimal(9, 2)) as payer_median_decision_days,
        cast(null as decimal(9, 2)) as approval_gap_pts,
        cast(null as decimal(9, 2)) as decision_days_gap
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
