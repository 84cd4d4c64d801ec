{#-
    Issue #24, the negotiator's payer scorecard: one row per payer and period
    (int_scorecard_periods: `12m` = the 12 months to as-of, `YYYY` = each calendar year to
    the as-of year). Every figure sums a mart or intermediate model that another page reads,
    never a second computation of it:
    - lines, charges, allowed (rules.md §7 paid_allowed) and paid: claim lines (newest version)
      with a service date in the period (int_claim_lines_remit_netted);
    - % of Medicare and +10 points: int_fee_schedule_compared, the rows of
      fee_schedule_comparison by period (volume-weighted over the units that have a Medicare
      fee; medicare_fee_status names the codes without one);
    - first-pass denial rate and days to pay: claims whose first primary remit falls in the
      period (int_claims_first_remitted, as practice_kpis);
    - denials, top categories and recovery: marts.denials by denial date (as denial_patterns);
    - MPPR/contract variance: marts.mppr_underpayments by remit date (as practice_kpis);
    - A/R over 90 days: marts.ar_worklist on the as-of date (a balance, not a flow): the `12m`
      row holds all of it, a year row the part from that year's services;
    - CMS-0057-F: marts.payer_pa_benchmark, standard requests, for the period's report year
      (pa_report_status says when the payer published no report);
    - PA requests: payer_pa requests made in the period, approval by the initial decision
      over decided requests (int_pa_requests_decided, as payer_pa_benchmark).
    Rates on a 0-100 scale, 2 decimals; a rate over nothing is 0 (as practice_kpis).
-#}
with

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

periods as (
    select * from {{ ref('int_scorecard_periods') }}
),

claim_lines as (
    select * from {{ ref('int_claim_lines_remit_netted') }}
),

fee_rows as (
    select * from {{ ref('int_fee_schedule_compared') }}
),

first_remitted as (
    select * from {{ ref('int_claims_first_remitted') }}
),

denials as (
    select * from {{ ref('denials') }}
),

mppr_underpayments as (
    select * from {{ ref('mppr_underpayments') }}
),

ar_worklist as (
    select * from {{ ref('ar_worklist') }}
),

payer_pa_benchmark as (
    select * from {{ ref('payer_pa_benchmark') }}
),

authorizations as (
    select * from {{ ref('stg_pm__authorizations') }}
),

pa_decided as (
    select * from {{ ref('int_pa_requests_decided') }}
),

payer_periods as (
    select
        payers.payer_id,
        payers.payer_name,
        payers.payer_type,
        periods.period,
        periods.period_start,
        periods.period_end,
        periods.pa_report_year,
        periods.period_order
    from payers
    cross join periods
),

lines_by_period as (
    select
        claim_lines.payer_id,
        periods.period,
        count(*) as claim_lines,
        count(distinct claim_lines.claim_id) as claims,
        sum(claim_lines.charge_amount) as charges,
        sum(claim_lines.paid_allowed) as allowed,
        sum(claim_lines.paid) as paid
    from claim_lines
    inner join periods
        on claim_lines.service_date between periods.period_start and periods.period_end
    group by claim_lines.payer_id, periods.period
),

fees_by_period as (
    select
        payer_id,
        period,
        sum(units) as fee_units,
        sum(revenue) as fee_revenue,
        sum(case when medicare_allowed is not null then units else 0 end) as units_with_medicare,
        sum(case when medicare_allowed is not null then revenue else 0 end) as revenue_with_medicare,
        sum(units * medicare_allowed) as revenue_at_medicare,
        sum(revenue_at_medicare_plus_10pts) as revenue_plus_10_points
    from fee_rows
    group by payer_id, period
),

codes_without_medicare as (
    select distinct
        payer_id,
        period,
        procedure_code
    from fee_rows
    where units > 0 and medicare_allowed is null
),

missing_medicare_codes as (
    select
        payer_id,
        period,
        {{ string_agg_ordered('procedure_code', ', ', 'procedure_code') }} as codes
    from codes_without_medicare
    group by payer_id, period
),

first_pass_by_period as (
    select
        first_remitted.payer_id,
        periods.period,
        count(*) as claims_first_remitted,
        sum(case when first_remitted.is_denied then 1 else 0 end) as claims_first_pass_denied,
        -- Days to pay, bucketed for the distribution chart (a display choice, not a rule):
        -- the bands of macro days_to_pay_bands.
        {%- for band in days_to_pay_bands() %}
            sum(
                case when {{ days_to_pay_band_test('first_remitted.days_to_first_remit', band) }} then 1 else 0 end
            ) as {{ days_to_pay_band_column(band) }},
        {%- endfor %}
        sum(case when first_remitted.is_clean then 1 else 0 end) as claims_clean
    from first_remitted
    inner join periods
        on first_remitted.first_remit_date between periods.period_start and periods.period_end
    group by first_remitted.payer_id, periods.period
),

ranked_days as (
    select
        first_remitted.payer_id,
        periods.period,
        first_remitted.days_to_first_remit,
        row_number() over (
            partition by first_remitted.payer_id, periods.period
            order by first_remitted.days_to_first_remit
        ) as day_rank,
        count(*) over (partition by first_remitted.payer_id, periods.period) as n_days
    from first_remitted
    inner join periods
        on first_remitted.first_remit_date between periods.period_start and periods.period_end
    where first_remitted.days_to_first_remit is not null
),

-- Median: the middle value or the mean of the two middle values (as payer_pa_benchmark);
-- 90th percentile: the nearest rank, ceil(0.9 n) (portable: no percentile_cont).
days_to_pay as (
    select
        payer_id,
        period,
        avg(
            case
                when day_rank in (floor((n_days + 1) / 2.0), floor((n_days + 2) / 2.0))
                    then cast(days_to_first_remit as decimal(18, 6))
            end
        ) as median_days_to_pay,
        max(case when day_rank = ceil(0.9 * n_days) then days_to_first_remit end) as p90_days_to_pay
    from ranked_days
    group by payer_id, period
),

denials_in_period as (
    select
        denials.payer_id,
        periods.period,
        denials.denial_category,
        denials.denied_amount,
        denials.recovered_amount
    from denials
    inner join periods
        on denials.denial_date between periods.period_start and periods.period_end
),

denials_by_period as (
    select
        payer_id,
        period,
        count(*) as denials,
        sum(denied_amount) as denied_amount,
        sum(recovered_amount) as recovered_amount
    from denials_in_period
    group by payer_id, period
),

denial_categories_ranked as (
    select
        payer_id,
        period,
        denial_category,
        sum(denied_amount) as category_amount,
        row_number() over (
            partition by payer_id, period
            order by sum(denied_amount) desc, denial_category
        ) as category_rank
    from denials_in_period
    group by payer_id, period, denial_category
),

top_denial_categories as (
    select
        payer_id,
        period,
        max(case when category_rank = 1 then denial_category end) as top_denial_category_1,
        max(case when category_rank = 1 then category_amount end) as top_denial_amount_1,
        max(case when category_rank = 2 then denial_category end) as top_denial_category_2,
        max(case when category_rank = 2 then category_amount end) as top_denial_amount_2,
        max(case when category_rank = 3 then denial_category end) as top_denial_category_3,
        max(case when category_rank = 3 then category_amount end) as top_denial_amount_3
    from denial_categories_ranked
    where category_rank <= 3
    group by payer_id, period
),

underpayments_by_period as (
    select
        mppr_underpayments.payer_id,
        periods.period,
        count(*) as underpaid_lines,
        sum(mppr_underpayments.variance) as underpaid_amount
    from mppr_underpayments
    inner join periods
        on mppr_underpayments.remit_date between periods.period_start and periods.period_end
    group by mppr_underpayments.payer_id, periods.period
),

ar_by_period as (
    select
        ar_worklist.payer_id,
        periods.period,
        sum(ar_worklist.open_balance) as ar_open_balance,
        sum(case when ar_worklist.age_days > 90 then ar_worklist.open_balance else 0 end)
            as ar_over_90_days,
        sum(case when ar_worklist.age_days > 90 then 1 else 0 end) as ar_over_90_claims
    from ar_worklist
    inner join periods
        on
            periods.period = '12m'
            or ar_worklist.service_date between periods.period_start and periods.period_end
    group by ar_worklist.payer_id, periods.period
),

benchmark_standard as (
    select *
    from payer_pa_benchmark
    where request_type = 'standard'
),

pa_requests_by_period as (
    select
        authorizations.payer_id,
        periods.period,
        count(*) as pa_requests
    from authorizations
    inner join periods
        on authorizations.request_date between periods.period_start and periods.period_end
    where authorizations.program = 'payer_pa'
    group by authorizations.payer_id, periods.period
),

pa_decided_by_period as (
    select
        pa_decided.payer_id,
        periods.period,
        count(*) as pa_requests_decided,
        sum(case when pa_decided.is_approved then 1 else 0 end) as pa_requests_approved
    from pa_decided
    inner join periods
        on pa_decided.request_date between periods.period_start and periods.period_end
    group by pa_decided.payer_id, periods.period
),

joined as (
    select
        payer_periods.*,
        case
            when payer_periods.period = '12m'
                then 'the 12 months to ' || cast(payer_periods.period_end as {{ dbt.type_string() }})
            else payer_periods.period
        end as period_label,
        coalesce(lines_by_period.claim_lines, 0) as claim_lines,
        coalesce(lines_by_period.claims, 0) as claims,
        coalesce(lines_by_period.charges, 0) as charges,
        coalesce(lines_by_period.allowed, 0) as allowed,
        coalesce(lines_by_period.paid, 0) as paid,
        coalesce(fees_by_period.fee_units, 0) as fee_units,
        coalesce(fees_by_period.fee_revenue, 0) as fee_revenue,
        coalesce(fees_by_period.units_with_medicare, 0) as units_with_medicare,
        coalesce(fees_by_period.revenue_with_medicare, 0) as revenue_with_medicare,
        fees_by_period.revenue_at_medicare,
        coalesce(fees_by_period.revenue_plus_10_points, 0) as revenue_plus_10_points,
        missing_medicare_codes.codes as codes_without_medicare_fee,
        coalesce(first_pass_by_period.claims_first_remitted, 0) as claims_first_remitted,
        coalesce(first_pass_by_period.claims_first_pass_denied, 0) as claims_first_pass_denied,
        coalesce(first_pass_by_period.claims_clean, 0) as claims_clean,
        days_to_pay.median_days_to_pay,
        days_to_pay.p90_days_to_pay,
        {%- for band in days_to_pay_bands() %}
            coalesce(first_pass_by_period.{{ days_to_pay_band_column(band) }}, 0)
                as {{ days_to_pay_band_column(band) }},
        {%- endfor %}
        coalesce(denials_by_period.denials, 0) as denials,
        coalesce(denials_by_period.denied_amount, 0) as denied_amount,
        coalesce(denials_by_period.recovered_amount, 0) as recovered_amount,
        top_denial_categories.top_denial_category_1,
        top_denial_categories.top_denial_amount_1,
        top_denial_categories.top_denial_category_2,
        top_denial_categories.top_denial_amount_2,
        top_denial_categories.top_denial_category_3,
        top_denial_categories.top_denial_amount_3,
        coalesce(underpayments_by_period.underpaid_lines, 0) as underpaid_lines,
        coalesce(underpayments_by_period.underpaid_amount, 0) as underpaid_amount,
        coalesce(ar_by_period.ar_open_balance, 0) as ar_open_balance,
        coalesce(ar_by_period.ar_over_90_days, 0) as ar_over_90_days,
        coalesce(ar_by_period.ar_over_90_claims, 0) as ar_over_90_claims,
        benchmark_standard.report_year as benchmark_report_year,
        benchmark_standard.practice_requests as pa_standard_requests_decided,
        benchmark_standard.practice_pct_approved as pa_practice_pct_approved,
        benchmark_standard.payer_pct_approved as pa_payer_pct_approved,
        benchmark_standard.approval_gap_pts as pa_approval_gap_pts,
        benchmark_standard.practice_avg_decision_days as pa_practice_avg_decision_days,
        benchmark_standard.payer_avg_decision_days as pa_payer_avg_decision_days,
        benchmark_standard.decision_days_gap as pa_decision_days_gap,
        benchmark_standard.practice_pct_within_deadline as pa_practice_pct_within_deadline,
        coalesce(pa_requests_by_period.pa_requests, 0) as pa_requests,
        coalesce(pa_decided_by_period.pa_requests_decided, 0) as pa_requests_decided,
        coalesce(pa_decided_by_period.pa_requests_approved, 0) as pa_requests_approved
    from payer_periods
    left join lines_by_period
        on payer_periods.payer_id = lines_by_period.payer_id and payer_periods.period = lines_by_period.period
    left join fees_by_period
        on payer_periods.payer_id = fees_by_period.payer_id and payer_periods.period = fees_by_period.period
    left join missing_medicare_codes
        on
            payer_periods.payer_id = missing_medicare_codes.payer_id
            and payer_periods.period = missing_medicare_codes.period
    left join first_pass_by_period
        on
            payer_periods.payer_id = first_pass_by_period.payer_id
            and payer_periods.period = first_pass_by_period.period
    left join days_to_pay
        on payer_periods.payer_id = days_to_pay.payer_id and payer_periods.period = days_to_pay.period
    left join denials_by_period
        on payer_periods.payer_id = denials_by_period.payer_id and payer_periods.period = denials_by_period.period
    left join top_denial_categories
        on
            payer_periods.payer_id = top_denial_categories.payer_id
            and payer_periods.period = top_denial_categories.period
    left join underpayments_by_period
        on
            payer_periods.payer_id = underpayments_by_period.payer_id
            and payer_periods.period = underpayments_by_period.period
    left join ar_by_period
        on payer_periods.payer_id = ar_by_period.payer_id and payer_periods.period = ar_by_period.period
    left join benchmark_standard
        on
            payer_periods.payer_id = benchmark_standard.payer_id
            and payer_periods.pa_report_year = benchmark_standard.report_year
    left join pa_requests_by_period
        on
            payer_periods.payer_id = pa_requests_by_period.payer_id
            and payer_periods.period = pa_requests_by_period.period
    left join pa_decided_by_period
        on
            payer_periods.payer_id = pa_decided_by_period.payer_id
            and payer_periods.period = pa_decided_by_period.period
),

final as (
    select
        payer_id,
        payer_name,
        payer_type,
        period,
        period_start,
        period_end,
        period_label,
        {{ as_of_date() }} as as_of_date,
        cast(claim_lines as {{ dbt.type_int() }}) as claim_lines,
        cast(claims as {{ dbt.type_int() }}) as claims,
        cast(charges as decimal(18, 2)) as charges,
        cast(allowed as decimal(18, 2)) as allowed,
        cast(paid as decimal(18, 2)) as paid,
        cast(fee_units as {{ dbt.type_int() }}) as fee_units,
        cast(fee_revenue as decimal(18, 2)) as fee_revenue,
        cast(
            {{ pct('revenue_with_medicare', 'revenue_at_medicare') }} as decimal(9, 2)
        ) as pct_of_medicare,
        cast(revenue_plus_10_points as decimal(18, 2)) as revenue_plus_10_points,
        cast(revenue_plus_10_points - revenue_with_medicare as decimal(18, 2)) as gain_of_10_points,
        case
            when claim_lines = 0 then 'no claim lines in ' || period_label
            when fee_units = 0 then 'no fee in force on the as-of date for the codes billed in ' || period_label
            when units_with_medicare = 0
                then 'no Medicare fee for the codes billed (' || codes_without_medicare_fee || ')'
            when units_with_medicare < fee_units
                then
                    'no Medicare fee for ' || codes_without_medicare_fee || ' ('
                    || cast(fee_units - units_with_medicare as {{ dbt.type_string() }})
                    || ' of ' || cast(fee_units as {{ dbt.type_string() }})
                    || ' units left out)'
            else 'complete'
        end as medicare_fee_status,
        cast(claims_first_remitted as {{ dbt.type_int() }}) as claims_first_remitted,
        cast(claims_first_pass_denied as {{ dbt.type_int() }}) as claims_first_pass_denied,
        cast(
            coalesce({{ pct('claims_first_pass_denied', 'claims_first_remitted') }}, 0)
            as decimal(9, 2)
        ) as first_pass_denial_rate,
        cast(
            coalesce({{ pct('claims_clean', 'claims_first_remitted') }}, 0)
            as decimal(9, 2)
        ) as clean_claim_rate,
        cast(round(median_days_to_pay, 1) as decimal(9, 1)) as median_days_to_pay,
        cast(p90_days_to_pay as {{ dbt.type_int() }}) as p90_days_to_pay,
        {%- for band in days_to_pay_bands() %}
            cast({{ days_to_pay_band_column(band) }} as {{ dbt.type_int() }})
                as {{ days_to_pay_band_column(band) }},
        {%- endfor %}
        cast(denials as {{ dbt.type_int() }}) as denials,
        cast(denied_amount as decimal(18, 2)) as denied_amount,
        cast(recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(
            coalesce({{ pct('recovered_amount', 'denied_amount') }}, 0) as decimal(9, 2)
        ) as recovery_rate,
        top_denial_category_1,
        cast(top_denial_amount_1 as decimal(18, 2)) as top_denial_amount_1,
        top_denial_category_2,
        cast(top_denial_amount_2 as decimal(18, 2)) as top_denial_amount_2,
        top_denial_category_3,
        cast(top_denial_amount_3 as decimal(18, 2)) as top_denial_amount_3,
        cast(underpaid_lines as {{ dbt.type_int() }}) as underpaid_lines,
        cast(underpaid_amount as decimal(18, 2)) as underpaid_amount,
        cast(ar_open_balance as decimal(18, 2)) as ar_open_balance,
        cast(ar_over_90_days as decimal(18, 2)) as ar_over_90_days,
        cast(ar_over_90_claims as {{ dbt.type_int() }}) as ar_over_90_claims,
        cast(pa_report_year as {{ dbt.type_int() }}) as pa_report_year,
        case
            when benchmark_report_year is null
                then
                    'no decided standard PA requests in '
                    || cast(pa_report_year as {{ dbt.type_string() }}) || ' to compare'
            when pa_payer_pct_approved is null
                then 'no public report for ' || cast(pa_report_year as {{ dbt.type_string() }})
            else 'compared with the payer report for ' || cast(pa_report_year as {{ dbt.type_string() }})
        end as pa_report_status,
        cast(coalesce(pa_standard_requests_decided, 0) as {{ dbt.type_int() }}) as pa_standard_requests_decided,
        pa_practice_pct_approved,
        pa_payer_pct_approved,
        pa_approval_gap_pts,
        pa_practice_avg_decision_days,
        pa_payer_avg_decision_days,
        pa_decision_days_gap,
        pa_practice_pct_within_deadline,
        cast(pa_requests as {{ dbt.type_int() }}) as pa_requests,
        cast(pa_requests_decided as {{ dbt.type_int() }}) as pa_requests_decided,
        cast(
            coalesce({{ pct('pa_requests_approved', 'pa_requests_decided') }}, 0)
            as decimal(9, 2)
        ) as pa_approval_rate,
        cast(period_order as {{ dbt.type_int() }}) as period_order
    from joined
)

select * from final
