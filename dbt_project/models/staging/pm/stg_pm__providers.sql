with

source as (

    select * from {{ source('raw', 'providers') }}

),

renamed as (

    select
        npi,
        provider_name,
        practice_state,
        cast(license_expires_on as date) as license_expires_on,
        cast(dea_expires_on as date) as dea_expires_on,
        cast(caqh_attested_on as date) as caqh_attested_on,
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
            partition by npi
            order by {{ newest_version_order() }}
        ) as version_rank

    from renamed

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
