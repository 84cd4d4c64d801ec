{#- PLACEHOLDER (filled by issue #7): the contract's columns with their types, no rows yet. -#}
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as date) as service_date,
        cast(null as {{ dbt.type_string() }}) as procedure_code,
        cast(null as {{ dbt.type_string() }}) as modifiers,
        cast(null as {{ dbt.type_int() }}) as units,
        cast(null as {{ dbt.type_int() }}) as rank_on_claim,
        cast(null as decimal(18, 2)) as expected_allowed,
        cast(null as decimal(18, 2)) as paid_allowed,
        cast(null as decimal(18, 2)) as variance,
        cast(null as {{ dbt.type_string() }}) as variance_reason,
        cast(null as date) as remit_date,
        cast(null as date) as dispute_by
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
