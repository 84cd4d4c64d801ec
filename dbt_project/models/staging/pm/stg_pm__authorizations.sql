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

known as (

    -- rules.md "What a build as of D sees": a request made after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('request_date') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by auth_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from known

),

newest as (

    select
        *,
        {{ known_as_of('decision_date') }} as is_decision_known

    from versioned
    where version_rank = 1

),

final as (

    -- rules.md "What a build as of D sees": a decision dated after the as-of date was not
    -- made yet, so the request reads as pending (no auth number, no approved units, no
    -- validity dates); its appeal cannot have happened either. A known decision's appeal
    -- decision has no date of its own and is read as delivered.
    select
        auth_id,
        patient_id,
        payer_id,
        program,
        case when is_decision_known then auth_number end as auth_number,
        request_date,
        urgency,
        case when is_decision_known then decision_date end as decision_date,
        case when is_decision_known then decision else 'pending' end as decision,
        case when is_decision_known then decision_reason end as decision_reason,
        case when is_decision_known then appealed end as appealed,
        case when is_decision_known then appeal_decision end as appeal_decision,
        procedure_codes,
        procedure_code_list,
        spinal_region,
        levels,
        level_list,
        laterality,
        case when is_decision_known then units_approved end as units_approved,
        case when is_decision_known then valid_from end as valid_from,
        case when is_decision_known then valid_to end as valid_to,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at,
        version_rank

    from newest

)

select * from final
