{#-
    rules.md §11 (CMS-0057-F): per payer, request year and request type, the practice's decided
    payer_pa requests measured with the payers' own definitions, beside the payer's public
    report. The report joins on pa_report_id = report_id when the payer has one, else on
    parent_organization when exactly one report of that organisation covers the year.
    Approved-after-appeal uses the report's denominator (appealed_requests: denied requests
    that were appealed; otherwise every decided request). Rounded to 2 decimals only here.
-#}
with

requests as (
    select * from {{ ref('int_pa_requests_decided') }}
),

reports as (
    select * from {{ ref('stg_pm__payer_pa_metrics') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

reports_per_organization as (
    select
        parent_organization,
        report_year,
        count(*) as n_reports
    from reports
    group by parent_organization, report_year
),

payer_years as (
    select distinct
        payer_id,
        report_year
    from requests
),

payer_reports as (
    select
        payer_years.payer_id,
        payer_years.report_year,
        reports.report_id,
        reports.appeal_denominator,
        reports.pct_standard_approved,
        reports.pct_standard_denied,
        reports.pct_approved_after_appeal,
        reports.pct_extended_then_approved,
        reports.pct_expedited_approved,
        reports.pct_expedited_denied,
        reports.avg_days_standard,
        reports.median_days_standard,
        -- hours / 24 here rather than staging's 4-decimal days: rounding only at the end
        reports.avg_hours_expedited / 24.0 as avg_days_expedited,
        reports.median_hours_expedited / 24.0 as median_days_expedited,
        reports.source_url
    from payer_years
    inner join payers
        on payer_years.payer_id = payers.payer_id
    inner join reports
        on
            payer_years.report_year = reports.report_year
            and (
                (coalesce(payers.pa_report_id, '') != '' and payers.pa_report_id = reports.report_id)
                or (
                    coalesce(payers.pa_report_id, '') = ''
                    and payers.parent_organization = reports.parent_organization
                )
            )
    left join reports_per_organization
        on
            reports.parent_organization = reports_per_organization.parent_organization
            and reports.report_year = reports_per_organization.report_year
    where
        coalesce(payers.pa_report_id, '') != ''
        or reports_per_organization.n_reports = 1
),

requests_with_report as (
    select
        requests.*,
        coalesce(payer_reports.appeal_denominator, 'all_requests') as appeal_denominator
    from requests
    left join payer_reports
        on
            requests.payer_id = payer_reports.payer_id
            and requests.report_year = payer_reports.report_year
),

ranked_days as (
    select
        payer_id,
        report_year,
        request_type,
        decision_days,
        row_number() over (
            partition by payer_id, report_year, request_type
            order by decision_days
        ) as day_rank,
        count(*) over (partition by payer_id, report_year, request_type) as n_days
    from requests
    where decision_days is not null
),

medians as (
    -- the middle value, or the mean of the two middle values (portable: no percentile_cont)
    select
        payer_id,
        report_year,
        request_type,
        avg(cast(decision_days as decimal(18, 6))) as median_decision_days
    from ranked_days
    where day_rank in (floor((n_days + 1) / 2.0), floor((n_days + 2) / 2.0))
    group by payer_id, report_year, request_type
),

practice as (
    select
        payer_id,
        max(parent_organization) as parent_organization,
        report_year,
        request_type,
        max(appeal_denominator) as appeal_denominator,
        count(*) as practice_requests,
        sum(case when is_approved then 1 else 0 end) as n_approved,
        sum(case when is_denied then 1 else 0 end) as n_denied,
        sum(case when is_approved_after_appeal then 1 else 0 end) as n_approved_after_appeal,
        sum(case when is_denied_appealed then 1 else 0 end) as n_denied_appealed,
        sum(case when is_within_deadline then 1 else 0 end) as n_within_deadline,
        avg(cast(decision_days as decimal(18, 6))) as avg_decision_days
    from requests_with_report
    group by payer_id, report_year, request_type
),

unrounded as (
    select
        practice.payer_id,
        practice.parent_organization,
        practice.report_year,
        practice.request_type,
        practice.practice_requests,
        {{ pct('practice.n_approved', 'practice.practice_requests') }} as practice_pct_approved,
        {{ pct('practice.n_denied', 'practice.practice_requests') }} as practice_pct_denied,
        case
            when practice.request_type != 'standard' then null
            when practice.appeal_denominator = 'appealed_requests'
                then {{ pct('practice.n_approved_after_appeal', 'practice.n_denied_appealed') }}
            else {{ pct('practice.n_approved_after_appeal', 'practice.practice_requests') }}
        end as practice_pct_approved_after_appeal,
        practice.avg_decision_days as practice_avg_decision_days,
        medians.median_decision_days as practice_median_decision_days,
        {{ pct('practice.n_within_deadline', 'practice.practice_requests') }} as practice_pct_within_deadline,
        case
            when practice.request_type = 'standard' then payer_reports.pct_standard_approved
            else payer_reports.pct_expedited_approved
        end as payer_pct_approved,
        -- the exact practice % minus the payer's, rounded once: 100 n / r - p = 100 (100 n - p r) / (100 r)
        {%- set payer_pct_approved -%}
            (case
                when practice.request_type = 'standard' then payer_reports.pct_standard_approved
                else payer_reports.pct_expedited_approved
            end)
        {%- endset %}
        {{ pct(
            '100 * practice.n_approved - practice.practice_requests * ' ~ payer_pct_approved,
            '100 * practice.practice_requests'
        ) }} as approval_gap_pts,
        case
            when practice.request_type = 'standard' then payer_reports.pct_standard_denied
            else payer_reports.pct_expedited_denied
        end as payer_pct_denied,
        case
            when practice.request_type = 'standard' then payer_reports.pct_approved_after_appeal
        end as payer_pct_approved_after_appeal,
        case
            when practice.request_type = 'standard' then payer_reports.pct_extended_then_approved
        end as payer_pct_extended_then_approved,
        case
            when practice.request_type = 'standard' then payer_reports.avg_days_standard
            else payer_reports.avg_days_expedited
        end as payer_avg_decision_days,
        case
            when practice.request_type = 'standard' then payer_reports.median_days_standard
            else payer_reports.median_days_expedited
        end as payer_median_decision_days,
        payer_reports.source_url
    from practice
    left join medians
        on
            practice.payer_id = medians.payer_id
            and practice.report_year = medians.report_year
            and practice.request_type = medians.request_type
    left join payer_reports
        on
            practice.payer_id = payer_reports.payer_id
            and practice.report_year = payer_reports.report_year
),

final as (
    select
        payer_id,
        parent_organization,
        report_year,
        request_type,
        cast(practice_requests as {{ dbt.type_int() }}) as practice_requests,
        cast(round(practice_pct_approved, 2) as decimal(9, 2)) as practice_pct_approved,
        cast(round(practice_pct_denied, 2) as decimal(9, 2)) as practice_pct_denied,
        cast(round(practice_pct_approved_after_appeal, 2) as decimal(9, 2))
            as practice_pct_approved_after_appeal,
        cast(round(practice_avg_decision_days, 2) as decimal(9, 2)) as practice_avg_decision_days,
        cast(round(practice_median_decision_days, 2) as decimal(9, 2)) as practice_median_decision_days,
        cast(round(practice_pct_within_deadline, 2) as decimal(9, 2)) as practice_pct_within_deadline,
        cast(round(payer_pct_approved, 2) as decimal(9, 2)) as payer_pct_approved,
        cast(round(payer_pct_denied, 2) as decimal(9, 2)) as payer_pct_denied,
        cast(round(payer_pct_approved_after_appeal, 2) as decimal(9, 2)) as payer_pct_approved_after_appeal,
        cast(round(payer_pct_extended_then_approved, 2) as decimal(9, 2)) as payer_pct_extended_then_approved,
        cast(round(payer_avg_decision_days, 2) as decimal(9, 2)) as payer_avg_decision_days,
        cast(round(payer_median_decision_days, 2) as decimal(9, 2)) as payer_median_decision_days,
        cast(round(approval_gap_pts, 2) as decimal(9, 2)) as approval_gap_pts,
        cast(round(practice_avg_decision_days - payer_avg_decision_days, 2) as decimal(9, 2))
            as decision_days_gap,
        source_url
    from unrounded
)

select * from final
