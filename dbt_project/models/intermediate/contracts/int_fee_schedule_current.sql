{#-
    Contract fees in force on the as-of date: one row per payer, procedure code, modifier
    ('' = global) and setting ('' = any) from fee_schedules, the latest effective_from when
    rows of the same key overlap.
-#}
with

fee_schedules as (
    select * from {{ ref('stg_pm__fee_schedules') }}
),

in_force as (
    select
        payer_id,
        procedure_code,
        coalesce(modifier, '') as modifier,
        coalesce(setting, '') as setting,
        allowed_amount,
        effective_from,
        row_number() over (
            partition by payer_id, procedure_code, coalesce(modifier, ''), coalesce(setting, '')
            order by effective_from desc
        ) as preference
    from fee_schedules
    where
        effective_from <= {{ as_of_date() }}
        and (effective_to is null or effective_to >= {{ as_of_date() }})
),

final as (
    select
        payer_id,
        procedure_code,
        modifier,
        setting,
        allowed_amount,
        effective_from
    from in_force
    where preference = 1
)

select * from final
