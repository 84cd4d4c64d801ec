-- Every version of every claim line (stg_pm__claim_versions, known on the as-of date) with
-- the submission it was sent in (RULES.md s16: a submission is one version of a claim): for
-- an 837, its transaction and CLM loop (with the CLM01 sent, the billing provider and the
-- batch's numbers); for the CSV extract, the claim and its submitted_date. submission_order
-- 1 = the claim's oldest submission (INPUTS.md acknowledgments: a later 837 GS04, then GS05
-- time, then file order; across sources the later submitted_date).
with

claim_versions as (

    select * from {{ ref('stg_pm__claim_versions') }}

),

claims_837 as (

    select * from {{ ref('stg_x12__claims_837') }}

),

batches as (

    select * from {{ ref('stg_x12__claim_837_transactions') }}

),

versions as (

    select
        claim_versions.claim_id,
        claim_versions.line_number,
        claim_versions.line_control_number,
        claim_versions.patient_id,
        claim_versions.payer_id,
        claim_versions.rendering_npi,
        claim_versions.service_date,
        claim_versions.submitted_date,
        claim_versions.procedure_code,
        claim_versions.charge_amount,
        claim_versions.frequency_code,
        claim_versions.claim_source,
        claim_versions.version_rank,
        claim_versions._file_name,
        claim_versions._file_sha256,
        claim_versions._row_number,
        claims_837.transaction_id,
        claims_837.clm_position,
        claims_837.clm01,
        claims_837.billing_npi,
        batches.bht_reference,
        batches.group_date,
        batches.group_time,
        case
            when claim_versions.claim_source = '837'
                then concat(claims_837.transaction_id, '/', cast(claims_837.clm_position as {{ dbt.type_string() }}))
            else concat(
                    'csv/', claim_versions.claim_id, '/', cast(claim_versions.submitted_date as {{ dbt.type_string() }})
                )
        end as submission_id
    from claim_versions
    left join claims_837
        on
            claim_versions.claim_source = '837'
            and claim_versions._file_sha256 = claims_837._file_sha256
            and claim_versions._row_number = claims_837.lx_position
    left join batches
        on claims_837.transaction_id = batches.transaction_id

),

submissions as (

    select
        claim_id,
        submission_id,
        min(submitted_date) as submitted_date,
        min(group_date) as group_date,
        min(group_time) as group_time,
        min(_file_name) as _file_name,
        min(clm_position) as clm_position
    from versions
    group by claim_id, submission_id

),

ordered as (

    select
        claim_id,
        submission_id,
        row_number() over (
            partition by claim_id
            order by
                submitted_date asc,
                coalesce(group_date, submitted_date) asc,
                coalesce(group_time, '') asc,
                _file_name asc,
                coalesce(clm_position, 0) asc
        ) as submission_order
    from submissions

),

final as (

    select
        versions.*,
        ordered.submission_order
    from versions
    inner join ordered
        on
            versions.claim_id = ordered.claim_id
            and versions.submission_id = ordered.submission_id

)

select * from final
