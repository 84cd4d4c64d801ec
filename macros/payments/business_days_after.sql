{#-
    A select of (start_date, business_day_number, business_date): the 1st, 2nd ... business
    day after every distinct non-null `date_column` of `dates_relation`, up to `horizon`
    calendar days ahead. Business days are Monday-Friday that are not a US federal holiday on
    its observed date (seed us_federal_holidays; rules.md §7 dispute_by). The caller picks the
    number it needs (seed practice_policies dispute_business_days), so the policy lives once.
-#}
{% macro business_days_after(dates_relation, date_column, horizon=40) -%}
    with start_dates as (
        select distinct {{ date_column }} as start_date
        from {{ dates_relation }}
        where {{ date_column }} is not null
    ),

    offsets as (
        {% for i in range(1, horizon + 1) -%}
        select {{ i }} as day_offset{% if not loop.last %} union all{% endif %}
        {% endfor %}
    ),

    candidates as (
        select
            start_dates.start_date,
            offsets.day_offset,
            {{ painrcm.add_days('start_dates.start_date', 'offsets.day_offset') }} as candidate_date
        from start_dates
        cross join offsets
    ),

    business_candidates as (
        select
            candidates.start_date,
            candidates.candidate_date,
            row_number() over (
                partition by candidates.start_date
                order by candidates.day_offset
            ) as business_day_number
        from candidates
        left join {{ ref('us_federal_holidays') }} as holidays
            on candidates.candidate_date = holidays.observed_date
        where
            {{ painrcm.iso_day_of_week('candidates.candidate_date') }} not in (6, 7)
            and holidays.observed_date is null
    )

    select
        start_date,
        business_day_number,
        candidate_date as business_date
    from business_candidates
{%- endmacro %}
