-- One row per raw 835 segment with its elements as columns e01..e21 (e01 = first element
-- after the segment id; BPR has 21, CAS 19, PLB 14), so the other x12 models are plain
-- column SQL. For a CLP or SVC segment, clp_position / svc_position is its own position,
-- so each loop groups by one column. Only the transactions known on the as-of date
-- (stg_x12__remit_dates; the envelope segments stay).
{%- set max_elements = 21 %}
with

source as (

    select * from {{ source('raw', 'x12_segments') }}

),

redeliveries as (

    -- a re-delivered remittance (same payer, TRN02, BPR02 and date, ST02 as one loaded
    -- before: ingest.remits._remittance_key) stays in raw verbatim and is read once, from
    -- its first copy
    select transaction_id from {{ source('raw', 'x12_transactions') }}
    where redelivery_of is not null

),

claim_batch_files as (

    -- 837P claim batches and 999/277CA acknowledgments share the raw X12 tables; they are
    -- read by stg_x12__claim_837_lines and stg_x12__acknowledgments_*
    select distinct file_sha256 from {{ source('raw', 'x12_transactions') }}
    where transaction_set_id in ('837', '999', '277', '997')

),

first_copies as (

    select source.*
    from source
    left join redeliveries
        on source.transaction_id = redeliveries.transaction_id
    left join claim_batch_files
        on source.file_sha256 = claim_batch_files.file_sha256
    where redeliveries.transaction_id is null and claim_batch_files.file_sha256 is null

),

remit_dates as (

    select * from {{ ref('stg_x12__remit_dates') }}

),

known as (

    select first_copies.*
    from first_copies
    left join remit_dates
        on first_copies.transaction_id = remit_dates.transaction_id
    where first_copies.transaction_id is null or remit_dates.transaction_id is not null

),

renamed as (

    select
        transaction_id,
        file_name,
        file_sha256,
        interchange_control_number,
        group_control_number,
        transaction_control_number,
        segment_position,
        segment_id,
        segment_text,
        coalesce(component_separator, ':') as component_separator,
        case when segment_id = 'CLP' then segment_position else clp_position end as clp_position,
        case when segment_id = 'SVC' then segment_position else svc_position end as svc_position,
        {% for n in range(1, max_elements + 1) -%}
            {{ x12_element('elements', n) }} as e{{ '%02d' % n }},
        {% endfor -%}
        _loaded_at

    from known

),

final as (

    select * from renamed

)

select * from final
