-- note_text is PHI: it stays in the local warehouse and never leaves it in an export.
with

source as (

    select * from {{ source('raw', 'procedure_notes') }}

),

renamed as (

    select
        note_id,
        appointment_id,
        patient_id,
        author_npi,
        cast(signed_at as date) as signed_at,
        note_text,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

known as (

    -- rules.md "What a build as of D sees": a note signed after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('signed_at') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by note_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from known

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
