{#-
    rules.md §7 fee lookup, one row per priced line: every claim line (newest version) and every
    appointment line. The payer's fee_schedules row for the code, with modifier = the line's
    pricing modifier (26 or TC, else empty; a guidance code in a facility carries 26),
    setting = the line's (facility for a place of service in seed place_of_service_settings,
    else non_facility; a row of that setting beats an empty-setting row), effective on the
    service date (ties: the latest effective_from). No row -> fee null (see
    int_fee_schedule_missing).
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

fee_schedules as (
    select * from {{ ref('stg_pm__fee_schedules') }}
),

pos_settings as (
    select * from {{ ref('place_of_service_settings') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

priced_lines as (
    select
        'claim' as line_source,
        claim_id,
        line_number as claim_line_number,
        cast(null as {{ dbt.type_string() }}) as appointment_id,
        cast(null as {{ dbt.type_int() }}) as appointment_line_number,
        payer_id,
        procedure_code,
        modifiers,
        units,
        place_of_service,
        service_date
    from claims
    union all
    select
        'appointment' as line_source,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_int() }}) as claim_line_number,
        appointment_id,
        line_number as appointment_line_number,
        payer_id,
        procedure_code,
        modifiers,
        units,
        place_of_service,
        service_date
    from appointments
),

lines_with_setting as (
    select
        priced_lines.*,
        concat(
            priced_lines.line_source, ':',
            coalesce(priced_lines.claim_id, priced_lines.appointment_id), ':',
            cast(
                coalesce(priced_lines.claim_line_number, priced_lines.appointment_line_number)
                as {{ dbt.type_string() }}
            )
        ) as priced_line_id,
        coalesce(pos_settings.setting, 'non_facility') as setting,
        case
            when concat(' ', coalesce(priced_lines.modifiers, ''), ' ') like '% 26 %' then '26'
            when concat(' ', coalesce(priced_lines.modifiers, ''), ' ') like '% TC %' then 'TC'
            when
                procedure_families.procedure_family = 'imaging_guidance'
                and coalesce(pos_settings.setting, 'non_facility') = 'facility'
                then '26'
            else ''
        end as pricing_modifier
    from priced_lines
    left join pos_settings
        on priced_lines.place_of_service = pos_settings.place_of_service
    left join procedure_families
        on priced_lines.procedure_code = procedure_families.procedure_code
),

candidate_fees as (
    {{ ranked_fee_rows('lines_with_setting', 'fee_schedules', ['priced_line_id']) }}
),

chosen_fees as (
    select * from candidate_fees
    where preference = 1
),

final as (
    select
        lines_with_setting.priced_line_id,
        lines_with_setting.line_source,
        lines_with_setting.claim_id,
        lines_with_setting.claim_line_number,
        lines_with_setting.appointment_id,
        lines_with_setting.appointment_line_number,
        lines_with_setting.payer_id,
        lines_with_setting.procedure_code,
        lines_with_setting.pricing_modifier,
        lines_with_setting.setting,
        lines_with_setting.place_of_service,
        lines_with_setting.service_date,
        lines_with_setting.units,
        cast(chosen_fees.allowed_amount as decimal(18, 2)) as fee,
        chosen_fees.fee_setting,
        chosen_fees.effective_from as fee_effective_from,
        chosen_fees.priced_line_id is not null as has_fee
    from lines_with_setting
    left join chosen_fees
        on lines_with_setting.priced_line_id = chosen_fees.priced_line_id
)

select * from final
