-- The current (newest) version of each claim line.
with

claim_versions as (

    select * from {{ ref('stg_pm__claim_versions') }}

),

final as (

    select * from claim_versions
    where version_rank = 1

)

select * from final
