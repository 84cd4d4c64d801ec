{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as procedure_code,
        cast(null as {{ dbt.type_string() }}) as modifier,
        cast(null as {{ dbt.type_string() }}) as setting,
        cast(null as {{ dbt.type_string() }}) as procedure_family,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as decimal(18, 2)) as allowed_amount,
        cast(null as decimal(18, 2)) as medicare_allowed,
        cast(null as decimal(9, 2)) as pct_of_medicare,
        cast(null as {{ dbt.type_int() }}) as units_last_12_months,
        cast(null as decimal(18, 2)) as revenue_last_12_months,
        cast(null as decimal(18, 2)) as revenue_at_medicare_plus_10pts
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
