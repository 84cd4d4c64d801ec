{#-
    marts.chronic_pain_capture (OUTPUTS.md; rules.md §14): the months of
    int_chronic_pain_months_judged with a finding, priced from the payer's fee schedule
    (fee effective on the month's first day, non-facility setting; rules.md §7 lookup):
    missed_revenue = fees of the units the time supports but were not billed,
    compliance_risk_amount = fees of the units billed beyond what the time supports.
    Judged only once a care_time file has been loaded.
-#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with

judged_months as (
    select * from {{ ref('int_chronic_pain_months_judged') }}
),

fee_schedules as (
    select * from {{ ref('stg_pm__fee_schedules') }}
),

load_log as (
    select * from {{ source('raw', 'load_log') }}
),

care_time_delivered as (
    select count(*) as delivered_files
    from load_log
    where kind = 'care_time' and status like 'loaded%'
),

flagged_months as (
    select judged_months.*
    from judged_months
    cross join care_time_delivered
    where
        judged_months.finding is not null
        and care_time_delivered.delivered_files > 0
),

priced_codes as (
    select 'G3002' as procedure_code
    union all
    select 'G3003' as procedure_code
),

fee_requests as (
    select
        flagged_months.patient_id,
        flagged_months.rendering_npi,
        flagged_months.month,
        flagged_months.payer_id,
        priced_codes.procedure_code,
        '' as pricing_modifier,
        'non_facility' as setting,
        flagged_months.month as service_date
    from flagged_months
    cross join priced_codes
),

candidate_fees as (
    {{ ranked_fee_rows('fee_requests', 'fee_schedules', ['patient_id', 'rendering_npi', 'month', 'procedure_code']) }}
),

month_fees as (
    select
        patient_id,
        rendering_npi,
        month,
        max(case when procedure_code = 'G3002' then allowed_amount end) as g3002_fee,
        max(case when procedure_code = 'G3003' then allowed_amount end) as g3003_fee
    from candidate_fees
    where preference = 1
    group by patient_id, rendering_npi, month
),

final as (
    select
        flagged_months.patient_id,
        flagged_months.payer_id,
        flagged_months.rendering_npi,
        flagged_months.month,
        cast(flagged_months.minutes_documented as {{ dbt.type_int() }}) as minutes_documented,
        flagged_months.chronic_pain_documented,
        cast(flagged_months.expected_g3002_units as {{ dbt.type_int() }}) as expected_g3002_units,
        cast(flagged_months.expected_g3003_units as {{ dbt.type_int() }}) as expected_g3003_units,
        cast(flagged_months.billed_g3002_units as {{ dbt.type_int() }}) as billed_g3002_units,
        cast(flagged_months.billed_g3003_units as {{ dbt.type_int() }}) as billed_g3003_units,
        flagged_months.finding,
        cast(
            coalesce(month_fees.g3002_fee, 0)
            * greatest(flagged_months.expected_g3002_units - flagged_months.billed_g3002_units, 0)
            + coalesce(month_fees.g3003_fee, 0)
            * greatest(flagged_months.expected_g3003_units - flagged_months.billed_g3003_units, 0)
            as decimal(18, 2)
        ) as missed_revenue,
        cast(
            coalesce(month_fees.g3002_fee, 0)
            * greatest(flagged_months.billed_g3002_units - flagged_months.expected_g3002_units, 0)
            + coalesce(month_fees.g3003_fee, 0)
            * greatest(flagged_months.billed_g3003_units - flagged_months.expected_g3003_units, 0)
            as decimal(18, 2)
        ) as compliance_risk_amount
    from flagged_months
    left join month_fees
        on
            flagged_months.patient_id = month_fees.patient_id
            and flagged_months.rendering_npi = month_fees.rendering_npi
            and flagged_months.month = month_fees.month
)

select * from final
