{#-
    rules.md §9: one row per denying adjustment of a zero-paid line on a primary remit, with
    its category, class, appeal deadline and status (int_denials_statused). Denials with
    group PR are listed too: their amount is the patient's, not the insurance A/R's.
-#}
with

denials as (
    select * from {{ ref('int_denials_statused') }}
),

final as (
    select
        transaction_id,
        clp_position,
        svc_position,
        claim_id,
        line_number,
        payer_id,
        service_date,
        procedure_code,
        group_code,
        carc,
        rarcs,
        denial_category,
        denial_class,
        denied_amount,
        denial_date,
        appeal_deadline,
        status,
        recovered_amount,
        -- the appeal deadline lies before the as-of date (the page's "missed" figure)
        coalesce(appeal_deadline < {{ as_of_date() }}, false) as is_past_appeal_deadline
    from denials
)

select * from final
