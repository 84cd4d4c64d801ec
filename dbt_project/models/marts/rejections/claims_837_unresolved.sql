{#-
    INPUTS.md "claims_837" (issue #19 item 5): an 837 claim whose payer (2010BB NM109)
    matches no payers.x12_payer_id, or several that SBR09 and seed claim_filing_indicators
    cannot tell apart, stays out of the claims history (stg_x12__claims_837
    unresolved_reason). This lists each such claim once, for the Data health page, so it is
    fixed (payer's id added to the payers extract, or the filing indicator corrected)
    instead of never billed. As of a date: claims submitted by then (known_as_of).
-#}
with

claim_lines as (
    select * from {{ ref('stg_x12__claims_837') }}
    where unresolved_reason is not null and {{ known_as_of('submitted_date') }}
),

transactions as (
    select * from {{ ref('stg_x12__claim_837_transactions') }}
),

claims as (

    -- one row per CLM loop: its lines carry the same claim-level fields
    select
        transaction_id,
        clm_position,
        min(_file_name) as file_name,
        min(clm01) as claim_id,
        min(patient_id) as patient_id,
        min(service_date) as service_date,
        min(submitted_date) as submitted_date,
        sum(charge_amount) as charge_amount,
        count(*) as line_count,
        min(x12_payer_id) as x12_payer_id,
        min(claim_filing_indicator_code) as claim_filing_indicator_code,
        min(unresolved_reason) as reason
    from claim_lines
    group by transaction_id, clm_position

),

final as (

    select
        claims.file_name,
        transactions.transaction_control_number,
        claims.claim_id,
        claims.patient_id,
        claims.service_date,
        claims.submitted_date,
        cast(claims.charge_amount as decimal(18, 2)) as charge_amount,
        cast(claims.line_count as {{ dbt.type_int() }}) as line_count,
        claims.x12_payer_id,
        claims.claim_filing_indicator_code,
        claims.reason,
        claims.transaction_id,
        cast(claims.clm_position as {{ dbt.type_int() }}) as clm_position
    from claims
    left join transactions
        on claims.transaction_id = transactions.transaction_id

)

select * from final
