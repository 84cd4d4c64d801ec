{#- PLACEHOLDER (filled by issue #6): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as procedure_line_id,
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_int() }}) as claim_line_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as date) as service_date,
        cast(null as {{ dbt.type_string() }}) as procedure_code,
        cast(null as {{ dbt.type_string() }}) as gap_type,
        cast(null as {{ dbt.type_string() }}) as auth_id,
        cast(null as {{ dbt.type_string() }}) as line_status,
        cast(null as {{ dbt.type_int() }}) as days_until_service,
        cast(null as decimal(18, 2)) as revenue_at_risk,
        cast(null as {{ dbt.type_string() }}) as recommended_action
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
