{#-
    rules.md §4, first paragraph: appointment lines (scheduled or completed) and claim lines
    (newest version) paired into ONE procedure line.
    1. Same appointment_id and procedure_code: the k-th claim line of a code (by claim_id,
       line_number) pairs with the k-th appointment line of it (by line_number).
    2. A recoded claim line, whose code no line of its appointment has, pairs with the
       appointment's first still unpaired scheduled/completed line of the same procedure
       family (the k-th recoded line of a family with the k-th unpaired line).
    3. Any other line stands alone.
    The claim's codes, modifiers, units (and payer, place, date) win; the appointment gives
    region, levels, laterality and documentation.
-#}
with

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

providers as (
    select * from {{ ref('stg_pm__providers') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

appointment_lines as (
    select
        appointments.*,
        procedure_families.procedure_family
    from appointments
    left join procedure_families
        on appointments.procedure_code = procedure_families.procedure_code
    where appointments.status in ('scheduled', 'completed')
),

claim_lines as (
    select
        claims.*,
        procedure_families.procedure_family
    from claims
    left join procedure_families
        on claims.procedure_code = procedure_families.procedure_code
),

appointment_lines_by_code as (
    select
        appointment_id,
        line_number,
        procedure_code,
        row_number() over (
            partition by appointment_id, procedure_code
            order by line_number
        ) as code_ordinal
    from appointment_lines
),

claim_lines_by_code as (
    select
        claim_id,
        line_number,
        appointment_id,
        procedure_code,
        row_number() over (
            partition by appointment_id, procedure_code
            order by claim_id, line_number
        ) as code_ordinal
    from claim_lines
    where appointment_id is not null
),

paired_by_code as (
    select
        claim_side.claim_id,
        claim_side.line_number as claim_line_number,
        appointment_side.appointment_id,
        appointment_side.line_number
    from claim_lines_by_code as claim_side
    inner join appointment_lines_by_code as appointment_side
        on
            claim_side.appointment_id = appointment_side.appointment_id
            and claim_side.procedure_code = appointment_side.procedure_code
            and claim_side.code_ordinal = appointment_side.code_ordinal
),

appointment_codes as (
    select distinct
        appointment_id,
        procedure_code
    from appointment_lines
),

recoded_claim_lines as (
    select
        claim_lines.claim_id,
        claim_lines.line_number,
        claim_lines.appointment_id,
        claim_lines.procedure_family,
        row_number() over (
            partition by claim_lines.appointment_id, claim_lines.procedure_family
            order by claim_lines.claim_id, claim_lines.line_number
        ) as family_ordinal
    from claim_lines
    left join appointment_codes
        on
            claim_lines.appointment_id = appointment_codes.appointment_id
            and claim_lines.procedure_code = appointment_codes.procedure_code
    where
        claim_lines.appointment_id is not null
        and claim_lines.procedure_family is not null
        and appointment_codes.appointment_id is null
),

unpaired_appointment_lines as (
    select
        appointment_lines.appointment_id,
        appointment_lines.line_number,
        appointment_lines.procedure_family,
        row_number() over (
            partition by appointment_lines.appointment_id, appointment_lines.procedure_family
            order by appointment_lines.line_number
        ) as family_ordinal
    from appointment_lines
    left join paired_by_code
        on
            appointment_lines.appointment_id = paired_by_code.appointment_id
            and appointment_lines.line_number = paired_by_code.line_number
    where
        paired_by_code.appointment_id is null
        and appointment_lines.procedure_family is not null
),

paired_by_family as (
    select
        recoded_claim_lines.claim_id,
        recoded_claim_lines.line_number as claim_line_number,
        unpaired_appointment_lines.appointment_id,
        unpaired_appointment_lines.line_number
    from recoded_claim_lines
    inner join unpaired_appointment_lines
        on
            recoded_claim_lines.appointment_id = unpaired_appointment_lines.appointment_id
            and recoded_claim_lines.procedure_family = unpaired_appointment_lines.procedure_family
            and recoded_claim_lines.family_ordinal = unpaired_appointment_lines.family_ordinal
),

pairs as (
    select
        claim_id,
        claim_line_number,
        appointment_id,
        line_number,
        'same_code' as link_method
    from paired_by_code
    union all
    select
        claim_id,
        claim_line_number,
        appointment_id,
        line_number,
        'recoded_same_family' as link_method
    from paired_by_family
),

-- Every appointment line (paired or not) and every claim line not paired.
procedure_line_keys as (
    select
        appointment_lines.appointment_id,
        appointment_lines.line_number,
        pairs.claim_id,
        pairs.claim_line_number,
        coalesce(pairs.link_method, 'appointment_only') as link_method
    from appointment_lines
    left join pairs
        on
            appointment_lines.appointment_id = pairs.appointment_id
            and appointment_lines.line_number = pairs.line_number
    union all
    select
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        claim_lines.claim_id,
        claim_lines.line_number as claim_line_number,
        'claim_only' as link_method
    from claim_lines
    left join pairs
        on
            claim_lines.claim_id = pairs.claim_id
            and claim_lines.line_number = pairs.claim_line_number
    where pairs.claim_id is null
),

final as (
    select
        case
            when procedure_line_keys.appointment_id is not null
                then concat(
                        'A:', procedure_line_keys.appointment_id, ':',
                        cast(procedure_line_keys.line_number as {{ dbt.type_string() }})
                    )
            else concat(
                    'C:', procedure_line_keys.claim_id, ':',
                    cast(procedure_line_keys.claim_line_number as {{ dbt.type_string() }})
                )
        end as procedure_line_id,
        procedure_line_keys.appointment_id,
        procedure_line_keys.line_number,
        procedure_line_keys.claim_id,
        procedure_line_keys.claim_line_number,
        procedure_line_keys.link_method,
        claim_lines.appointment_id as claim_appointment_id,
        coalesce(claim_lines.patient_id, appointment_lines.patient_id) as patient_id,
        coalesce(claim_lines.payer_id, appointment_lines.payer_id) as payer_id,
        payers.payer_type,
        coalesce(claim_lines.service_date, appointment_lines.service_date) as service_date,
        coalesce(claim_lines.procedure_code, appointment_lines.procedure_code)
            as procedure_code,
        appointment_lines.procedure_code as appointment_procedure_code,
        case
            when claim_lines.claim_id is not null then claim_lines.modifiers
            else appointment_lines.modifiers
        end as modifiers,
        coalesce(claim_lines.units, appointment_lines.units) as units,
        coalesce(claim_lines.place_of_service, appointment_lines.place_of_service)
            as place_of_service,
        coalesce(appointment_lines.service_state, providers.practice_state) as service_state,
        coalesce(claim_lines.rendering_npi, appointment_lines.rendering_npi) as rendering_npi,
        appointment_lines.status as appointment_status,
        appointment_lines.scheduled_on,
        appointment_lines.spinal_region,
        appointment_lines.levels,
        appointment_lines.laterality,
        appointment_lines.guidance_modality,
        appointment_lines.guidance_image_saved,
        appointment_lines.conservative_therapy_weeks,
        appointment_lines.pain_duration_weeks,
        appointment_lines.relief_pct,
        appointment_lines.relief_weeks,
        appointment_lines.psych_eval_documented,
        appointment_lines.pain_score,
        appointment_lines.auth_number as appointment_auth_number,
        claim_lines.prior_auth_number,
        claim_lines.submitted_date,
        claim_lines.charge_amount,
        claim_lines.diagnosis_codes,
        coalesce(claim_lines.procedure_family, appointment_lines.procedure_family)
            as procedure_family,
        claim_lines.claim_id is not null as is_billed
    from procedure_line_keys
    left join appointment_lines
        on
            procedure_line_keys.appointment_id = appointment_lines.appointment_id
            and procedure_line_keys.line_number = appointment_lines.line_number
    left join claim_lines
        on
            procedure_line_keys.claim_id = claim_lines.claim_id
            and procedure_line_keys.claim_line_number = claim_lines.line_number
    left join payers
        on coalesce(claim_lines.payer_id, appointment_lines.payer_id) = payers.payer_id
    left join providers
        on coalesce(claim_lines.rendering_npi, appointment_lines.rendering_npi) = providers.npi
)

select * from final
