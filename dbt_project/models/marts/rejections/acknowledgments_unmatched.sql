{#-
    INPUTS.md "acknowledgments": the 999 and 277CA answers that match no claim submission,
    for the Data health page (kept in raw, never dropped): a 999 whose 837 group or
    transaction is not loaded, a 277CA claim loop naming no known claim, a rejecting 2200B
    or 2200C loop whose 837 is unknown.
-#}
with

unmatched as (
    select * from {{ ref('int_acknowledgments_unmatched') }}
),

final as (
    select
        source,
        file_name,
        acknowledged_on,
        answer_level,
        answer_reference,
        is_rejection,
        reason,
        answer_key
    from unmatched
)

select * from final
