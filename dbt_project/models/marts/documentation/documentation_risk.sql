{#- PLACEHOLDER (filled by issue #10): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as rendering_npi,
        cast(null as date) as service_date,
        cast(null as {{ dbt.type_string() }}) as procedure_family,
        cast(null as {{ dbt.type_string() }}) as note_id,
        cast(null as {{ dbt.type_string() }}) as risk,
        cast(null as decimal(9, 4)) as similarity,
        cast(null as {{ dbt.type_string() }}) as previous_note_id,
        cast(null as decimal(18, 2)) as billed_amount
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
