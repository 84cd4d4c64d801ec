{#-
    rules.md §11, practice side: one row per decided prior-authorization request (program
    payer_pa; not pending, not withdrawn) with its payer type, request year, days from request
    to decision and whether the decision came within the deadline in force on the request
    date (seed payer_pa_deadlines). calendar_days: request date + N; hours: N / 24 days (72
    hours = 3 days when only dates are known); business_days: the Nth day after the request
    that is Monday-Friday and not a federal holiday on its observed date (CMS OPD operational
    guide). A decided request without a decision date has no decision days and is not counted
    as within the deadline.
-#}
with

authorizations as (
    select * from {{ ref('stg_pm__authorizations') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

deadlines as (
    select * from {{ ref('payer_pa_deadlines') }}
),

decided as (
    select
        authorizations.auth_id,
        authorizations.payer_id,
        payers.payer_type,
        payers.parent_organization,
        payers.pa_report_id,
        authorizations.urgency as request_type,
        authorizations.request_date,
        authorizations.decision_date,
        authorizations.decision,
        coalesce(authorizations.appealed, false) as appealed,
        authorizations.appeal_decision,
        cast(extract(year from authorizations.request_date) as {{ dbt.type_int() }}) as report_year
    from authorizations
    inner join payers
        on authorizations.payer_id = payers.payer_id
    where
        authorizations.program = 'payer_pa'
        and authorizations.decision not in ('pending', 'withdrawn')
),

business_days as (
    {{ business_days_after('decided', 'request_date', horizon=40) }}
),

with_deadline as (
    select
        decided.*,
        deadlines.deadline_value,
        deadlines.deadline_unit
    from decided
    left join deadlines
        on
            decided.payer_type = deadlines.payer_type
            and decided.request_type = deadlines.request_type
            and (deadlines.effective_from is null or decided.request_date >= deadlines.effective_from)
            and (deadlines.effective_to is null or decided.request_date <= deadlines.effective_to)
),

deadline_dates as (
    select
        with_deadline.*,
        case
            when with_deadline.deadline_unit = 'calendar_days'
                then {{ add_days('with_deadline.request_date', 'with_deadline.deadline_value') }}
            when with_deadline.deadline_unit = 'hours'
                then {{ add_days('with_deadline.request_date', 'floor(with_deadline.deadline_value / 24)') }}
            else business_days.business_date
        end as deadline_date
    from with_deadline
    left join business_days
        on
            with_deadline.deadline_unit = 'business_days'
            and with_deadline.request_date = business_days.start_date
            and with_deadline.deadline_value = business_days.business_day_number
),

final as (
    select
        auth_id,
        payer_id,
        payer_type,
        parent_organization,
        pa_report_id,
        report_year,
        request_type,
        request_date,
        decision_date,
        decision,
        appealed,
        appeal_decision,
        decision in ('approved', 'partial') as is_approved,
        decision = 'denied' as is_denied,
        decision = 'denied' and appealed and appeal_decision = 'approved' as is_approved_after_appeal,
        decision = 'denied' and appealed as is_denied_appealed,
        {{ days_between('request_date', 'decision_date') }} as decision_days,
        deadline_value,
        deadline_unit,
        deadline_date,
        coalesce(decision_date <= deadline_date, false) as is_within_deadline
    from deadline_dates
)

select * from final
