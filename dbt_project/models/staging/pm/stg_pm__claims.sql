-- The current (newest) version of each claim line. A claim whose newest version is a void
-- (frequency_code 8, INPUTS.md claims) is withdrawn: none of its lines is current, so A/R,
-- KPI charges and the leakage marts treat it as never billed (its appointment lines are
-- unbilled again); stg_pm__claim_versions keeps its history.
-- rules.md §16: a submission a 999 or 277CA rejected is not in effect: a rejected
-- replacement or void leaves the version before it standing (when every version was
-- rejected, the newest stays: the claim is still to be fixed, marts.claim_rejections).
-- The rejections are matched in intermediate/acknowledgments (they need every version).
with

all_versions as (

    select * from {{ ref('stg_pm__claim_versions') }}

),

submission_lines as (

    select * from {{ ref('int_claim_submission_lines') }}

),

rejected_submissions as (

    select * from {{ ref('int_claim_submissions_rejected') }}

),

rejected_versions as (

    {{ rejected_claim_versions('submission_lines', 'rejected_submissions') }}

),

effective_versions as (

    select
        all_versions._file_sha256,
        all_versions._row_number,
        all_versions.claim_id,
        all_versions.frequency_code,
        row_number() over (
            partition by all_versions.claim_id, all_versions.line_number
            order by
                case when rejected_versions._file_sha256 is null then 0 else 1 end asc,
                all_versions.version_rank asc
        ) as effect_rank
    from all_versions
    left join rejected_versions
        on
            all_versions._file_sha256 = rejected_versions._file_sha256
            and all_versions._row_number = rejected_versions._row_number

),

voided_claims as (

    select distinct claim_id
    from effective_versions
    where effect_rank = 1 and frequency_code = '8'

),

final as (

    select all_versions.*
    from all_versions
    inner join effective_versions
        on
            all_versions._file_sha256 = effective_versions._file_sha256
            and all_versions._row_number = effective_versions._row_number
            and effective_versions.effect_rank = 1
    left join voided_claims
        on all_versions.claim_id = voided_claims.claim_id
    where voided_claims.claim_id is null

)

select * from final
