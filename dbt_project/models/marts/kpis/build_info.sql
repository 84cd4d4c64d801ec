{#-
    One row per build: the as-of date and build time every dashboard page shows, the engine
    and versions, the row count of every mart, and failing_tests (null here: the CLI fills
    it in after the tests ran). It differs between engines and builds by nature.
-#}
with

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

denial_patterns as (
    select * from {{ ref('denial_patterns') }}
),

ar_worklist as (
    select * from {{ ref('ar_worklist') }}
),

payer_pa_benchmark as (
    select * from {{ ref('payer_pa_benchmark') }}
),

practice_kpis as (
    select * from {{ ref('practice_kpis') }}
),

fee_schedule_comparison as (
    select * from {{ ref('fee_schedule_comparison') }}
),

procedure_readiness as (
    select * from {{ ref('procedure_readiness') }}
),

chronic_pain_capture as (
    select * from {{ ref('chronic_pain_capture') }}
),

documentation_risk as (
    select * from {{ ref('documentation_risk') }}
),

credentialing_alerts as (
    select * from {{ ref('credentialing_alerts') }}
),

payer_scorecard as (
    select * from {{ ref('payer_scorecard') }}
),

payer_scorecard_codes as (
    select * from {{ ref('payer_scorecard_codes') }}
),

code_names as (
    select * from {{ ref('code_names') }}
),

contracts_by_payer as (
    select * from {{ ref('contracts_by_payer') }}
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at,
        '{{ target.type }}' as engine,
        '{{ dbt_version }}' as dbt_version,
        '{{ var("painrcm_version", "dev") }}' as painrcm_version,
        '{{ invocation_id }}' as invocation_id,
        (select count(*) from pa_coverage_gaps) as rows_pa_coverage_gaps,
        (select count(*) from guidance_recapture) as rows_guidance_recapture,
        (select count(*) from mppr_underpayments) as rows_mppr_underpayments,
        (select count(*) from denials) as rows_denials,
        (select count(*) from denial_patterns) as rows_denial_patterns,
        (select count(*) from ar_worklist) as rows_ar_worklist,
        (select count(*) from payer_pa_benchmark) as rows_payer_pa_benchmark,
        (select count(*) from practice_kpis) as rows_practice_kpis,
        (select count(*) from fee_schedule_comparison) as rows_fee_schedule_comparison,
        (select count(*) from procedure_readiness) as rows_procedure_readiness,
        (select count(*) from chronic_pain_capture) as rows_chronic_pain_capture,
        (select count(*) from documentation_risk) as rows_documentation_risk,
        (select count(*) from credentialing_alerts) as rows_credentialing_alerts,
        (select count(*) from payer_scorecard) as rows_payer_scorecard,
        (select count(*) from payer_scorecard_codes) as rows_payer_scorecard_codes,
        (select count(*) from code_names) as rows_code_names,
        (select count(*) from contracts_by_payer) as rows_contracts_by_payer,
        cast(null as {{ dbt.type_string() }}) as failing_tests
)

select * from final
