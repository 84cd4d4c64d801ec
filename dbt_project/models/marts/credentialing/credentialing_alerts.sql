{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as npi,
        cast(null as {{ dbt.type_string() }}) as provider_name,
        cast(null as {{ dbt.type_string() }}) as alert_type,
        cast(null as date) as due_date,
        cast(null as {{ dbt.type_int() }}) as days_left
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
