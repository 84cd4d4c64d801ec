-- One row per claim payment (CLP loop, 2100) of an 835: the payer's decision on one claim
-- in one remit. CLP02 1/4/19 are primary payments, 2/3/20/21 secondary and tertiary, 22 a
-- reversal of an earlier payment (negative amounts, kept as sent), 23 and 25 move no money:
-- seed remit_claim_statuses (payer_order, is_reversal) says which is which.
with

segments as (

    select * from {{ ref('stg_x12__segments') }}

),

remittances as (

    select * from {{ ref('stg_x12__remittances') }}

),

claim_statuses as (

    select * from {{ ref('remit_claim_statuses') }}

),

claim_level_segments as (

    -- the claim loop itself, not its service lines; the first occurrence of each segment
    -- and qualifier wins
    select
        transaction_id,
        clp_position,
        segment_id,
        e01,
        e02,
        e03,
        e04,
        e05,
        e06,
        e07,
        e08,
        e09,
        e10,
        e11,
        e12,
        row_number() over (
            partition by
                transaction_id,
                clp_position,
                segment_id,
                case when segment_id in ('REF', 'DTM', 'NM1', 'AMT') then e01 end
            order by segment_position
        ) as occurrence

    from segments
    where
        clp_position is not null
        and svc_position is null
        and transaction_id is not null
        and segment_id in ('CLP', 'MOA', 'REF', 'DTM', 'NM1', 'AMT')

),

pivoted as (

    select
        transaction_id,
        clp_position,
        max(case when segment_id = 'CLP' then e01 end) as claim_id,
        max(case when segment_id = 'CLP' then e02 end) as claim_status_code,
        max(case when segment_id = 'CLP' then e03 end) as charge_text,
        max(case when segment_id = 'CLP' then e04 end) as paid_text,
        max(case when segment_id = 'CLP' then e05 end) as patient_responsibility_text,
        max(case when segment_id = 'CLP' then e06 end) as claim_filing_indicator,
        max(case when segment_id = 'CLP' then e07 end) as payer_claim_control_number,
        max(case when segment_id = 'CLP' then e08 end) as facility_type_code,
        max(case when segment_id = 'CLP' then e09 end) as claim_frequency_code,
        max(case when segment_id = 'MOA' then e03 end) as moa_remark_1,
        max(case when segment_id = 'MOA' then e04 end) as moa_remark_2,
        max(case when segment_id = 'MOA' then e05 end) as moa_remark_3,
        max(case when segment_id = 'MOA' then e06 end) as moa_remark_4,
        max(case when segment_id = 'MOA' then e07 end) as moa_remark_5,
        max(case when segment_id = 'REF' and e01 = 'F8' then e02 end) as original_reference_number,
        max(case when segment_id = 'REF' and e01 = 'G1' then e02 end) as prior_auth_number,
        max(case when segment_id = 'REF' and e01 = '9F' then e02 end) as referral_number,
        max(case when segment_id = 'REF' and e01 = '1L' then e02 end) as group_policy_number,
        max(case when segment_id = 'NM1' and e01 = '82' then e09 end) as rendering_provider_id,
        max(case when segment_id = 'DTM' and e01 = '232' then e02 end) as statement_from_text,
        max(case when segment_id = 'DTM' and e01 = '233' then e02 end) as statement_to_text,
        max(case when segment_id = 'DTM' and e01 = '050' then e02 end) as received_date_text,
        max(case when segment_id = 'AMT' and e01 = 'I' then e02 end) as interest_text

    from claim_level_segments
    where occurrence = 1
    group by transaction_id, clp_position

),

typed as (

    select
        pivoted.transaction_id,
        pivoted.clp_position,
        pivoted.claim_id,
        pivoted.claim_status_code,
        {{ x12_amount('pivoted.charge_text') }} as charge_amount,
        {{ x12_amount('pivoted.paid_text') }} as paid_amount,
        {{ x12_amount('pivoted.patient_responsibility_text') }} as patient_responsibility_amount,
        pivoted.claim_filing_indicator,
        pivoted.payer_claim_control_number,
        pivoted.facility_type_code,
        pivoted.claim_frequency_code,
        nullif(
            concat_ws(
                ' ',
                pivoted.moa_remark_1,
                pivoted.moa_remark_2,
                pivoted.moa_remark_3,
                pivoted.moa_remark_4,
                pivoted.moa_remark_5
            ),
            ''
        ) as moa_remark_codes,
        pivoted.original_reference_number,
        pivoted.prior_auth_number,
        pivoted.referral_number,
        pivoted.group_policy_number,
        pivoted.rendering_provider_id,
        {{ x12_date('pivoted.statement_from_text') }} as statement_from_date,
        {{ x12_date('pivoted.statement_to_text') }} as statement_to_date,
        {{ x12_date('pivoted.received_date_text') }} as received_date,
        {{ x12_amount('pivoted.interest_text') }} as interest_amount,
        claim_statuses.payer_order,
        coalesce(claim_statuses.is_reversal, false) as is_reversal

    from pivoted
    left join claim_statuses
        on pivoted.claim_status_code = claim_statuses.claim_status_code

),

reversal_origins as (

    -- rules.md §7: a reversal counts with the payer order of the payment it reverses: the
    -- non-reversal remits of the same claim (same payer claim control number when both
    -- carry one)
    select
        reversals.transaction_id,
        reversals.clp_position,
        max(case when origins.payer_order = 'primary' then 1 else 0 end) as has_primary_origin,
        max(case when origins.payer_order in ('secondary', 'tertiary') then 1 else 0 end)
            as has_secondary_origin

    from typed as reversals
    inner join typed as origins
        on
            reversals.claim_id = origins.claim_id
            and (
                reversals.payer_claim_control_number is null
                or origins.payer_claim_control_number is null
                or reversals.payer_claim_control_number = origins.payer_claim_control_number
            )
    where
        reversals.is_reversal
        and not origins.is_reversal
    group by reversals.transaction_id, reversals.clp_position

),

joined as (

    select
        typed.*,
        -- a reversal whose original is not loaded is taken as primary: secondary payments
        -- are rarely reversed and a primary reversal must not be missed
        coalesce(
            typed.payer_order = 'primary'
            or (
                typed.is_reversal
                and (
                    coalesce(reversal_origins.has_primary_origin, 0) = 1
                    or coalesce(reversal_origins.has_secondary_origin, 0) = 0
                )
            ),
            false
        ) as is_primary,
        remittances.file_name,
        remittances.payer_x12_id,
        remittances.remit_date

    from typed
    left join reversal_origins
        on
            typed.transaction_id = reversal_origins.transaction_id
            and typed.clp_position = reversal_origins.clp_position
    left join remittances
        on typed.transaction_id = remittances.transaction_id

),

final as (

    select * from joined

)

select * from final
