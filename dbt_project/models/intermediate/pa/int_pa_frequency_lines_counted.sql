{#-
    rules.md §5: frequency limits. A session = one distinct service_date of a patient in a
    frequency pool (seed frequency_limits) and LCD region. A line takes the region of its
    appointment line (seed frequency_regions: sacroiliac is not counted), else (no
    appointment line, or an empty region) the region its code implies (seed
    code_implied_regions), else it is not counted. For each line whose payer type has a limit
    for its family: sessions in the window ending on its service date, inclusive
    (line_date - (window_days - 1) <= d <= line_date).
-#}
with

lines as (
    select * from {{ ref('int_pa_lines_scoped') }}
),

frequency_limits as (
    select * from {{ ref('frequency_limits') }}
),

frequency_regions as (
    select * from {{ ref('frequency_regions') }}
),

code_implied_regions as (
    select * from {{ ref('code_implied_regions') }}
),

pool_families as (
    select distinct
        frequency_pool,
        procedure_family
    from frequency_limits
),

regioned_lines as (
    select
        lines.procedure_line_id,
        lines.patient_id,
        lines.payer_type,
        lines.procedure_family,
        lines.service_date,
        case
            when nullif(trim(lines.spinal_region), '') is not null
                then case when frequency_regions.is_counted then frequency_regions.lcd_region end
            else code_implied_regions.lcd_region
        end as lcd_region
    from lines
    left join frequency_regions
        on lower(trim(lines.spinal_region)) = frequency_regions.spinal_region
    left join code_implied_regions
        on lines.procedure_code = code_implied_regions.procedure_code
),

sessions as (
    select distinct
        regioned_lines.patient_id,
        pool_families.frequency_pool,
        regioned_lines.lcd_region,
        regioned_lines.service_date
    from regioned_lines
    inner join pool_families
        on regioned_lines.procedure_family = pool_families.procedure_family
    where regioned_lines.lcd_region is not null
),

limited_lines as (
    select
        regioned_lines.*,
        frequency_limits.frequency_pool,
        frequency_limits.max_sessions,
        frequency_limits.window_days
    from regioned_lines
    inner join frequency_limits
        on
            regioned_lines.payer_type = frequency_limits.payer_type
            and regioned_lines.procedure_family = frequency_limits.procedure_family
    where regioned_lines.lcd_region is not null
),

counted as (
    select
        limited_lines.procedure_line_id,
        limited_lines.frequency_pool,
        limited_lines.lcd_region,
        limited_lines.max_sessions,
        limited_lines.window_days,
        count(*) as sessions_in_window
    from limited_lines
    inner join sessions
        on
            limited_lines.patient_id = sessions.patient_id
            and limited_lines.frequency_pool = sessions.frequency_pool
            and limited_lines.lcd_region = sessions.lcd_region
            and limited_lines.service_date >= sessions.service_date
            and sessions.service_date
            >= {{ add_days('limited_lines.service_date', '1 - limited_lines.window_days') }}
    group by
        limited_lines.procedure_line_id,
        limited_lines.frequency_pool,
        limited_lines.lcd_region,
        limited_lines.max_sessions,
        limited_lines.window_days
),

final as (
    select
        *,
        sessions_in_window > max_sessions as is_over_limit
    from counted
)

select * from final
