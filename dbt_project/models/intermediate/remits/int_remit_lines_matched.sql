{#-
    rules.md §8: each 835 service line (SVC loop) matched to a claim line of the newest claims
    extract. CLP01 = claim_id; then REF*6R = line_number when sent (and it names a line of
    the claim); else, in order of appearance, the k-th remit line of a code matches the k-th
    claim line of that code: first by code + modifiers, then (for what is left) by code
    alone. The code is SVC06 (the submitted code) when the payer recoded the line, else
    SVC01. Unmatched lines are kept with is_line_matched = false.
-#}
with

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

service_lines as (
    select * from {{ ref('stg_x12__service_lines') }}
),

adjustments as (
    select * from {{ ref('int_adjustments_classified') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

claim_lines as (
    select
        claim_id,
        line_number,
        procedure_code,
        coalesce(modifiers, '') as modifier_key,
        cast(line_number as {{ dbt.type_string() }}) as line_number_text
    from claims
),

known_claims as (
    select
        claim_id,
        min(payer_id) as payer_id,
        min(patient_id) as patient_id
    from claims
    group by claim_id
),

remit_lines as (
    select
        service_lines.transaction_id,
        service_lines.clp_position,
        service_lines.svc_position,
        claim_payments.claim_id,
        claim_payments.claim_status_code,
        claim_payments.is_reversal,
        claim_payments.is_primary,
        claim_payments.remit_date,
        service_lines.procedure_code as remit_procedure_code,
        service_lines.modifiers as remit_modifiers,
        service_lines.submitted_procedure_code,
        service_lines.line_control_number,
        service_lines.service_date as remit_service_date,
        service_lines.remark_codes,
        service_lines.units as remit_units,
        service_lines.charge_amount as remit_charge,
        service_lines.paid_amount as paid,
        service_lines.allowed_amount,
        coalesce(
            nullif(trim(service_lines.submitted_procedure_code), ''),
            service_lines.procedure_code
        ) as match_code,
        case
            when nullif(trim(service_lines.submitted_procedure_code), '') is not null
                then coalesce(service_lines.submitted_modifiers, '')
            else coalesce(service_lines.modifiers, '')
        end as match_modifier_key
    from service_lines
    inner join claim_payments
        on
            service_lines.transaction_id = claim_payments.transaction_id
            and service_lines.clp_position = claim_payments.clp_position
),

-- Every claim line is a candidate once per remitted claim (an original, its reversal and
-- the corrected payment each match the same lines).
candidate_claim_lines as (
    select distinct
        remit_lines.transaction_id,
        remit_lines.clp_position,
        claim_lines.line_number,
        claim_lines.line_number_text,
        claim_lines.procedure_code,
        claim_lines.modifier_key
    from remit_lines
    inner join claim_lines
        on remit_lines.claim_id = claim_lines.claim_id
),

matched_by_control_number as (
    select
        remit_lines.transaction_id,
        remit_lines.clp_position,
        remit_lines.svc_position,
        candidate_claim_lines.line_number as claim_line_number,
        'line_control_number' as match_method
    from remit_lines
    inner join candidate_claim_lines
        on
            remit_lines.transaction_id = candidate_claim_lines.transaction_id
            and remit_lines.clp_position = candidate_claim_lines.clp_position
            and trim(remit_lines.line_control_number) = candidate_claim_lines.line_number_text
),

remit_lines_left_1 as (
    select remit_lines.*
    from remit_lines
    left join matched_by_control_number as already_matched
        on
            remit_lines.transaction_id = already_matched.transaction_id
            and remit_lines.clp_position = already_matched.clp_position
            and remit_lines.svc_position = already_matched.svc_position
    where already_matched.svc_position is null
),

claim_lines_left_1 as (
    select candidate_claim_lines.*
    from candidate_claim_lines
    left join matched_by_control_number as already_matched
        on
            candidate_claim_lines.transaction_id = already_matched.transaction_id
            and candidate_claim_lines.clp_position = already_matched.clp_position
            and candidate_claim_lines.line_number = already_matched.claim_line_number
    where already_matched.claim_line_number is null
),

remit_lines_ordered_1 as (
    select
        transaction_id,
        clp_position,
        svc_position,
        match_code,
        match_modifier_key,
        row_number() over (
            partition by transaction_id, clp_position, match_code, match_modifier_key
            order by svc_position
        ) as code_ordinal
    from remit_lines_left_1
),

claim_lines_ordered_1 as (
    select
        transaction_id,
        clp_position,
        line_number,
        procedure_code,
        modifier_key,
        row_number() over (
            partition by transaction_id, clp_position, procedure_code, modifier_key
            order by line_number
        ) as code_ordinal
    from claim_lines_left_1
),

matched_by_code_and_modifiers as (
    select
        remit_side.transaction_id,
        remit_side.clp_position,
        remit_side.svc_position,
        claim_side.line_number as claim_line_number,
        'code_and_modifiers' as match_method
    from remit_lines_ordered_1 as remit_side
    inner join claim_lines_ordered_1 as claim_side
        on
            remit_side.transaction_id = claim_side.transaction_id
            and remit_side.clp_position = claim_side.clp_position
            and remit_side.match_code = claim_side.procedure_code
            and remit_side.match_modifier_key = claim_side.modifier_key
            and remit_side.code_ordinal = claim_side.code_ordinal
),

remit_lines_left_2 as (
    select remit_lines_left_1.*
    from remit_lines_left_1
    left join matched_by_code_and_modifiers as already_matched
        on
            remit_lines_left_1.transaction_id = already_matched.transaction_id
            and remit_lines_left_1.clp_position = already_matched.clp_position
            and remit_lines_left_1.svc_position = already_matched.svc_position
    where already_matched.svc_position is null
),

claim_lines_left_2 as (
    select claim_lines_left_1.*
    from claim_lines_left_1
    left join matched_by_code_and_modifiers as already_matched
        on
            claim_lines_left_1.transaction_id = already_matched.transaction_id
            and claim_lines_left_1.clp_position = already_matched.clp_position
            and claim_lines_left_1.line_number = already_matched.claim_line_number
    where already_matched.claim_line_number is null
),

remit_lines_ordered_2 as (
    select
        transaction_id,
        clp_position,
        svc_position,
        match_code,
        row_number() over (
            partition by transaction_id, clp_position, match_code
            order by svc_position
        ) as code_ordinal
    from remit_lines_left_2
),

claim_lines_ordered_2 as (
    select
        transaction_id,
        clp_position,
        line_number,
        procedure_code,
        row_number() over (
            partition by transaction_id, clp_position, procedure_code
            order by line_number
        ) as code_ordinal
    from claim_lines_left_2
),

matched_by_code_order as (
    select
        remit_side.transaction_id,
        remit_side.clp_position,
        remit_side.svc_position,
        claim_side.line_number as claim_line_number,
        'code_order' as match_method
    from remit_lines_ordered_2 as remit_side
    inner join claim_lines_ordered_2 as claim_side
        on
            remit_side.transaction_id = claim_side.transaction_id
            and remit_side.clp_position = claim_side.clp_position
            and remit_side.match_code = claim_side.procedure_code
            and remit_side.code_ordinal = claim_side.code_ordinal
),

line_matches as (
    select * from matched_by_control_number
    union all
    select * from matched_by_code_and_modifiers
    union all
    select * from matched_by_code_order
),

line_adjustments as (
    -- What each adjustment means comes from the seeds (int_adjustments_classified).
    select
        adjustments.transaction_id,
        adjustments.clp_position,
        adjustments.svc_position,
        sum(
            case when adjustments.is_patient_cost_sharing then adjustments.amount else 0 end
        ) as patient_cost_sharing,
        sum(
            case when adjustments.is_patient_responsibility then adjustments.amount else 0 end
        ) as patient_responsibility,
        sum(
            case
                when adjustments.adjustment_role = 'sequestration' then adjustments.amount
                else 0
            end
        ) as sequestration,
        sum(
            case
                when adjustments.adjustment_role = 'contractual' then adjustments.amount
                else 0
            end
        ) as contractual_co45,
        sum(
            case
                when adjustments.is_patient_cost_sharing then 0
                when adjustments.adjustment_role in ('contractual', 'sequestration') then 0
                else adjustments.amount
            end
        ) as other_adjustments,
        -- rules.md §10: on a paid line every CO, OA and PI adjustment but OA-23 settles it.
        sum(
            case when adjustments.settles_paid_line then adjustments.amount else 0 end
        ) as settlement_if_paid,
        sum(
            case when adjustments.settles_zero_paid_line then adjustments.amount else 0 end
        ) as settlement_if_unpaid,
        -- rules.md §9: what makes a zero-paid line a denial.
        sum(case when adjustments.is_denying then 1 else 0 end) as denial_adjustment_count
    from adjustments
    where adjustments.svc_position is not null
    group by
        adjustments.transaction_id,
        adjustments.clp_position,
        adjustments.svc_position
),

final as (
    select
        remit_lines.transaction_id,
        remit_lines.clp_position,
        remit_lines.svc_position,
        remit_lines.claim_id,
        line_matches.claim_line_number,
        line_matches.match_method,
        known_claims.payer_id,
        known_claims.patient_id,
        coalesce(claims.service_date, remit_lines.remit_service_date) as service_date,
        claims.procedure_code as claim_procedure_code,
        remit_lines.remit_procedure_code,
        remit_lines.remit_modifiers,
        remit_lines.submitted_procedure_code,
        remit_lines.line_control_number,
        remit_lines.remit_service_date,
        remit_lines.remark_codes,
        remit_lines.remit_units,
        remit_lines.remit_charge,
        remit_lines.remit_date,
        remit_lines.claim_status_code,
        remit_lines.is_reversal,
        remit_lines.is_primary,
        remit_lines.paid,
        remit_lines.allowed_amount,
        coalesce(line_adjustments.patient_cost_sharing, 0) as patient_cost_sharing,
        coalesce(line_adjustments.patient_responsibility, 0) as patient_responsibility,
        coalesce(line_adjustments.sequestration, 0) as sequestration,
        coalesce(line_adjustments.contractual_co45, 0) as contractual_co45,
        coalesce(line_adjustments.other_adjustments, 0) as other_adjustments,
        -- A reversal line carries negated amounts: it counts as paid when the line it
        -- reverses was, hence paid <> 0 rather than paid > 0.
        case
            when remit_lines.paid <> 0 then coalesce(line_adjustments.settlement_if_paid, 0)
            else coalesce(line_adjustments.settlement_if_unpaid, 0)
        end as settlement_adjustments,
        -- rules.md §7 paid_allowed of this remit line: AMT*B6 when sent, else paid + cost
        -- sharing + CO-253.
        coalesce(
            remit_lines.allowed_amount,
            remit_lines.paid
            + coalesce(line_adjustments.patient_cost_sharing, 0)
            + coalesce(line_adjustments.sequestration, 0)
        ) as paid_allowed,
        coalesce(
            remit_lines.is_primary
            and not remit_lines.is_reversal
            and remit_lines.paid = 0
            and coalesce(line_adjustments.denial_adjustment_count, 0) > 0,
            false
        ) as is_denied,
        known_claims.claim_id is not null as is_claim_matched,
        line_matches.claim_line_number is not null as is_line_matched
    from remit_lines
    left join line_matches
        on
            remit_lines.transaction_id = line_matches.transaction_id
            and remit_lines.clp_position = line_matches.clp_position
            and remit_lines.svc_position = line_matches.svc_position
    left join known_claims
        on remit_lines.claim_id = known_claims.claim_id
    left join claims
        on
            line_matches.claim_line_number is not null
            and remit_lines.claim_id = claims.claim_id
            and line_matches.claim_line_number = claims.line_number
    left join line_adjustments
        on
            remit_lines.transaction_id = line_adjustments.transaction_id
            and remit_lines.clp_position = line_adjustments.clp_position
            and remit_lines.svc_position = line_adjustments.svc_position
)

select * from final
