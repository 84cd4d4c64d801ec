-- One row per submission a 999 or 277CA rejected (RULES.md s16), with the first rejection
-- and whether it still stands: `resubmitted` when the claim has a newer submission made on
-- or after that date, else `open`. A rejected submission is not in effect: stg_pm__claims
-- keeps the version before it, and a rejected resubmission does not make a denial
-- resubmitted (int_denials_statused).
with

reasons as (
    select * from {{ ref('int_claim_rejection_reasons') }}
),

submissions as (
    select * from {{ ref('int_claim_submissions') }}
),

first_rejections as (
    select
        submission_id,
        min(claim_id) as claim_id,
        min(rejected_on) as rejected_on
    from reasons
    group by submission_id
),

later_submissions as (
    select
        first_rejections.submission_id,
        min(newer.submitted_date) as resubmitted_date
    from first_rejections
    inner join submissions as rejected
        on first_rejections.submission_id = rejected.submission_id
    inner join submissions as newer
        on
            rejected.claim_id = newer.claim_id
            and rejected.submission_order < newer.submission_order
            and first_rejections.rejected_on <= newer.submitted_date
    group by first_rejections.submission_id
),

final as (
    select
        first_rejections.submission_id,
        first_rejections.claim_id,
        first_rejections.rejected_on,
        later_submissions.resubmitted_date,
        case when later_submissions.submission_id is null then 'open' else 'resubmitted' end
            as status
    from first_rejections
    left join later_submissions
        on first_rejections.submission_id = later_submissions.submission_id
)

select * from final
