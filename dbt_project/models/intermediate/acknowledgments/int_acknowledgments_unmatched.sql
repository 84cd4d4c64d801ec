-- One row per acknowledgment answer that matches no claim submission (INPUTS.md
-- "acknowledgments": kept and reported on the Data health page, never dropped): a 999 AK2
-- loop or AK9 whose 837 is not loaded (or carries no readable primary claim), a 277CA
-- 2200D claim loop naming no known claim, and a rejecting 2200B or 2200C loop whose 837
-- is not loaded (its rejection cannot be placed).
with

answers as (
    select * from {{ ref('int_acknowledgment_answers_matched') }}
),

by_answer as (
    select
        source,
        ack_transaction_id,
        answer_key,
        answer_level,
        min(file_name) as file_name,
        min(acknowledged_on) as acknowledged_on,
        min(answer_reference) as answer_reference,
        max(case when rejects then 1 else 0 end) as rejects,
        max(case when submission_id is not null then 1 else 0 end) as is_matched,
        min(case when rejects then reason end) as reason
    from answers
    where answer_level != 'line'
    group by source, ack_transaction_id, answer_key, answer_level
),

final as (
    select
        source,
        file_name,
        ack_transaction_id,
        answer_key,
        answer_level,
        acknowledged_on,
        answer_reference,
        rejects = 1 as is_rejection,
        reason
    from by_answer
    where
        is_matched = 0
        and (source = '999' or answer_level = 'claim' or rejects = 1)
)

select * from final
