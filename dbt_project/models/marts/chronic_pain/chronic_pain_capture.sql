{#- PLACEHOLDER (filled by issue #10): the contract's columns with their types, no rows yet. -#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as {{ dbt.type_string() }}) as rendering_npi,
        cast(null as date) as month,
        cast(null as {{ dbt.type_int() }}) as minutes_documented,
        cast(null as boolean) as chronic_pain_documented,
        cast(null as {{ dbt.type_int() }}) as expected_g3002_units,
        cast(null as {{ dbt.type_int() }}) as expected_g3003_units,
        cast(null as {{ dbt.type_int() }}) as billed_g3002_units,
        cast(null as {{ dbt.type_int() }}) as billed_g3003_units,
        cast(null as {{ dbt.type_string() }}) as finding,
        cast(null as decimal(18, 2)) as missed_revenue,
        cast(null as decimal(18, 2)) as compliance_risk_amount
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
