{#-
    The periods of the payer scorecard (issue #24): `12m`, the 12 months to the as-of date
    (the window of fee_schedule_comparison: service dates after as-of - 12 months, up to
    as-of), and one `YYYY` row per calendar year from the first year with a claim line, a
    remit or an authorization request to the as-of year (that year ends on the as-of date).
    pa_report_year is the CMS-0057-F report year each period compares with: the year itself,
    and for `12m` the last complete calendar year (as-of year - 1: payers publish a year's
    figures by the next March 31, so no later year can have a report).
-#}
with

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

authorizations as (
    select * from {{ ref('stg_pm__authorizations') }}
),

activity_dates as (
    select service_date as activity_date from claims
    union all
    select remit_date as activity_date from claim_payments
    union all
    select request_date as activity_date from authorizations
),

bounds as (
    select
        cast(extract(year from min(activity_date)) as {{ dbt.type_int() }}) as first_year,
        cast(extract(year from {{ as_of_date() }}) as {{ dbt.type_int() }}) as as_of_year
    from activity_dates
    where activity_date <= {{ as_of_date() }}
),

year_numbers as (
    {{ dbt.generate_series(200) }}
),

calendar_years as (
    -- cast: dbt's generate_series builds its numbers with power(), a double on Spark, and a
    -- double year would print as '2026.0' below
    select
        cast(bounds.first_year + year_numbers.generated_number - 1 as {{ dbt.type_int() }})
            as period_year
    from bounds
    cross join year_numbers
    where
        bounds.first_year is not null
        and bounds.first_year + year_numbers.generated_number - 1 <= bounds.as_of_year
),

year_periods as (
    select
        cast(period_year as {{ dbt.type_string() }}) as period,
        cast(cast(period_year as {{ dbt.type_string() }}) || '-01-01' as date) as period_start,
        case
            when period_year = cast(extract(year from {{ as_of_date() }}) as {{ dbt.type_int() }})
                then {{ as_of_date() }}
            else cast(cast(period_year as {{ dbt.type_string() }}) || '-12-31' as date)
        end as period_end,
        period_year as pa_report_year,
        1 as period_order
    from calendar_years
),

trailing_period as (
    select
        '12m' as period,
        {{ add_days('cast(' ~ dbt.dateadd('month', -12, as_of_date()) ~ ' as date)', 1) }} as period_start,
        {{ as_of_date() }} as period_end,
        cast(extract(year from {{ as_of_date() }}) as {{ dbt.type_int() }}) - 1 as pa_report_year,
        0 as period_order
),

final as (
    select * from trailing_period
    union all
    select * from year_periods
)

select * from final
