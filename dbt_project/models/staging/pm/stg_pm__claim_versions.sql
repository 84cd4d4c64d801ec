-- Every delivered version of every claim line, from the claims CSV extract and from the 837P
-- batches (stg_x12__claims_837) alike (resubmission logic needs the older ones);
-- stg_pm__claims keeps version_rank 1.
with

source as (

    select * from {{ source('raw', 'claims') }}

),

claims_837 as (

    select * from {{ ref('stg_x12__claims_837') }}

),

appointments as (

    select * from {{ ref('stg_pm__appointments') }}

),

csv_renamed as (

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
        cast(units as integer) as units,
        cast(charge_amount as decimal(18, 2)) as charge_amount,
        -- INPUTS.md: a code sent without its dot gets one, as in the 837 (M5416 -> M54.16)
        {{ dotted_icd10_list(normalise_code_list('diagnosis_codes')) }} as diagnosis_codes,
        prior_auth_number,
        place_of_service,
        -- INPUTS.md: an empty line_control_number is the line_number; frequency 1 by default
        coalesce(line_control_number, line_number) as line_control_number,
        coalesce(frequency_code, '1') as frequency_code,
        'csv' as claim_source,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at,
        row_number() over (
            partition by claim_id, cast(line_number as integer)
            order by {{ newest_version_order() }}
        ) as source_rank

    from source
    -- rules.md "What a build as of D sees": a claim version submitted after the as-of date
    -- was not known on it (filtered before the newest version is picked)
    where {{ known_as_of('cast(submitted_date as date)') }}

),

x12_renamed as (

    select
        claim_id,
        line_number,
        patient_id,
        payer_id,
        rendering_npi,
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        service_date,
        submitted_date,
        procedure_code,
        {{ normalise_code_list('modifiers') }} as modifiers,
        units,
        charge_amount,
        {{ normalise_code_list('diagnosis_codes') }} as diagnosis_codes,
        prior_auth_number,
        place_of_service,
        coalesce(line_control_number, cast(line_number as {{ dbt.type_string() }})) as line_control_number,
        frequency_code,
        '837' as claim_source,
        cast(null as {{ dbt.type_string() }}) as _extra_columns,
        _file_name,
        _file_sha256,
        lx_position as _row_number,
        _loaded_at,
        -- INPUTS.md acknowledgments: a later GS04 date, then GS05 time, then file order
        row_number() over (
            partition by claim_id, line_number
            order by gs_date desc, gs_time desc, _file_name desc, _loaded_at desc, lx_position desc
        ) as source_rank

    from claims_837
    where unresolved_reason is null and {{ known_as_of('submitted_date') }}

),

unioned as (

    select * from csv_renamed
    union all
    select * from x12_renamed

),

source_newest as (

    -- between sources, the version with the later submitted_date wins, ties to the 837
    -- (INPUTS.md claims_837); within a source, its own order
    select
        *,
        max(case when source_rank = 1 then submitted_date end) over (
            partition by claim_id, line_number, claim_source
        ) as source_submitted_date
    from unioned

),

appointment_days as (

    select distinct
        appointment_id,
        patient_id,
        service_date,
        rendering_npi
    from appointments

),

unlinked as (

    select distinct
        patient_id,
        service_date,
        rendering_npi
    from source_newest
    where appointment_id is null

),

linked as (

    -- INPUTS.md: a claim without appointment_id links to the appointment of the same
    -- patient and service date, the one with the same rendering provider when there are several
    select
        unlinked.patient_id,
        unlinked.service_date,
        unlinked.rendering_npi,
        appointment_days.appointment_id,
        row_number() over (
            partition by unlinked.patient_id, unlinked.service_date, unlinked.rendering_npi
            order by
                case when appointment_days.rendering_npi = unlinked.rendering_npi then 0 else 1 end asc,
                appointment_days.appointment_id asc
        ) as link_rank
    from unlinked
    inner join appointment_days
        on
            unlinked.patient_id = appointment_days.patient_id
            and unlinked.service_date = appointment_days.service_date

),

renamed as (

    select
        source_newest.claim_id,
        source_newest.line_number,
        source_newest.patient_id,
        source_newest.payer_id,
        source_newest.rendering_npi,
        coalesce(source_newest.appointment_id, linked.appointment_id) as appointment_id,
        source_newest.service_date,
        source_newest.submitted_date,
        source_newest.procedure_code,
        source_newest.modifiers,
        {{ split_words('source_newest.modifiers') }} as modifier_list,
        source_newest.units,
        source_newest.charge_amount,
        source_newest.diagnosis_codes,
        {{ split_words('source_newest.diagnosis_codes') }} as diagnosis_code_list,
        source_newest.prior_auth_number,
        source_newest.place_of_service,
        source_newest.line_control_number,
        source_newest.frequency_code,
        source_newest.claim_source,
        source_newest.source_submitted_date,
        source_newest.source_rank,
        source_newest._extra_columns,
        source_newest._file_name,
        source_newest._file_sha256,
        source_newest._row_number,
        source_newest._loaded_at

    from source_newest
    left join linked
        on
            source_newest.appointment_id is null
            and source_newest.patient_id = linked.patient_id
            and source_newest.service_date = linked.service_date
            and source_newest.rendering_npi = linked.rendering_npi
            and linked.link_rank = 1

),

versioned as (

    select
        *,
        row_number() over (
            partition by claim_id, line_number
            order by
                source_submitted_date desc,
                case when claim_source = '837' then 0 else 1 end asc,
                source_rank asc
        ) as version_rank,
        count(*) over (
            partition by claim_id, line_number
        ) as version_count

    from renamed

),

final as (

    select * from versioned

)

select * from final
