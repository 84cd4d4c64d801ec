with

source as (

    select * from {{ source('raw', 'care_time') }}

),

renamed as (

    select
        activity_id,
        patient_id,
        payer_id,
        rendering_npi,
        cast(activity_date as date) as activity_date,
        cast(minutes as integer) as minutes,
        {{ parse_bool('in_person') }} as in_person,
        activity,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

known as (

    -- rules.md "What a build as of D sees": time documented after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('activity_date') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by activity_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from known

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
