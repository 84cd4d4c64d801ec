-- One row per 835 transaction known on the as-of date, with its remit date (rules.md §8:
-- BPR16, else DTM*405, the first of each in the header before the first CLP). rules.md
-- "What a build as of D sees": a remit dated after the as-of date was not received yet, so
-- stg_x12__segments and stg_x12__remittances keep only the transactions listed here, and
-- every x12 model above them sees the same past. A transaction without a date is kept.
with

segments as (

    select * from {{ source('raw', 'x12_segments') }}

),

transactions as (

    select transaction_id from {{ source('raw', 'x12_transactions') }}

),

header_dates as (

    select
        transaction_id,
        segment_id,
        {{ x12_element('elements', 1) }} as e01,
        {{ x12_element('elements', 2) }} as e02,
        {{ x12_element('elements', 16) }} as e16,
        row_number() over (
            partition by transaction_id, segment_id
            order by segment_position
        ) as occurrence

    from segments
    where
        transaction_id is not null
        and clp_position is null
        and (
            segment_id = 'BPR'
            or (segment_id = 'DTM' and {{ x12_element('elements', 1) }} = '405')
        )

),

dated as (

    select
        transactions.transaction_id,
        {{ x12_remit_date(
            "max(case when header_dates.segment_id = 'BPR' then header_dates.e16 end)",
            "max(case when header_dates.segment_id = 'DTM' then header_dates.e02 end)"
        ) }} as remit_date

    from transactions
    left join header_dates
        on
            transactions.transaction_id = header_dates.transaction_id
            and header_dates.occurrence = 1
    group by transactions.transaction_id

),

final as (

    select * from dated
    where {{ known_as_of('remit_date') }}

)

select * from final
