{#- PLACEHOLDER (filled by issue #7): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as encounter_id,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as date) as service_date,
        cast(null as {{ dbt.type_string() }}) as primary_code,
        cast(null as {{ dbt.type_string() }}) as guidance_code,
        cast(null as {{ dbt.type_string() }}) as finding_type,
        cast(null as decimal(18, 2)) as recapture_amount,
        cast(null as decimal(18, 2)) as compliance_risk_amount
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
