{#-
    RULES.md s12 (claims_acknowledged, front_end_rejection_rate): one row per claim with an
    acknowledgment (999 or 277CA answer matched to one of its submissions): the date of its
    first acknowledgment, the submission that answer was about, and whether that submission
    was rejected, by it or by a later 999/277CA dated on or before the claim's next
    submission (a 999 accepts a batch, then the 277CA rejects a claim of it).
-#}
with

answers as (
    select * from {{ ref('int_acknowledgment_answers_matched') }}
    where submission_id is not null
),

rejections as (
    select * from {{ ref('int_claim_rejection_reasons') }}
),

submissions as (
    select * from {{ ref('int_claim_submissions') }}
),

first_answers as (
    select
        claim_id,
        submission_id,
        acknowledged_on,
        row_number() over (
            partition by claim_id
            order by acknowledged_on asc, submission_id asc
        ) as answer_rank
    from answers
),

first_acknowledged as (
    select
        first_answers.claim_id,
        first_answers.submission_id,
        first_answers.acknowledged_on,
        submissions.submission_order
    from first_answers
    inner join submissions
        on first_answers.submission_id = submissions.submission_id
    where first_answers.answer_rank = 1
),

next_submissions as (
    select
        first_acknowledged.submission_id,
        min(newer.submitted_date) as next_submitted_date
    from first_acknowledged
    inner join submissions as newer
        on
            first_acknowledged.claim_id = newer.claim_id
            and first_acknowledged.submission_order < newer.submission_order
    group by first_acknowledged.submission_id
),

rejected as (
    select distinct first_acknowledged.submission_id
    from first_acknowledged
    inner join rejections
        on first_acknowledged.submission_id = rejections.submission_id
    left join next_submissions
        on first_acknowledged.submission_id = next_submissions.submission_id
    where
        next_submissions.next_submitted_date is null
        or rejections.rejected_on <= next_submissions.next_submitted_date
),

final as (
    select
        first_acknowledged.claim_id,
        first_acknowledged.submission_id,
        first_acknowledged.acknowledged_on as first_acknowledged_on,
        rejected.submission_id is not null as is_rejected
    from first_acknowledged
    left join rejected
        on first_acknowledged.submission_id = rejected.submission_id
)

select * from final
