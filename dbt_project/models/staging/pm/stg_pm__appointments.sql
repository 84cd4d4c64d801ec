with

source as (

    select * from {{ source('raw', 'appointments') }}

),

renamed as (

    select
        appointment_id,
        cast(line_number as integer) as line_number,
        patient_id,
        payer_id,
        member_id,
        rendering_npi,
        service_state,
        place_of_service,
        cast(scheduled_on as date) as scheduled_on,
        cast(service_date as date) as service_date,
        -- a visit after the as-of date cannot have taken place (or been missed) yet: as of
        -- that day it is still scheduled; a cancellation has no date and is read as sent
        case
            when status in ('completed', 'no_show') and cast(service_date as date) > {{ as_of_date() }}
                then 'scheduled'
            else status
        end as status,
        procedure_code,
        {{ normalise_code_list('modifiers') }} as modifiers,
        {{ split_words(normalise_code_list('modifiers')) }} as modifier_list,
        cast(units as integer) as units,
        spinal_region,
        {{ normalise_spinal_levels('levels') }} as levels,
        {{ split_words(normalise_spinal_levels('levels')) }} as level_list,
        laterality,
        guidance_modality,
        {{ parse_bool('guidance_image_saved') }} as guidance_image_saved,
        cast(conservative_therapy_weeks as integer) as conservative_therapy_weeks,
        cast(pain_duration_weeks as integer) as pain_duration_weeks,
        cast(relief_pct as integer) as relief_pct,
        cast(relief_weeks as integer) as relief_weeks,
        {{ parse_bool('psych_eval_documented') }} as psych_eval_documented,
        cast(pain_score as integer) as pain_score,
        auth_number,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

known as (

    -- rules.md "What a build as of D sees": an appointment booked after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('scheduled_on') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by appointment_id, line_number
            order by {{ newest_version_order() }}
        ) as version_rank

    from known

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
