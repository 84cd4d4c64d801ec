{#-
    rules.md §13 inputs: every scheduled or completed appointment line with its family, family
    group, add-on flag, payer type and LCD region (section 5: the line's spinal region, else
    the region its code implies; sacroiliac and unknown regions stay empty), plus the
    readiness thresholds of its family group (seed readiness_criteria: a row for the line's
    payer type beats a row for every payer).
-#}
{%- set criteria = [
    'pain_duration_weeks_min', 'conservative_therapy_weeks_min', 'repeat_relief_pct_min',
    'repeat_lookback_days', 'transforaminal_levels_max', 'interlaminar_units_max',
    'diagnostic_blocks_min', 'diagnostic_block_relief_pct_min',
    'diagnostic_block_interval_days_min', 'repeat_relief_weeks_min', 'trial_relief_pct_min',
    'trial_lookback_days', 'facet_levels_max', 'psych_eval_required'
] -%}
with

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

frequency_regions as (
    select * from {{ ref('frequency_regions') }}
),

code_implied_regions as (
    select * from {{ ref('code_implied_regions') }}
),

readiness_criteria as (
    select * from {{ ref('readiness_criteria') }}
),

code_roles as (
    select * from {{ ref('readiness_code_roles') }}
),

lines as (
    select
        appointments.appointment_id,
        appointments.line_number,
        appointments.patient_id,
        appointments.payer_id,
        payers.payer_type,
        appointments.rendering_npi,
        appointments.service_date,
        appointments.status,
        appointments.procedure_code,
        appointments.units,
        appointments.place_of_service,
        appointments.conservative_therapy_weeks,
        appointments.pain_duration_weeks,
        appointments.relief_pct,
        appointments.relief_weeks,
        appointments.psych_eval_documented,
        procedure_families.procedure_family,
        procedure_families.family_group,
        coalesce(procedure_families.is_add_on, false) as is_add_on,
        code_roles.role as code_role,
        case
            when nullif(trim(appointments.spinal_region), '') is null then code_implied_regions.lcd_region
            when frequency_regions.is_counted then frequency_regions.lcd_region
        end as lcd_region
    from appointments
    inner join procedure_families
        on appointments.procedure_code = procedure_families.procedure_code
    left join payers
        on appointments.payer_id = payers.payer_id
    left join frequency_regions
        on lower(trim(appointments.spinal_region)) = frequency_regions.spinal_region
    left join code_implied_regions
        on appointments.procedure_code = code_implied_regions.procedure_code
    left join code_roles
        on appointments.procedure_code = code_roles.procedure_code
    where appointments.status in ('scheduled', 'completed')
),

ranked_criteria as (
    select
        lines.appointment_id,
        lines.line_number,
        readiness_criteria.criterion,
        readiness_criteria.threshold,
        row_number() over (
            partition by lines.appointment_id, lines.line_number, readiness_criteria.criterion
            order by case when coalesce(readiness_criteria.payer_type, '') = '' then 1 else 0 end
        ) as preference
    from lines
    inner join readiness_criteria
        on
            lines.family_group = readiness_criteria.procedure_family_group
            and (
                coalesce(readiness_criteria.payer_type, '') = ''
                or lines.payer_type = readiness_criteria.payer_type
            )
),

line_thresholds as (
    select
        appointment_id,
        line_number,
        {%- for criterion in criteria %}
            max(case when criterion = '{{ criterion }}' then threshold end) as {{ criterion }},
        {%- endfor %}
        count(*) as criteria_found
    from ranked_criteria
    where preference = 1
    group by appointment_id, line_number
),

final as (
    select
        lines.*,
        line_thresholds.pain_duration_weeks_min,
        line_thresholds.conservative_therapy_weeks_min,
        line_thresholds.repeat_relief_pct_min,
        line_thresholds.repeat_lookback_days,
        line_thresholds.transforaminal_levels_max,
        line_thresholds.interlaminar_units_max,
        line_thresholds.diagnostic_blocks_min,
        line_thresholds.diagnostic_block_relief_pct_min,
        line_thresholds.diagnostic_block_interval_days_min,
        line_thresholds.repeat_relief_weeks_min,
        line_thresholds.trial_relief_pct_min,
        line_thresholds.trial_lookback_days,
        line_thresholds.facet_levels_max,
        line_thresholds.psych_eval_required
    from lines
    left join line_thresholds
        on
            lines.appointment_id = line_thresholds.appointment_id
            and lines.line_number = line_thresholds.line_number
)

select * from final
