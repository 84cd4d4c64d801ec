{#-
    rules.md §6: imaging-guidance findings per encounter (the claim once billed, else the
    appointment). Procedure lines come from int_procedure_lines_linked, whose appointment side
    carries the documentation (guidance_modality, guidance_image_saved); a claim line without
    a linked appointment line has unknown documentation and gets only unbundled_guidance.
    Primaries = lines whose code has a seed guidance_rules row; each guidance line (family
    imaging_guidance) is attributed to the encounter's first primary by line order.
    Fees: the payer's fee_schedules row (pricing modifier 26/TC, or 26 for guidance in a
    facility; setting row beats empty setting; effective on the service date) for billed and
    for not-yet-billed codes alike; a missing fee leaves the amount null, the finding stays.
-#}
with

procedure_lines as (
    select * from {{ ref('int_procedure_lines_linked') }}
),

guidance_rules as (
    select * from {{ ref('guidance_rules') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

fee_schedules as (
    select * from {{ ref('stg_pm__fee_schedules') }}
),

pos_settings as (
    select * from {{ ref('place_of_service_settings') }}
),

-- Claims of an appointment win: an appointment with any billed line is its claim's encounter.
billed_appointments as (
    select distinct appointment_id
    from procedure_lines
    where is_billed and appointment_id is not null
),

encounter_lines as (
    select
        case
            when procedure_lines.is_billed then procedure_lines.claim_id
            else procedure_lines.appointment_id
        end as encounter_id,
        procedure_lines.is_billed,
        procedure_lines.claim_id,
        coalesce(procedure_lines.appointment_id, procedure_lines.claim_appointment_id)
            as appointment_id,
        procedure_lines.patient_id,
        procedure_lines.payer_id,
        procedure_lines.service_date,
        procedure_lines.procedure_code,
        procedure_lines.units,
        coalesce(pos_settings.setting, 'non_facility') as setting,
        case
            when concat(' ', coalesce(procedure_lines.modifiers, ''), ' ') like '% 26 %' then '26'
            when concat(' ', coalesce(procedure_lines.modifiers, ''), ' ') like '% TC %' then 'TC'
            else ''
        end as line_pricing_modifier,
        coalesce(procedure_lines.claim_line_number, procedure_lines.line_number) as line_order,
        procedure_lines.appointment_id is not null as has_documentation,
        procedure_lines.guidance_modality,
        coalesce(
            procedure_lines.guidance_modality in ('fluoroscopy', 'ultrasound', 'ct')
            and procedure_lines.guidance_image_saved,
            false
        ) as is_documented,
        procedure_families.procedure_family = 'imaging_guidance' as is_guidance
    from procedure_lines
    left join billed_appointments
        on procedure_lines.appointment_id = billed_appointments.appointment_id
    left join pos_settings
        on procedure_lines.place_of_service = pos_settings.place_of_service
    left join procedure_families
        on procedure_lines.procedure_code = procedure_families.procedure_code
    where
        procedure_lines.is_billed
        or billed_appointments.appointment_id is null
),

primary_codes as (
    select distinct primary_code from guidance_rules
),

primaries as (
    select
        encounter_lines.*,
        row_number() over (
            partition by encounter_lines.encounter_id
            order by encounter_lines.line_order
        ) as primary_order
    from encounter_lines
    inner join primary_codes
        on encounter_lines.procedure_code = primary_codes.primary_code
),

first_primaries as (
    select * from primaries
    where primary_order = 1
),

guidance_lines as (
    select * from encounter_lines
    where is_guidance
),

encounter_guidance_codes as (
    select distinct
        encounter_id,
        procedure_code
    from guidance_lines
),

-- One candidate per (encounter, primary code, finding, guidance code) and its fee inputs.
missing_guidance as (
    select
        primaries.encounter_id,
        primaries.procedure_code as primary_code,
        'missing_guidance_code' as finding_type,
        rules.guidance_code,
        min(primaries.line_order) as line_order
    from primaries
    inner join guidance_rules as rules
        on
            primaries.procedure_code = rules.primary_code
            and rules.relation = 'separate'
            and primaries.guidance_modality = rules.modality
    left join encounter_guidance_codes
        on
            primaries.encounter_id = encounter_guidance_codes.encounter_id
            and rules.guidance_code = encounter_guidance_codes.procedure_code
    where
        primaries.has_documentation
        and primaries.is_documented
        and encounter_guidance_codes.encounter_id is null
    group by primaries.encounter_id, primaries.procedure_code, rules.guidance_code
),

include_imaging as (
    select distinct
        primaries.encounter_id,
        primaries.procedure_code as primary_code,
        'code_should_include_imaging' as finding_type,
        rules.with_imaging_code as guidance_code
    from primaries
    inner join guidance_rules as rules
        on
            primaries.procedure_code = rules.primary_code
            and rules.relation = 'without_imaging_variant'
            and primaries.guidance_modality = rules.modality
    where primaries.has_documentation and primaries.is_documented
),

-- A guidance line attributed to the encounter's first primary, with what that primary is.
attributed_guidance as (
    select
        guidance_lines.encounter_id,
        guidance_lines.is_billed,
        guidance_lines.procedure_code as guidance_code,
        guidance_lines.units as guidance_units,
        guidance_lines.line_pricing_modifier,
        guidance_lines.setting,
        guidance_lines.payer_id,
        guidance_lines.service_date,
        first_primaries.procedure_code as primary_code,
        first_primaries.has_documentation,
        first_primaries.is_documented,
        first_primaries.guidance_modality,
        max(case when rules.relation = 'included' then 1 else 0 end) as is_included,
        max(case when rules.relation = 'separate' then 1 else 0 end) as is_separate
    from guidance_lines
    inner join first_primaries
        on guidance_lines.encounter_id = first_primaries.encounter_id
    inner join guidance_rules as rules
        on first_primaries.procedure_code = rules.primary_code
    group by
        guidance_lines.encounter_id,
        guidance_lines.is_billed,
        guidance_lines.claim_id,
        guidance_lines.line_order,
        guidance_lines.procedure_code,
        guidance_lines.units,
        guidance_lines.line_pricing_modifier,
        guidance_lines.setting,
        guidance_lines.payer_id,
        guidance_lines.service_date,
        first_primaries.procedure_code,
        first_primaries.has_documentation,
        first_primaries.is_documented,
        first_primaries.guidance_modality
),

compliance_candidates as (
    select
        encounter_id,
        primary_code,
        case
            when is_included = 1 then 'unbundled_guidance'
            else 'undocumented_guidance'
        end as finding_type,
        guidance_code,
        guidance_units,
        line_pricing_modifier,
        setting,
        payer_id,
        service_date
    from attributed_guidance
    where
        is_billed
        and (
            is_included = 1
            or (is_separate = 1 and has_documentation and not is_documented)
        )
),

-- Fee of any (payer, code, pricing modifier, setting, date) a finding needs.
fee_needs as (
    -- guidance codes billed (compliance findings, and beside a without-imaging variant)
    select distinct
        payer_id,
        procedure_code,
        case
            when line_pricing_modifier <> '' then line_pricing_modifier
            when setting = 'facility' then '26'
            else ''
        end as pricing_modifier,
        setting,
        service_date
    from guidance_lines
    union
    -- primaries as billed
    select distinct
        payer_id,
        procedure_code,
        line_pricing_modifier,
        setting,
        service_date
    from primaries
    union
    -- guidance codes not billed (26 in a facility)
    select distinct
        primaries.payer_id,
        missing_guidance.guidance_code,
        case when primaries.setting = 'facility' then '26' else '' end as pricing_modifier,
        primaries.setting,
        primaries.service_date
    from missing_guidance
    inner join primaries
        on
            missing_guidance.encounter_id = primaries.encounter_id
            and missing_guidance.primary_code = primaries.procedure_code
    union
    -- with-imaging codes, at the billed primary's pricing modifier
    select distinct
        primaries.payer_id,
        include_imaging.guidance_code,
        primaries.line_pricing_modifier,
        primaries.setting,
        primaries.service_date
    from include_imaging
    inner join primaries
        on
            include_imaging.encounter_id = primaries.encounter_id
            and include_imaging.primary_code = primaries.procedure_code
),

fee_candidates as (
    {{ ranked_fee_rows(
        'fee_needs', 'fee_schedules',
        ['payer_id', 'procedure_code', 'pricing_modifier', 'setting', 'service_date']
    ) }}
),

fees as (
    select
        payer_id,
        procedure_code,
        pricing_modifier,
        setting,
        service_date,
        cast(allowed_amount as decimal(18, 2)) as fee
    from fee_candidates
    where preference = 1
),

-- Encounter header: patient, payer, date and keys from the encounter's first line.
encounter_headers as (
    select
        encounter_id,
        min(claim_id) as claim_id,
        min(appointment_id) as appointment_id,
        min(patient_id) as patient_id,
        min(payer_id) as payer_id,
        min(service_date) as service_date
    from encounter_lines
    group by encounter_id
),

missing_guidance_amounts as (
    select
        missing_guidance.encounter_id,
        missing_guidance.primary_code,
        missing_guidance.finding_type,
        missing_guidance.guidance_code,
        guidance_fees.fee as recapture_amount,
        cast(null as decimal(18, 2)) as compliance_risk_amount
    from missing_guidance
    inner join primaries
        on
            missing_guidance.encounter_id = primaries.encounter_id
            and missing_guidance.line_order = primaries.line_order
    left join fees as guidance_fees
        on
            primaries.payer_id = guidance_fees.payer_id
            and missing_guidance.guidance_code = guidance_fees.procedure_code
            and case when primaries.setting = 'facility' then '26' else '' end
            = guidance_fees.pricing_modifier
            and primaries.setting = guidance_fees.setting
            and primaries.service_date = guidance_fees.service_date
),

-- (fee(with) - fee(billed)) x units over the encounter's lines of that primary code.
include_imaging_lines as (
    select
        include_imaging.encounter_id,
        include_imaging.primary_code,
        include_imaging.guidance_code,
        sum((with_fees.fee - billed_fees.fee) * primaries.units) as recode_gain,
        max(case when with_fees.fee is null or billed_fees.fee is null then 1 else 0 end)
            as has_missing_fee
    from include_imaging
    inner join primaries
        on
            include_imaging.encounter_id = primaries.encounter_id
            and include_imaging.primary_code = primaries.procedure_code
    left join fees as with_fees
        on
            primaries.payer_id = with_fees.payer_id
            and include_imaging.guidance_code = with_fees.procedure_code
            and primaries.line_pricing_modifier = with_fees.pricing_modifier
            and primaries.setting = with_fees.setting
            and primaries.service_date = with_fees.service_date
    left join fees as billed_fees
        on
            primaries.payer_id = billed_fees.payer_id
            and primaries.procedure_code = billed_fees.procedure_code
            and primaries.line_pricing_modifier = billed_fees.pricing_modifier
            and primaries.setting = billed_fees.setting
            and primaries.service_date = billed_fees.service_date
    group by include_imaging.encounter_id, include_imaging.primary_code, include_imaging.guidance_code
),

-- Guidance lines billed beside a without-imaging variant (the encounter's first primary):
-- not separately payable once the with-imaging code is billed.
guidance_beside_variant as (
    select
        attributed_guidance.encounter_id,
        attributed_guidance.primary_code,
        sum(guidance_fees.fee * attributed_guidance.guidance_units) as guidance_value,
        max(case when guidance_fees.fee is null then 1 else 0 end) as has_missing_fee
    from attributed_guidance
    left join fees as guidance_fees
        on
            attributed_guidance.payer_id = guidance_fees.payer_id
            and attributed_guidance.guidance_code = guidance_fees.procedure_code
            and case
                when attributed_guidance.line_pricing_modifier <> ''
                    then attributed_guidance.line_pricing_modifier
                when attributed_guidance.setting = 'facility' then '26'
                else ''
            end = guidance_fees.pricing_modifier
            and attributed_guidance.setting = guidance_fees.setting
            and attributed_guidance.service_date = guidance_fees.service_date
    group by attributed_guidance.encounter_id, attributed_guidance.primary_code
),

include_imaging_amounts as (
    select
        include_imaging_lines.encounter_id,
        include_imaging_lines.primary_code,
        'code_should_include_imaging' as finding_type,
        include_imaging_lines.guidance_code,
        case
            when
                include_imaging_lines.has_missing_fee = 1
                or coalesce(guidance_beside_variant.has_missing_fee, 0) = 1
                then null
            else include_imaging_lines.recode_gain
                - coalesce(guidance_beside_variant.guidance_value, 0)
        end as recapture_amount,
        cast(null as decimal(18, 2)) as compliance_risk_amount
    from include_imaging_lines
    left join guidance_beside_variant
        on
            include_imaging_lines.encounter_id = guidance_beside_variant.encounter_id
            and include_imaging_lines.primary_code = guidance_beside_variant.primary_code
),

compliance_amounts as (
    select
        compliance_candidates.encounter_id,
        compliance_candidates.primary_code,
        compliance_candidates.finding_type,
        compliance_candidates.guidance_code,
        cast(null as decimal(18, 2)) as recapture_amount,
        case
            when max(case when guidance_fees.fee is null then 1 else 0 end) = 1 then null
            else sum(guidance_fees.fee * compliance_candidates.guidance_units)
        end as compliance_risk_amount
    from compliance_candidates
    left join fees as guidance_fees
        on
            compliance_candidates.payer_id = guidance_fees.payer_id
            and compliance_candidates.guidance_code = guidance_fees.procedure_code
            and case
                when compliance_candidates.line_pricing_modifier <> ''
                    then compliance_candidates.line_pricing_modifier
                when compliance_candidates.setting = 'facility' then '26'
                else ''
            end = guidance_fees.pricing_modifier
            and compliance_candidates.setting = guidance_fees.setting
            and compliance_candidates.service_date = guidance_fees.service_date
    group by
        compliance_candidates.encounter_id,
        compliance_candidates.primary_code,
        compliance_candidates.finding_type,
        compliance_candidates.guidance_code
),

findings as (
    select * from missing_guidance_amounts
    union all
    select * from include_imaging_amounts
    union all
    select * from compliance_amounts
),

final as (
    select
        findings.encounter_id,
        encounter_headers.claim_id,
        encounter_headers.appointment_id,
        encounter_headers.patient_id,
        encounter_headers.payer_id,
        encounter_headers.service_date,
        findings.primary_code,
        findings.guidance_code,
        findings.finding_type,
        cast(findings.recapture_amount as decimal(18, 2)) as recapture_amount,
        cast(findings.compliance_risk_amount as decimal(18, 2)) as compliance_risk_amount
    from findings
    inner join encounter_headers
        on findings.encounter_id = encounter_headers.encounter_id
)

select * from final
