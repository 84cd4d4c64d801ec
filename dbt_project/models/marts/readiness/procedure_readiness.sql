{#-
    marts.procedure_readiness (OUTPUTS.md; rules.md §13): the failed checks of
    int_readiness_checks_failed with the line's keys, days until service and the revenue at
    risk (the line's fee x units, rules.md §7 lookup of int_fee_schedule_lookup; 0 without a fee).
-#}
with

failed_checks as (
    select * from {{ ref('int_readiness_checks_failed') }}
),

scoped_lines as (
    select * from {{ ref('int_readiness_lines_scoped') }}
),

fees as (
    select * from {{ ref('int_fee_schedule_lookup') }}
    where line_source = 'appointment'
),

final as (
    select
        scoped_lines.appointment_id,
        cast(scoped_lines.line_number as {{ dbt.type_int() }}) as line_number,
        scoped_lines.patient_id,
        scoped_lines.payer_id,
        scoped_lines.rendering_npi,
        scoped_lines.service_date,
        scoped_lines.procedure_code,
        failed_checks.finding,
        failed_checks.detail,
        cast({{ days_between(as_of_date(), 'scoped_lines.service_date') }} as {{ dbt.type_int() }})
            as days_until_service,
        cast(coalesce(fees.fee, 0) * scoped_lines.units as decimal(18, 2)) as revenue_at_risk,
        failed_checks.recommended_action
    from failed_checks
    inner join scoped_lines
        on
            failed_checks.appointment_id = scoped_lines.appointment_id
            and failed_checks.line_number = scoped_lines.line_number
    left join fees
        on
            failed_checks.appointment_id = fees.appointment_id
            and failed_checks.line_number = fees.appointment_line_number
)

select * from final
