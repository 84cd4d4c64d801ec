{#-
    rules.md §12 first pass: one row per claim (of the claims extract) with a primary remit on
    or before the as-of date: its first primary remit (not a reversal; by remit date, then
    transaction and CLP position), whether that remit denied a line (or, without service
    lines, denied the claim by its claim-level CAS, rules.md §9) and whether it paid every line
    in full (clean). Also the days from the claim's first submission to that remit: how long
    the payer takes to pay. practice_kpis (by month) and payer_scorecard (by payer and
    period) count the same rows.
-#}
with

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

adjustments as (
    select * from {{ ref('int_adjustments_classified') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

claim_versions as (
    select * from {{ ref('stg_pm__claim_versions') }}
),

primary_payments_to_date as (
    select *
    from claim_payments
    where
        is_primary
        and remit_date <= {{ as_of_date() }}
),

known_claims as (
    select
        claim_id,
        max(payer_id) as payer_id,
        count(*) as line_count
    from claims
    group by claim_id
),

first_submissions as (
    select
        claim_id,
        min(submitted_date) as first_submitted_date
    from claim_versions
    where submitted_date <= {{ as_of_date() }}
    group by claim_id
),

first_remits_ranked as (
    select
        primary_payments_to_date.transaction_id,
        primary_payments_to_date.clp_position,
        primary_payments_to_date.claim_id,
        primary_payments_to_date.remit_date,
        primary_payments_to_date.paid_amount,
        known_claims.payer_id,
        known_claims.line_count,
        row_number() over (
            partition by primary_payments_to_date.claim_id
            order by
                primary_payments_to_date.remit_date,
                primary_payments_to_date.transaction_id,
                primary_payments_to_date.clp_position
        ) as remit_order
    from primary_payments_to_date
    inner join known_claims
        on primary_payments_to_date.claim_id = known_claims.claim_id
    where not primary_payments_to_date.is_reversal
),

first_remits as (
    select * from first_remits_ranked
    where remit_order = 1
),

first_remit_lines as (
    select
        remit_lines.transaction_id,
        remit_lines.clp_position,
        count(*) as remit_line_count,
        sum(case when remit_lines.is_denied then 1 else 0 end) as denied_lines,
        count(
            distinct case
                when remit_lines.is_line_matched and remit_lines.paid > 0
                    then remit_lines.claim_line_number
            end
        ) as paid_claim_lines
    from remit_lines
    inner join first_remits
        on
            remit_lines.transaction_id = first_remits.transaction_id
            and remit_lines.clp_position = first_remits.clp_position
    group by remit_lines.transaction_id, remit_lines.clp_position
),

-- A claim adjudicated without service lines is denied by its claim-level CAS (rules.md §9).
first_remit_claim_level_denials as (
    select
        adjustments.transaction_id,
        adjustments.clp_position,
        count(*) as denial_adjustments
    from adjustments
    inner join first_remits
        on
            adjustments.transaction_id = first_remits.transaction_id
            and adjustments.clp_position = first_remits.clp_position
    where
        adjustments.svc_position is null
        and first_remits.paid_amount = 0
        and adjustments.is_denying
    group by adjustments.transaction_id, adjustments.clp_position
),

final as (
    select
        first_remits.claim_id,
        first_remits.payer_id,
        first_submissions.first_submitted_date,
        first_remits.remit_date as first_remit_date,
        {{ days_between('first_submissions.first_submitted_date', 'first_remits.remit_date') }}
            as days_to_first_remit,
        case
            when coalesce(first_remit_lines.remit_line_count, 0) > 0
                then coalesce(first_remit_lines.denied_lines, 0) > 0
            else coalesce(first_remit_claim_level_denials.denial_adjustments, 0) > 0
        end as is_denied,
        case
            when coalesce(first_remit_lines.remit_line_count, 0) > 0
                then
                    first_remit_lines.denied_lines = 0
                    and first_remit_lines.paid_claim_lines = first_remits.line_count
            else
                first_remits.paid_amount > 0
                and coalesce(first_remit_claim_level_denials.denial_adjustments, 0) = 0
        end as is_clean
    from first_remits
    left join first_submissions
        on first_remits.claim_id = first_submissions.claim_id
    left join first_remit_lines
        on
            first_remits.transaction_id = first_remit_lines.transaction_id
            and first_remits.clp_position = first_remit_lines.clp_position
    left join first_remit_claim_level_denials
        on
            first_remits.transaction_id = first_remit_claim_level_denials.transaction_id
            and first_remits.clp_position = first_remit_claim_level_denials.clp_position
)

select * from final
