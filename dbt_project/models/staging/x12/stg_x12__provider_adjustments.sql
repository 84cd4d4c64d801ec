-- One row per provider-level adjustment of an 835 (PLB): PLB01 provider id, PLB02 fiscal
-- period date, then up to six pairs (adjustment identifier composite `reason:reference`,
-- amount) at elements 3-4, 5-6, ... 13-14. A positive amount reduces the payment
-- (BPR02 = sum CLP04 - sum PLB); kept as sent.
with

segments as (

    select * from {{ ref('stg_x12__segments') }}

),

plb_segments as (

    select * from segments
    where
        segment_id = 'PLB'
        and transaction_id is not null

),

pair_indexes as (

    select 1 as adjustment_index
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
        plb_segments.transaction_id,
        plb_segments.segment_position,
        pair_indexes.adjustment_index,
        plb_segments.e01 as provider_id,
        plb_segments.e02 as fiscal_period_text,
        plb_segments.component_separator,
        case pair_indexes.adjustment_index
            when 1 then plb_segments.e03
            when 2 then plb_segments.e05
            when 3 then plb_segments.e07
            when 4 then plb_segments.e09
            when 5 then plb_segments.e11
            when 6 then plb_segments.e13
        end as adjustment_identifier,
        case pair_indexes.adjustment_index
            when 1 then plb_segments.e04
            when 2 then plb_segments.e06
            when 3 then plb_segments.e08
            when 4 then plb_segments.e10
            when 5 then plb_segments.e12
            when 6 then plb_segments.e14
        end as amount_text

    from plb_segments
    cross join pair_indexes

),

final as (

    select
        transaction_id,
        segment_position,
        adjustment_index,
        provider_id,
        {{ x12_date('fiscal_period_text') }} as fiscal_period_date,
        adjustment_identifier,
        {{ x12_component('adjustment_identifier', 1, 'component_separator') }} as adjustment_reason_code,
        {{ x12_component('adjustment_identifier', 2, 'component_separator') }} as reference_id,
        {{ x12_amount('amount_text') }} as amount

    from unpivoted
    where adjustment_identifier is not null

)

select * from final
