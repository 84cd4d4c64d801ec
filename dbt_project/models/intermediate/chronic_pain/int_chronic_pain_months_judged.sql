{#-
    rules.md §14: per patient, rendering practitioner and calendar month, the documented care
    time, whether chronic pain is documented by the month's end, the G3002/G3003 units the
    time supports and the units billed (newest claim versions), and the finding (first that
    fits: initial_visit_required, over_billed, uncaptured, under_captured; none when billed
    equals expected). A month with billing and no care_time counts 0 minutes. Thresholds
    come from the seed chronic_pain_rules (CY 2023 PFS final rule).
-#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with

care_time as (
    select * from {{ ref('stg_pm__care_time') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

chronic_pain_rules as (
    select * from {{ ref('chronic_pain_rules') }}
),

thresholds as (
    select
        max(case when rule_key = 'g3002_min_minutes' then cast(threshold_value as integer) end)
            as g3002_min_minutes,
        max(case when rule_key = 'g3003_increment_minutes' then cast(threshold_value as integer) end)
            as g3003_increment_minutes,
        max(case when rule_key = 'initial_in_person_minutes' then cast(threshold_value as integer) end)
            as initial_in_person_minutes,
        max(case when rule_key = 'chronic_pain_min_weeks' then cast(threshold_value as integer) end)
            as chronic_pain_min_weeks
    from chronic_pain_rules
    where rule_type = 'threshold'
),

chronic_diagnoses as (
    select rule_key as diagnosis_code
    from chronic_pain_rules
    where rule_type = 'chronic_pain_diagnosis'
),

care_months as (
    select
        patient_id,
        rendering_npi,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month,
        min(payer_id) as payer_id,
        sum(minutes) as minutes_documented,
        sum(case when in_person then minutes else 0 end) as in_person_minutes
    from care_time
    group by patient_id, rendering_npi, {{ dbt.date_trunc('month', 'activity_date') }}
),

first_months as (
    select
        patient_id,
        rendering_npi,
        min(month) as first_month
    from care_months
    group by patient_id, rendering_npi
),

billed_months as (
    select
        patient_id,
        rendering_npi,
        cast({{ dbt.date_trunc('month', 'service_date') }} as date) as month,
        min(payer_id) as payer_id,
        sum(case when procedure_code = 'G3002' then units else 0 end) as billed_g3002_units,
        sum(case when procedure_code = 'G3003' then units else 0 end) as billed_g3003_units
    from claims
    where procedure_code in ('G3002', 'G3003')
    group by patient_id, rendering_npi, {{ dbt.date_trunc('month', 'service_date') }}
),

months as (
    select
        coalesce(care_months.patient_id, billed_months.patient_id) as patient_id,
        coalesce(care_months.rendering_npi, billed_months.rendering_npi) as rendering_npi,
        coalesce(care_months.month, billed_months.month) as month,
        coalesce(care_months.payer_id, billed_months.payer_id) as payer_id,
        coalesce(care_months.minutes_documented, 0) as minutes_documented,
        coalesce(care_months.in_person_minutes, 0) as in_person_minutes,
        coalesce(billed_months.billed_g3002_units, 0) as billed_g3002_units,
        coalesce(billed_months.billed_g3003_units, 0) as billed_g3003_units
    from care_months
    full outer join billed_months
        on
            care_months.patient_id = billed_months.patient_id
            and care_months.rendering_npi = billed_months.rendering_npi
            and care_months.month = billed_months.month
),

month_ends as (
    select
        months.*,
        {{ add_days('cast(' ~ dbt.dateadd('month', 1, 'months.month') ~ ' as date)', -1) }} as month_end
    from months
),

chronic_evidence as (
    select
        appointments.patient_id,
        appointments.service_date as evidence_date
    from appointments
    cross join thresholds
    where appointments.pain_duration_weeks >= thresholds.chronic_pain_min_weeks
    union all
    select
        claims.patient_id,
        claims.service_date as evidence_date
    from claims
    inner join chronic_diagnoses
        on {{ list_contains('claims.diagnosis_code_list', 'chronic_diagnoses.diagnosis_code') }}
),

months_documented as (
    select
        month_ends.patient_id,
        month_ends.rendering_npi,
        month_ends.month
    from month_ends
    inner join chronic_evidence
        on
            month_ends.patient_id = chronic_evidence.patient_id
            and month_ends.month_end >= chronic_evidence.evidence_date
    group by month_ends.patient_id, month_ends.rendering_npi, month_ends.month
),

assessed as (
    select
        month_ends.*,
        months_documented.patient_id is not null as chronic_pain_documented,
        coalesce(month_ends.month = first_months.first_month, false) as is_first_month,
        thresholds.g3002_min_minutes,
        thresholds.g3003_increment_minutes,
        thresholds.initial_in_person_minutes
    from month_ends
    cross join thresholds
    left join first_months
        on
            month_ends.patient_id = first_months.patient_id
            and month_ends.rendering_npi = first_months.rendering_npi
    left join months_documented
        on
            month_ends.patient_id = months_documented.patient_id
            and month_ends.rendering_npi = months_documented.rendering_npi
            and month_ends.month = months_documented.month
),

expected as (
    select
        assessed.*,
        (
            assessed.minutes_documented >= assessed.g3002_min_minutes
            and assessed.chronic_pain_documented
            and (not assessed.is_first_month or assessed.in_person_minutes >= assessed.initial_in_person_minutes)
        ) as is_billable
    from assessed
),

units as (
    select
        expected.*,
        case when expected.is_billable then 1 else 0 end as expected_g3002_units,
        case
            when expected.is_billable
                then cast(
                        floor(
                            1.0 * (expected.minutes_documented - expected.g3002_min_minutes)
                            / expected.g3003_increment_minutes
                        ) as {{ dbt.type_int() }}
                    )
            else 0
        end as expected_g3003_units
    from expected
),

final as (
    select
        patient_id,
        payer_id,
        rendering_npi,
        month,
        month_end,
        is_first_month,
        minutes_documented,
        in_person_minutes,
        chronic_pain_documented,
        expected_g3002_units,
        expected_g3003_units,
        billed_g3002_units,
        billed_g3003_units,
        case
            when
                is_first_month
                and minutes_documented >= g3002_min_minutes
                and chronic_pain_documented
                and in_person_minutes < initial_in_person_minutes
                then 'initial_visit_required'
            when
                billed_g3002_units > expected_g3002_units
                or billed_g3003_units > expected_g3003_units
                then 'over_billed'
            when expected_g3002_units = 1 and billed_g3002_units = 0 then 'uncaptured'
            when billed_g3003_units < expected_g3003_units then 'under_captured'
        end as finding
    from units
)

select * from final
