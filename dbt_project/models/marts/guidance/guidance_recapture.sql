{#-
    rules.md §6: one row per encounter (claim, else appointment), primary code, finding and
    guidance code. The logic is in int_guidance_findings; this is the contract's shape.
-#}
with

findings as (
    select * from {{ ref('int_guidance_findings') }}
),

final as (
    select
        encounter_id,
        claim_id,
        appointment_id,
        patient_id,
        payer_id,
        service_date,
        primary_code,
        guidance_code,
        finding_type,
        recapture_amount,
        compliance_risk_amount
    from findings
)

select * from final
