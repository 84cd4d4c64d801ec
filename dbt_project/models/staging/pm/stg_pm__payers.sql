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
        payer_id,
        payer_name,
        payer_type,
        x12_payer_id,
        parent_organization,
        cast(timely_filing_days as integer) as timely_filing_days,
        cast(appeal_window_days as integer) as appeal_window_days,
        cast(mppr_secondary_pct as decimal(9, 4)) as mppr_secondary_pct,
        cast(bilateral_pct as decimal(9, 4)) as bilateral_pct,
        bilateral_billing,
        -- INPUTS.md: dollars below expected that are ignored; default from the seed
        coalesce(
            cast(source.underpayment_tolerance as decimal(18, 2)),
            default_tolerance.underpayment_tolerance
        ) as underpayment_tolerance,
        pa_report_id,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

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
