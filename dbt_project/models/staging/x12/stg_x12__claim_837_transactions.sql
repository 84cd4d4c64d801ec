-- One row per 837P transaction (005010X222A1) kept in raw, with what acknowledgments name it
-- by (INPUTS.md "acknowledgments"): a 999 by its functional group (GS06) and ST02, the
-- sender GS02 and the group date GS04; a 277CA by BHT03. GS04, GS05 and the file order
-- tell which of several batches with the same numbers an acknowledgment answers.
with

segments as (

    select * from {{ source('raw', 'x12_segments') }}

),

professional as (

    {{ x12_guide_transactions(
        source('raw', 'x12_transactions'), '837', '005010X222A1', first_copies_only=true
    ) }}

),

group_headers as (

    {{ x12_group_headers('segments') }}

),

headers as (

    select
        transaction_id,
        max({{ x12_element('elements', 3) }}) as bht_reference,
        {{ x12_date('max(' ~ x12_element('elements', 4) ~ ')') }} as submitted_date
    from segments
    where segment_id = 'BHT' and transaction_id is not null
    group by transaction_id

),

final as (

    select
        professional.transaction_id,
        professional.file_name,
        professional.file_sha256,
        professional.interchange_control_number,
        professional.group_control_number,
        professional.transaction_control_number,
        group_headers.sender_code,
        group_headers.receiver_code,
        group_headers.group_date,
        group_headers.group_time,
        headers.bht_reference,
        headers.submitted_date,
        professional._loaded_at
    from professional
    left join group_headers
        on
            professional.file_sha256 = group_headers.file_sha256
            and professional.interchange_control_number = group_headers.interchange_control_number
            and professional.group_control_number = group_headers.group_control_number
    left join headers
        on professional.transaction_id = headers.transaction_id
    where {{ known_as_of('headers.submitted_date') }}

)

select * from final
