with

source as (

    select * from {{ source('raw', 'authorizations') }}

),

renamed as (

    select
        auth_id,
        patient_id,
        payer_id,
        program,
        auth_number,
        cast(request_date as date) as request_date,
        urgency,
        cast(decision_date as date) as decision_date,
        decision,
        decision_reason,
        {{ parse_bool('appealed') }} as appealed,
        appeal_decision,
        {{ normalise_code_list('procedure_codes') }} as procedure_codes,
        {{ split_words(normalise_code_list('procedure_codes')) }} as procedure_code_list,
        spinal_region,
        {{ normalise_spinal_levels('levels') }} as levels,
        {{ split_words(normalise_spinal_levels('levels')) }} as level_list,
        laterality,
        cast(units_approved as integer) as units_approved,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
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
            partition by auth_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from renamed

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
