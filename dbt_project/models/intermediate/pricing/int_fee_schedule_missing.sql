{#-
    Data quality (rules.md §7): priced lines for which the payer's fee schedule has no row for the
    code, pricing modifier and setting on the service date. Such a line is not assessed
    (never a variance); this list tells the practice which fee rows to load.
-#}
with

lookups as (
    select * from {{ ref('int_fee_schedule_lookup') }}
),

final as (
    select
        priced_line_id,
        line_source,
        claim_id,
        claim_line_number,
        appointment_id,
        appointment_line_number,
        payer_id,
        procedure_code,
        pricing_modifier,
        setting,
        service_date
    from lookups
    where not has_fee
)

select * from final
