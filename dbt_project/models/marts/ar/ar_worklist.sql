{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as {{ dbt.type_string() }}) as rendering_npi,
        cast(null as date) as service_date,
        cast(null as date) as submitted_date,
        cast(null as decimal(18, 2)) as open_balance,
        cast(null as {{ dbt.type_int() }}) as age_days,
        cast(null as {{ dbt.type_string() }}) as age_bucket,
        cast(null as date) as timely_filing_deadline,
        cast(null as {{ dbt.type_int() }}) as days_to_timely_filing,
        cast(null as date) as appeal_deadline,
        cast(null as {{ dbt.type_string() }}) as next_action,
        cast(null as decimal(18, 2)) as priority_score,
        cast(null as {{ dbt.type_int() }}) as priority_rank,
        cast(null as {{ dbt.type_string() }}) as priority_reason
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
