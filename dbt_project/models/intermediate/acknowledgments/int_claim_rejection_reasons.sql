{#-
    RULES.md s16: one row per rejected submission, acknowledgment and reason. A submission
    is rejected by an acknowledgment when one of its answers above the line rejects it (a
    999 IK5 or AK9, a 277CA 2200B, 2200C or 2200D loop: claim status comes from the
    claim-level loop); the rejecting 2220D composites of a rejected claim are its line
    reasons. One reason is listed once, at its highest level: a 277CA that repeats the
    2200B or 2200C reason in each 2200D, or a 999 whose AK9 rejects the group without a
    code of its own after an IK5 rejected the transaction, gives one row; so does the same
    code sent twice (two IK3 with IK304 8, or two acknowledgments of one day).
-#}
with

answers as (
    select * from {{ ref('int_acknowledgment_answers_matched') }}
    where submission_id is not null and rejects
),

rejected_pairs as (
    select distinct
        submission_id,
        ack_transaction_id
    from answers
    where answer_level != 'line'
),

transaction_rejections_999 as (
    select distinct
        submission_id,
        ack_transaction_id
    from answers
    where source = '999' and answer_level = 'transaction'
),

reasons as (
    select answers.*
    from answers
    inner join rejected_pairs
        on
            answers.submission_id = rejected_pairs.submission_id
            and answers.ack_transaction_id = rejected_pairs.ack_transaction_id
    left join transaction_rejections_999
        on
            answers.submission_id = transaction_rejections_999.submission_id
            and answers.ack_transaction_id = transaction_rejections_999.ack_transaction_id
    where not (
            answers.source = '999'
            and answers.answer_level = 'group'
            and answers.status_code is null
            and transaction_rejections_999.submission_id is not null
        )
),

ranked as (
    select
        *,
        row_number() over (
            partition by
                submission_id, source, acknowledged_on, category_code, status_code,
                entity_code, error_element, line_number
            order by
                case level
                    when 'transaction' then 1
                    when 'provider' then 2
                    when 'claim' then 3
                    else 4
                end asc,
                answer_key asc
        ) as reason_rank
    from reasons
),

final as (
    select
        submission_id,
        claim_id,
        source,
        ack_transaction_id,
        file_name as acknowledgment_file_name,
        acknowledged_on as rejected_on,
        rejecter,
        level,
        line_number,
        answer_reference,
        category_code,
        status_code,
        entity_code,
        error_element,
        reason
    from ranked
    where reason_rank = 1
)

select * from final
