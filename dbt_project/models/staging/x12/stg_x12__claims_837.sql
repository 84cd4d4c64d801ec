-- The primary claims (SBR01 P) of the 837P batches, one row per line, in the claims
-- extract's columns (INPUTS.md "claims_837" mapping table), with the payer and patient
-- resolved. A line whose payer matches no payers row or several carries
-- unresolved_reason (naming the X12 payer id) and is kept out of the claims history
-- (stg_pm__claim_versions); the Data health page lists it.
with

claim_lines as (

    select * from {{ ref('stg_x12__claim_837_lines') }}

),

payers as (

    select * from {{ ref('stg_pm__payers') }}

),

filing_indicators as (

    select * from {{ ref('claim_filing_indicators') }}

),

appointments as (

    select * from {{ ref('stg_pm__appointments') }}

),

claim_payments as (

    select * from {{ ref('stg_x12__claim_payments') }}

),

primary_lines as (

    -- INPUTS.md: only a CLM of a subscriber loop with SBR01 P is a claim; a secondary or
    -- tertiary payer's loop stays in raw
    select * from claim_lines
    where payer_responsibility_code = 'P'

),

payer_candidates as (

    -- every payers row whose x12_payer_id list holds 2010BB NM109, and whether its
    -- payer_type fits SBR09 (seed claim_filing_indicators; a code not listed: other)
    select distinct
        primary_lines.transaction_id,
        primary_lines.clm_position,
        payers.payer_id,
        payers.payer_type = coalesce(filing_indicators.payer_type, 'other') as type_fits
    from primary_lines
    inner join payers
        on {{ list_contains(split_words('payers.x12_payer_id'), 'primary_lines.x12_payer_id') }}
    left join filing_indicators
        on primary_lines.claim_filing_indicator_code = filing_indicators.claim_filing_indicator_code

),

payer_counts as (

    select
        transaction_id,
        clm_position,
        count(*) as match_count,
        sum(case when type_fits then 1 else 0 end) as fitting_count,
        max(case when type_fits then payer_id end) as fitting_payer_id,
        max(payer_id) as only_payer_id
    from payer_candidates
    group by transaction_id, clm_position

),

payer_resolved as (

    select
        primary_lines.*,
        case
            when payer_counts.match_count = 1 then payer_counts.only_payer_id
            when payer_counts.fitting_count = 1 then payer_counts.fitting_payer_id
        end as payer_id,
        case
            when payer_counts.match_count is null
                then concat(
                        'payer id ', coalesce(primary_lines.x12_payer_id, '(none)'),
                        ' (2010BB NM109) matches no payers.x12_payer_id'
                    )
            when payer_counts.match_count > 1 and payer_counts.fitting_count != 1
                then concat(
                        'payer id ', primary_lines.x12_payer_id, ' matches ',
                        cast(payer_counts.match_count as {{ dbt.type_string() }}), ' payers, and SBR09 ',
                        coalesce(primary_lines.claim_filing_indicator_code, '(none)'),
                        ' fits ', cast(payer_counts.fitting_count as {{ dbt.type_string() }}), ' of them'
                    )
        end as unresolved_reason
    from primary_lines
    left join payer_counts
        on
            primary_lines.transaction_id = payer_counts.transaction_id
            and primary_lines.clm_position = payer_counts.clm_position

),

members as (

    -- the patient of a member id at a payer, when the appointments name exactly one
    select
        payer_id,
        member_id,
        max(patient_id) as patient_id
    from appointments
    where member_id is not null
    group by payer_id, member_id
    having count(distinct patient_id) = 1

),

originals as (

    -- a replacement or void sent under a new CLM01 names the claim it replaces by REF*F8 =
    -- the payer's claim control number (835 CLP07)
    select
        payer_claim_control_number,
        min(claim_id) as claim_id
    from claim_payments
    where payer_claim_control_number is not null
    group by payer_claim_control_number
    having count(distinct claim_id) = 1

),

final as (

    select
        coalesce(originals.claim_id, payer_resolved.claim_id) as claim_id,
        payer_resolved.line_number,
        payer_resolved.line_control_number,
        -- REF*EA, else the member's patient at that payer, else the member id (flagged)
        coalesce(payer_resolved.medical_record_number, members.patient_id, payer_resolved.member_id)
            as patient_id,
        case
            when payer_resolved.medical_record_number is not null then 'medical_record_number'
            when members.patient_id is not null then 'appointment_member_id'
            else 'member_id'
        end as patient_id_source,
        payer_resolved.payer_id,
        payer_resolved.rendering_npi,
        payer_resolved.billing_npi,
        payer_resolved.service_date,
        payer_resolved.submitted_date,
        payer_resolved.procedure_code,
        payer_resolved.modifiers,
        payer_resolved.units,
        payer_resolved.charge_amount,
        payer_resolved.diagnosis_codes,
        payer_resolved.prior_auth_number,
        payer_resolved.place_of_service,
        payer_resolved.frequency_code,
        payer_resolved.claim_id as clm01,
        payer_resolved.payer_claim_control_number,
        payer_resolved.x12_payer_id,
        payer_resolved.member_id,
        payer_resolved.claim_filing_indicator_code,
        payer_resolved.unresolved_reason,
        payer_resolved.bht_reference,
        payer_resolved.transaction_id,
        payer_resolved.clm_position,
        payer_resolved.lx_position,
        payer_resolved.gs_date,
        payer_resolved.gs_time,
        payer_resolved._file_name,
        payer_resolved._file_sha256,
        payer_resolved._loaded_at
    from payer_resolved
    left join members
        on
            payer_resolved.payer_id = members.payer_id
            and payer_resolved.member_id = members.member_id
    left join originals
        on payer_resolved.payer_claim_control_number = originals.payer_claim_control_number

)

select * from final
