{#-
    rules.md §7 dispute_by: each latest-remit date + N business days (Mon-Fri, skipping US federal
    holidays on their observed dates), N = seed practice_policies dispute_business_days.
-#}
with

policies as (
    select * from {{ ref('practice_policies') }}
),

business_days as (
    {{ business_days_after(ref('int_claim_lines_mppr_priced'), 'remit_date') }}
),

dispute_policy as (
    select cast(value as {{ dbt.type_int() }}) as business_days
    from policies
    where policy = 'dispute_business_days'
),

final as (
    select
        business_days.start_date as remit_date,
        business_days.business_date as dispute_by
    from business_days
    inner join dispute_policy
        on business_days.business_day_number = dispute_policy.business_days
)

select * from final
