with

source as (

    select * from {{ source('raw', 'ledger') }}

),

renamed as (

    select
        posting_id,
        claim_id,
        cast(line_number as integer) as line_number,
        cast(posted_date as date) as posted_date,
        posting_type,
        cast(amount as decimal(18, 2)) as amount,
        reason,
        _extra_columns,
        _file_name,
        _file_sha256,
        _row_number,
        _loaded_at

    from source

),

known as (

    -- rules.md "What a build as of D sees": a posting made after the as-of date was not known on it
    select * from renamed
    where {{ known_as_of('posted_date') }}

),

versioned as (

    select
        *,
        row_number() over (
            partition by posting_id
            order by {{ newest_version_order() }}
        ) as version_rank

    from known

),

final as (

    select * from versioned
    where version_rank = 1

)

select * from final
