-- rules.md §12: a calendar spine, so trends have no holes: one row for every month between the
-- sqlfluff:rules:references.keywords:ignore_words:month
-- first and the last, ending at the as-of month.
with

practice_kpis as (
    select * from {{ ref('practice_kpis') }}
),

bounds as (
    select
        min(month) as first_month,
        max(month) as last_month,
        count(*) as month_rows
    from practice_kpis
),

final as (
    select * from bounds
    where
        month_rows > 0
        and (
            month_rows <> {{ months_between('first_month', 'last_month') }} + 1
            or last_month <> cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
        )
)

select * from final
