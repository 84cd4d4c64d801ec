-- One row per CAS adjustment: a CAS segment carries a group code (CAS01: CO contractual,
-- PR patient responsibility, OA other, PI payer initiated, CR correction) and up to six
-- triplets (reason CARC, amount, quantity) at elements 2-4, 5-7, ... 17-19. Claim-level CAS
-- sit in the CLP loop (svc_position NULL), line-level ones in an SVC loop.
with

segments as (

    select * from {{ ref('stg_x12__segments') }}

),

claims as (

    select
        transaction_id,
        clp_position,
        e01 as claim_id

    from segments
    where segment_id = 'CLP'

),

cas_segments as (

    select * from segments
    where
        segment_id = 'CAS'
        and clp_position is not null
        and transaction_id is not null

),

triplet_indexes as (

    select 1 as triplet_index
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6

),

unpivoted as (

    select
        cas_segments.transaction_id,
        cas_segments.clp_position,
        cas_segments.svc_position,
        cas_segments.segment_position,
        triplet_indexes.triplet_index,
        case when cas_segments.svc_position is null then 'claim' else 'line' end as adjustment_level,
        cas_segments.e01 as group_code,
        case triplet_indexes.triplet_index
            when 1 then cas_segments.e02
            when 2 then cas_segments.e05
            when 3 then cas_segments.e08
            when 4 then cas_segments.e11
            when 5 then cas_segments.e14
            when 6 then cas_segments.e17
        end as carc,
        case triplet_indexes.triplet_index
            when 1 then cas_segments.e03
            when 2 then cas_segments.e06
            when 3 then cas_segments.e09
            when 4 then cas_segments.e12
            when 5 then cas_segments.e15
            when 6 then cas_segments.e18
        end as amount_text,
        case triplet_indexes.triplet_index
            when 1 then cas_segments.e04
            when 2 then cas_segments.e07
            when 3 then cas_segments.e10
            when 4 then cas_segments.e13
            when 5 then cas_segments.e16
            when 6 then cas_segments.e19
        end as quantity_text

    from cas_segments
    cross join triplet_indexes

),

joined as (

    select
        unpivoted.transaction_id,
        unpivoted.clp_position,
        unpivoted.svc_position,
        unpivoted.segment_position,
        unpivoted.triplet_index,
        claims.claim_id,
        unpivoted.adjustment_level,
        unpivoted.group_code,
        unpivoted.carc,
        {{ x12_amount('unpivoted.amount_text') }} as amount,
        {{ try_cast_as('unpivoted.quantity_text', 'decimal(18, 3)') }} as quantity

    from unpivoted
    left join claims
        on
            unpivoted.transaction_id = claims.transaction_id
            and unpivoted.clp_position = claims.clp_position
    where unpivoted.carc is not null

),

final as (

    select * from joined

)

select * from final
