-- Payers publish expedited decision times in hours and standard ones in days: both are
-- also given here in days so the benchmark compares like with like.
with

source as (

    select * from {{ source('raw', 'payer_pa_metrics') }}

),

renamed as (

    select
        parent_organization,
        cast(report_year as integer) as report_year,
        report_id,
        coalesce(appeal_denominator, 'all_requests') as appeal_denominator,
        cast(pct_standard_approved as decimal(9, 4)) as pct_standard_approved,
        cast(pct_standard_denied as decimal(9, 4)) as pct_standard_denied,
        cast(pct_approved_after_appeal as decimal(9, 4)) as pct_approved_after_appeal,
        cast(pct_extended_then_approved as decimal(9, 4)) as pct_extended_then_approved,
        cast(pct_expedited_approved as decimal(9, 4)) as pct_expedited_approved,
        cast(pct_expedited_denied as decimal(9, 4)) as pct_expedited_denied,
        cast(avg_days_standard as decimal(12, 4)) as avg_days_standard,
        cast(median_days_standard as decimal(12, 4)) as median_days_standard,
        cast(avg_hours_expedited as decimal(12, 4)) as avg_hours_expedited,
        cast(median_hours_expedited as decimal(12, 4)) as median_hours_expedited,
        cast(cast(avg_hours_expedited as decimal(12, 4)) / 24 as decimal(12, 4)) as avg_days_expedited,
        cast(cast(median_hours_expedited as decimal(12, 4)) / 24 as decimal(12, 4)) as median_days_expedited,
        report_level,
        source_url,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

versioned as (

    select
        *,
        row_number() over (
            partition by report_id, parent_organization, report_year
            order by {{ newest_version_order() }}
        ) as version_rank

    from renamed

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
