{#-
    OUTPUTS credentialing_alerts: a licence or DEA registration expiring within N days of
    the as-of date (or already expired), and a CAQH ProView re-attestation (attested +
    cycle days) due within M days or overdue. N, the cycle and M live in seed
    practice_policies (credential_expiry_alert_days, caqh_reattestation_days,
    caqh_alert_days). An alert not yet lapsed and due within S days is due soon (the
    Credentialing page's count; S: credential_due_soon_days, same seed).
-#}
with

providers as (
    select * from {{ ref('stg_pm__providers') }}
),

policies as (
    select * from {{ ref('practice_policies') }}
),

thresholds as (
    select
        max(case when policy = 'credential_expiry_alert_days' then cast(value as {{ dbt.type_int() }}) end)
            as expiry_alert_days,
        max(case when policy = 'caqh_reattestation_days' then cast(value as {{ dbt.type_int() }}) end)
            as caqh_cycle_days,
        max(case when policy = 'caqh_alert_days' then cast(value as {{ dbt.type_int() }}) end)
            as caqh_alert_days,
        max(case when policy = 'credential_due_soon_days' then cast(value as {{ dbt.type_int() }}) end)
            as due_soon_days
    from policies
),

due_dates as (
    select
        npi,
        provider_name,
        'license_expiring' as alert_type,
        license_expires_on as due_date
    from providers
    where license_expires_on is not null
    union all
    select
        npi,
        provider_name,
        'dea_expiring' as alert_type,
        dea_expires_on as due_date
    from providers
    where dea_expires_on is not null
    union all
    select
        providers.npi,
        providers.provider_name,
        'caqh_attestation_due' as alert_type,
        {{ add_days('providers.caqh_attested_on', 'thresholds.caqh_cycle_days') }} as due_date
    from providers
    cross join thresholds
    where providers.caqh_attested_on is not null
),

measured as (
    select
        due_dates.npi,
        due_dates.provider_name,
        due_dates.alert_type,
        due_dates.due_date,
        {{ days_between(as_of_date(), 'due_dates.due_date') }} as days_left,
        case
            when due_dates.alert_type = 'caqh_attestation_due' then thresholds.caqh_alert_days
            else thresholds.expiry_alert_days
        end as alert_days,
        thresholds.due_soon_days
    from due_dates
    cross join thresholds
),

final as (
    select
        npi,
        provider_name,
        alert_type,
        due_date,
        cast(days_left as {{ dbt.type_int() }}) as days_left,
        days_left between 0 and due_soon_days as is_due_soon,
        cast(due_soon_days as {{ dbt.type_int() }}) as due_soon_days
    from measured
    where days_left <= alert_days
)

select * from final
