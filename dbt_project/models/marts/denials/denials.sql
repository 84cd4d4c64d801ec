{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        cast(null as {{ dbt.type_int() }}) as clp_position,
        cast(null as {{ dbt.type_int() }}) as svc_position,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as date) as service_date,
        cast(null as {{ dbt.type_string() }}) as procedure_code,
        cast(null as {{ dbt.type_string() }}) as group_code,
        cast(null as {{ dbt.type_string() }}) as carc,
        cast(null as {{ dbt.type_string() }}) as rarcs,
        cast(null as {{ dbt.type_string() }}) as denial_category,
        cast(null as {{ dbt.type_string() }}) as denial_class,
        cast(null as decimal(18, 2)) as denied_amount,
        cast(null as date) as denial_date,
        cast(null as date) as appeal_deadline,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as decimal(18, 2)) as recovered_amount
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
