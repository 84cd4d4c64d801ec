{#-
    One row per functional group header (GS) in `segments` (raw.x12_segments), by the keys
    raw.x12_transactions joins it on (file_sha256, interchange_control_number = ISA13,
    group_control_number = GS06): GS02 sender_code, GS03 receiver_code, GS04 as group_date
    (a date; NULL when not CCYYMMDD) and as sent (group_date_text), GS05 group_time as sent.
    The one place the X12 staging models read a GS. Portable SQL through x12_element and
    x12_date (both dispatch per adapter).
-#}
{% macro x12_group_headers(segments) -%}
    select
        file_sha256,
        interchange_control_number,
        group_control_number,
        {{ x12_element('elements', 2) }} as sender_code,
        {{ x12_element('elements', 3) }} as receiver_code,
        {{ x12_date(x12_element('elements', 4)) }} as group_date,
        {{ x12_element('elements', 4) }} as group_date_text,
        {{ x12_element('elements', 5) }} as group_time
    from {{ segments }}
    where segment_id = 'GS'
{%- endmacro %}
