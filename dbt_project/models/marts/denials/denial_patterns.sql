{#- PLACEHOLDER (filled by issue #8): the contract's columns with their types, no rows yet. -#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with typed as (
    select
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as {{ dbt.type_string() }}) as carc,
        cast(null as {{ dbt.type_string() }}) as group_code,
        cast(null as {{ dbt.type_string() }}) as procedure_family,
        cast(null as date) as month,
        cast(null as {{ dbt.type_int() }}) as lines_billed,
        cast(null as {{ dbt.type_int() }}) as lines_denied,
        cast(null as decimal(9, 2)) as denial_rate,
        cast(null as decimal(18, 2)) as denied_amount,
        cast(null as decimal(18, 2)) as recovered_amount,
        cast(null as decimal(9, 2)) as recovery_rate,
        cast(null as {{ dbt.type_string() }}) as top_rarc
),

final as (
    select * from typed
    where 1 = 0
)

select * from final
