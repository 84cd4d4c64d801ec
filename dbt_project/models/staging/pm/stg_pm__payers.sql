with

source as (

    select * from {{ source('raw', 'payers') }}

),

practice_policies as (

    select * from {{ ref('practice_policies') }}

),

-- INPUTS.md payers.underpayment_tolerance default (seed practice_policies)
default_tolerance as (

    select max(cast(value as decimal(18, 2))) as underpayment_tolerance
    from practice_policies
    where policy = 'default_underpayment_tolerance'

),

renamed as (

    select
        source.payer_id,
        source.payer_name,
        source.payer_type,
        source.x12_payer_id,
        source.parent_organization,
        cast(source.timely_filing_days as integer) as timely_filing_days,
        cast(source.appeal_window_days as integer) as appeal_window_days,
        cast(source.mppr_secondary_pct as decimal(9, 4)) as mppr_secondary_pct,
        cast(source.bilateral_pct as decimal(9, 4)) as bilateral_pct,
        source.bilateral_billing,
        -- INPUTS.md: dollars below expected that are ignored; default from the seed
        coalesce(
            cast(source.underpayment_tolerance as decimal(18, 2)),
            default_tolerance.underpayment_tolerance
        ) as underpayment_tolerance,
        source.pa_report_id,
        source._extra_columns,
        source._file_name,
        source._file_sha256,
        source._row_number,
        source._loaded_at

    from source
    cross join default_tolerance

),

versioned as (

    select
        *,
        row_number() over (
            partition by payer_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from renamed

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
