with

source as (

    select * from {{ source('raw', 'fee_schedules') }}

),

renamed as (

    select
        payer_id,
        procedure_code,
        modifier,
        setting,
        cast(allowed_amount as decimal(18, 2)) as allowed_amount,
        cast(effective_from as date) as effective_from,
        cast(effective_to as date) as effective_to,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

versioned as (

    select
        *,
        row_number() over (
            partition by payer_id, procedure_code, modifier, setting, effective_from
            order by {{ newest_version_order() }}
        ) as version_rank

    from renamed

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
