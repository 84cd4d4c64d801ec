{#-
    rules.md §7: one row per paid service line whose primary-payer allowed falls short of the
    contract (expected_allowed - paid_allowed > payer tolerance). Lines without a fee row are
    not assessed (int_fee_schedule_missing lists them); lines with paid_allowed <= 0 are
    denials, not MPPR. variance_reason: the first that fits, in rules.md §7 order.
-#}
with

priced_lines as (
    select * from {{ ref('int_claim_lines_mppr_priced') }}
),

dispute_dates as (
    select * from {{ ref('int_remit_dates_dispute_by') }}
),

assessed as (
    select
        priced_lines.*,
        cast(priced_lines.expected_allowed - priced_lines.paid_allowed as decimal(18, 2))
            as variance
    from priced_lines
    where
        priced_lines.fee_per_unit is not null
        and priced_lines.remit_count > 0
        and priced_lines.paid_allowed > 0
),

underpaid as (
    select
        assessed.*,
        case
            when assessed.rank_on_claim is null then 'add_on_reduced'
            when
                assessed.rank_on_claim = 1
                and abs(assessed.paid_allowed - assessed.fully_reduced_allowed)
                <= assessed.underpayment_tolerance
                then 'reduction_on_primary'
            when assessed.has_modifier_50 or assessed.is_rt_lt_pair_member
                then 'bilateral_misprice'
            when assessed.rank_on_claim >= 2 then 'wrong_reduction_pct'
            else 'fee_schedule_mismatch'
        end as variance_reason
    from assessed
    where assessed.variance > assessed.underpayment_tolerance
),

final as (
    select
        underpaid.claim_id,
        underpaid.line_number,
        underpaid.patient_id,
        underpaid.payer_id,
        underpaid.rendering_npi,
        underpaid.service_date,
        underpaid.procedure_code,
        underpaid.modifiers,
        underpaid.units,
        -- int on both engines (row_number() is a bigint on DuckDB, an int on Spark): the contract
        cast(underpaid.rank_on_claim as {{ dbt.type_int() }}) as rank_on_claim,
        underpaid.fee_per_unit,
        underpaid.bilateral_factor,
        underpaid.mppr_factor_sum,
        underpaid.expected_allowed,
        underpaid.paid_allowed,
        underpaid.variance,
        underpaid.variance_reason,
        underpaid.remit_date,
        dispute_dates.dispute_by,
        -- the dispute target has not passed on the as-of date (the page's "open" filter)
        coalesce(dispute_dates.dispute_by >= {{ as_of_date() }}, false) as is_dispute_open
    from underpaid
    left join dispute_dates
        on underpaid.remit_date = dispute_dates.remit_date
)

select * from final
