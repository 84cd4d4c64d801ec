{#-
    Every CAS adjustment of the 835s (stg_x12__adjustments) with what it means for denials
    (rules.md §9) and the insurance balance (rules.md §10), read from the seeds so the rule lives
    once: patient cost sharing = a CARC with carc_categories.is_patient_cost_sharing under a
    group with carc_group_codes.is_patient_responsibility (PR 1, 2, 3, 66); the named pairs of
    carc_adjustment_roles (CO-45 contractual, CO-253 sequestration, OA-23 prior payer) are no
    denial; on a paid line a group's adjustments settle it (carc_group_codes: CO, OA, PI)
    unless its pair says otherwise (OA-23); on a zero-paid line only the pairs that say so
    settle it (CO-45, CO-253). Any other adjustment on a zero-paid line is a denial.
-#}
with

adjustments as (
    select * from {{ ref('stg_x12__adjustments') }}
),

group_codes as (
    select * from {{ ref('carc_group_codes') }}
),

carc_categories as (
    select * from {{ ref('carc_categories') }}
),

adjustment_roles as (
    select * from {{ ref('carc_adjustment_roles') }}
),

classified as (
    select
        adjustments.*,
        coalesce(group_codes.is_patient_responsibility, false) as is_patient_responsibility,
        coalesce(
            group_codes.is_patient_responsibility and carc_categories.is_patient_cost_sharing,
            false
        ) as is_patient_cost_sharing,
        adjustment_roles.role as adjustment_role,
        adjustment_roles.settles_zero_paid_line as role_settles_zero_paid_line,
        adjustment_roles.settles_paid_line as role_settles_paid_line,
        adjustment_roles.is_denial as role_is_denial,
        group_codes.settles_paid_line as group_settles_paid_line
    from adjustments
    left join group_codes
        on adjustments.group_code = group_codes.group_code
    left join carc_categories
        on adjustments.carc = carc_categories.carc
    left join adjustment_roles
        on
            adjustments.group_code = adjustment_roles.group_code
            and adjustments.carc = adjustment_roles.carc
),

final as (
    select
        transaction_id,
        clp_position,
        svc_position,
        segment_position,
        triplet_index,
        claim_id,
        adjustment_level,
        group_code,
        carc,
        amount,
        quantity,
        is_patient_responsibility,
        is_patient_cost_sharing,
        adjustment_role,
        not is_patient_cost_sharing
        and coalesce(role_settles_paid_line, group_settles_paid_line, false) as settles_paid_line,
        not is_patient_cost_sharing
        and coalesce(role_settles_zero_paid_line, false) as settles_zero_paid_line,
        not is_patient_cost_sharing and coalesce(role_is_denial, true) as is_denying
    from classified
)

select * from final
