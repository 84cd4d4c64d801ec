{#-
    rules.md §12: one row per calendar month, from the first month with a charge or a remit to
    the as-of month (a calendar spine: a month without activity is a row of zeros). Only
    what is known on the as-of date counts: claims submitted and remits dated on or before
    it. Rates are on a 0-100 scale, 2 decimals; a rate over nothing is 0.
-#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with

movements as (
    select * from {{ ref('int_claim_balance_movements_unioned') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

first_remitted as (
    select * from {{ ref('int_claims_first_remitted') }}
),

pa_coverage_gaps as (
    select * from {{ ref('pa_coverage_gaps') }}
),

guidance_recapture as (
    select * from {{ ref('guidance_recapture') }}
),

mppr_underpayments as (
    select * from {{ ref('mppr_underpayments') }}
),

denials as (
    select * from {{ ref('denials') }}
),

first_acknowledged as (
    select * from {{ ref('int_claims_first_acknowledged') }}
),

movements_to_date as (
    select *
    from movements
    where movement_date <= {{ as_of_date() }}
),

primary_payments_to_date as (
    select *
    from claim_payments
    where
        is_primary
        and remit_date <= {{ as_of_date() }}
),

activity_months as (
    select cast({{ dbt.date_trunc('month', 'service_date') }} as date) as month
    from movements_to_date
    where movement_type = 'charge'
    union all
    select cast({{ dbt.date_trunc('month', 'remit_date') }} as date) as month
    from claim_payments
    where remit_date <= {{ as_of_date() }}
),

spine_bounds as (
    select
        min(month) as first_month,
        cast({{ dbt.date_trunc('month', as_of_date()) }} as date) as as_of_month
    from activity_months
),

month_numbers as (
    {{ dbt.generate_series(1200) }}
),

spine as (
    select
        cast(
            {{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'spine_bounds.first_month') }}
            as date
        ) as month,
        spine_bounds.as_of_month
    from spine_bounds
    cross join month_numbers
    where
        spine_bounds.first_month is not null
        and month_numbers.generated_number - 1
        <= {{ months_between('spine_bounds.first_month', 'spine_bounds.as_of_month') }}
),

-- The day each month is measured at: its last day, or the as-of date in the as-of month.
spine_days as (
    select
        month,
        case
            when month = as_of_month then {{ as_of_date() }}
            else cast({{ dbt.last_day('month', 'month') }} as date)
        end as measured_on
    from spine
),

charges_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'service_date') }} as date) as month,
        sum(amount) as charges
    from movements_to_date
    where movement_type = 'charge'
    group by {{ dbt.date_trunc('month', 'service_date') }}
),

payments_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'remit_date') }} as date) as month,
        sum(paid_amount) as payments
    from primary_payments_to_date
    group by {{ dbt.date_trunc('month', 'remit_date') }}
),

first_pass_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'first_remit_date') }} as date) as month,
        count(*) as claims_first_remitted,
        sum(case when is_denied then 1 else 0 end) as claims_denied,
        sum(case when is_clean then 1 else 0 end) as claims_clean
    from first_remitted
    group by {{ dbt.date_trunc('month', 'first_remit_date') }}
),

-- rules.md §12/16: claims by the month of their first acknowledgment (999 or 277CA), and those
-- whose submission so answered was rejected before the claim's next submission.
acknowledged_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'first_acknowledged_on') }} as date) as month,
        count(*) as claims_acknowledged,
        sum(case when is_rejected then 1 else 0 end) as claims_rejected
    from first_acknowledged
    group by {{ dbt.date_trunc('month', 'first_acknowledged_on') }}
),

-- Days in A/R: the open balance of each claim on the measured day (positive balances only,
-- rules.md §10), over the average daily charges of the 90 days to that day.
claim_balances_on_day as (
    select
        spine_days.month,
        movements_to_date.claim_id,
        sum(movements_to_date.amount) as open_balance
    from spine_days
    inner join movements_to_date
        on spine_days.measured_on >= movements_to_date.movement_date
    group by spine_days.month, movements_to_date.claim_id
),

open_balance_by_month as (
    select
        month,
        sum(open_balance) as open_balance
    from claim_balances_on_day
    where open_balance > 0
    group by month
),

trailing_charges_by_month as (
    select
        spine_days.month,
        sum(movements_to_date.amount) as trailing_charges
    from spine_days
    inner join movements_to_date
        on
            movements_to_date.movement_type = 'charge'
            and spine_days.measured_on >= movements_to_date.service_date
            and {{ add_days('spine_days.measured_on', -90) }} < movements_to_date.service_date
    group by spine_days.month
),

-- Net collection: the service month's lines, payments and settlements to date.
cohorts as (
    select
        cast({{ dbt.date_trunc('month', 'service_date') }} as date) as month,
        sum(case when movement_type = 'charge' then amount else 0 end) as cohort_charges,
        -sum(case when movement_type = 'primary_payment' then amount else 0 end)
            as cohort_payments,
        -sum(case when movement_type = 'settlement_adjustment' then amount else 0 end)
            as cohort_settlements
    from movements_to_date
    group by {{ dbt.date_trunc('month', 'service_date') }}
),

pa_lines_at_risk as (
    select
        procedure_line_id,
        min(service_date) as service_date,
        max(revenue_at_risk) as revenue_at_risk
    from pa_coverage_gaps
    where line_status <> 'paid'
    group by procedure_line_id
),

-- Lines after the as-of month count in the as-of month: that money is at risk now.
pa_lines_dated as (
    select
        revenue_at_risk,
        case
            when service_date > {{ as_of_date() }}
                then cast({{ dbt.date_trunc('month', as_of_date()) }} as date)
            else cast({{ dbt.date_trunc('month', 'service_date') }} as date)
        end as leakage_month
    from pa_lines_at_risk
),

leakage_pa_by_month as (
    select
        leakage_month,
        sum(revenue_at_risk) as leakage_pa
    from pa_lines_dated
    group by leakage_month
),

leakage_guidance_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'service_date') }} as date) as leakage_month,
        sum(recapture_amount) as leakage_guidance
    from guidance_recapture
    group by {{ dbt.date_trunc('month', 'service_date') }}
),

leakage_mppr_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'remit_date') }} as date) as leakage_month,
        sum(variance) as leakage_mppr
    from mppr_underpayments
    group by {{ dbt.date_trunc('month', 'remit_date') }}
),

leakage_denials_by_month as (
    select
        cast({{ dbt.date_trunc('month', 'denial_date') }} as date) as leakage_month,
        sum(denied_amount) as leakage_denials
    from denials
    where status = 'written_off'
    group by {{ dbt.date_trunc('month', 'denial_date') }}
),

measures as (
    select
        spine_days.month,
        spine_days.measured_on,
        coalesce(charges_by_month.charges, 0) as charges,
        coalesce(payments_by_month.payments, 0) as payments,
        coalesce(first_pass_by_month.claims_first_remitted, 0) as claims_first_remitted,
        coalesce(first_pass_by_month.claims_denied, 0) as claims_denied,
        coalesce(first_pass_by_month.claims_clean, 0) as claims_clean,
        coalesce(open_balance_by_month.open_balance, 0) as open_balance,
        coalesce(trailing_charges_by_month.trailing_charges, 0) as trailing_charges,
        coalesce(cohorts.cohort_payments, 0) as cohort_payments,
        coalesce(cohorts.cohort_charges, 0) - coalesce(cohorts.cohort_settlements, 0)
            as cohort_net_charges,
        coalesce(leakage_pa_by_month.leakage_pa, 0) as leakage_pa,
        coalesce(leakage_guidance_by_month.leakage_guidance, 0) as leakage_guidance,
        coalesce(leakage_mppr_by_month.leakage_mppr, 0) as leakage_mppr,
        coalesce(leakage_denials_by_month.leakage_denials, 0) as leakage_denials,
        coalesce(acknowledged_by_month.claims_acknowledged, 0) as claims_acknowledged,
        coalesce(acknowledged_by_month.claims_rejected, 0) as claims_rejected
    from spine_days
    left join charges_by_month on spine_days.month = charges_by_month.month
    left join payments_by_month on spine_days.month = payments_by_month.month
    left join first_pass_by_month on spine_days.month = first_pass_by_month.month
    left join open_balance_by_month on spine_days.month = open_balance_by_month.month
    left join trailing_charges_by_month on spine_days.month = trailing_charges_by_month.month
    left join cohorts on spine_days.month = cohorts.month
    left join leakage_pa_by_month on spine_days.month = leakage_pa_by_month.leakage_month
    left join leakage_guidance_by_month
        on spine_days.month = leakage_guidance_by_month.leakage_month
    left join leakage_mppr_by_month on spine_days.month = leakage_mppr_by_month.leakage_month
    left join leakage_denials_by_month
        on spine_days.month = leakage_denials_by_month.leakage_month
    left join acknowledged_by_month on spine_days.month = acknowledged_by_month.month
),

-- A rate over nothing is 0 (nullif -> null -> coalesce).
final as (
    select
        month,
        cast(charges as decimal(18, 2)) as charges,
        cast(payments as decimal(18, 2)) as payments,
        cast(claims_first_remitted as {{ dbt.type_int() }}) as claims_first_remitted,
        cast(
            coalesce({{ pct('claims_denied', 'claims_first_remitted') }}, 0)
            as decimal(9, 2)
        ) as first_pass_denial_rate,
        cast(
            coalesce({{ pct('claims_clean', 'claims_first_remitted') }}, 0)
            as decimal(9, 2)
        ) as clean_claim_rate,
        cast(
            coalesce({{ exact_ratio('open_balance', 'trailing_charges', 2, times=90) }}, 0)
            as decimal(18, 2)
        ) as days_in_ar,
        cast(
            coalesce({{ pct('cohort_payments', 'cohort_net_charges') }}, 0)
            as decimal(9, 2)
        ) as net_collection_rate,
        cast(leakage_pa as decimal(18, 2)) as leakage_pa,
        cast(leakage_guidance as decimal(18, 2)) as leakage_guidance,
        cast(leakage_mppr as decimal(18, 2)) as leakage_mppr,
        cast(leakage_denials as decimal(18, 2)) as leakage_denials,
        measured_on as ar_measured_on,
        cast(open_balance as decimal(18, 2)) as open_balance_at_month_end,
        cast(claims_denied as {{ dbt.type_int() }}) as claims_first_pass_denied,
        cast(claims_clean as {{ dbt.type_int() }}) as claims_clean,
        cast(claims_acknowledged as {{ dbt.type_int() }}) as claims_acknowledged,
        cast(
            coalesce({{ pct('claims_rejected', 'claims_acknowledged') }}, 0)
            as decimal(9, 2)
        ) as front_end_rejection_rate,
        cast(claims_rejected as {{ dbt.type_int() }}) as claims_front_end_rejected
    from measures
)

select * from final
