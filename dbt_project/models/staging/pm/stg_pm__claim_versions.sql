-- Every delivered version of every claim line (resubmission logic needs the older ones);
-- stg_pm__claims keeps version_rank 1.
with

source as (

    select * from {{ source('raw', 'claims') }}

),

renamed as (

    select
        claim_id,
        cast(line_number as integer) as line_number,
        patient_id,
        payer_id,
        rendering_npi,
        appointment_id,
        cast(service_date as date) as service_date,
        cast(submitted_date as date) as submitted_date,
        procedure_code,
        {{ normalise_code_list('modifiers') }} as modifiers,
        {{ split_words(normalise_code_list('modifiers')) }} as modifier_list,
        cast(units as integer) as units,
        cast(charge_amount as decimal(18, 2)) as charge_amount,
        {{ normalise_code_list('diagnosis_codes') }} as diagnosis_codes,
        {{ split_words(normalise_code_list('diagnosis_codes')) }} as diagnosis_code_list,
        prior_auth_number,
        place_of_service,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

known as (

    -- RULES.md "What a build as of D sees": a claim version submitted after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('submitted_date') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by claim_id, line_number
            order by {{ newest_version_order() }}
        ) as version_rank,
        count(*) over (
            partition by claim_id, line_number
        ) as version_count

    from known

),

final as (

    select * from versioned

)

select * from final
