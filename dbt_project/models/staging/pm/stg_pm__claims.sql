-- The current (newest) version of each claim line. A claim whose newest version is a void
-- (frequency_code 8, INPUTS.md claims) is withdrawn: none of its lines is current, so A/R,
-- KPI charges and the leakage marts treat it as never billed (its appointment lines are
-- unbilled again); stg_pm__claim_versions keeps its history.
with

claim_versions as (

    select * from {{ ref('stg_pm__claim_versions') }}

),

voided_claims as (

    select distinct claim_id
    from claim_versions
    where version_rank = 1 and frequency_code = '8'

),

final as (

    select claim_versions.*
    from claim_versions
    left join voided_claims
        on claim_versions.claim_id = voided_claims.claim_id
    where claim_versions.version_rank = 1 and voided_claims.claim_id is null

)

select * from final
