-- One row per answer and error code of every 999 implementation acknowledgment
-- (005010X231A1) kept in raw (INPUTS.md "acknowledgments"): each AK2 loop (the 837
-- transaction AK1-02 / AK2-02 names) with its IK501 code, and the AK9 of the group, each
-- with its error codes (IK304 of each IK3, IK403 of each IK4, IK502-IK506, AK905-AK909:
-- one row each); an answer without error codes is one row with error_code NULL. Known by
-- its date (GS04): rules.md "What a build as of D sees". Which 837 it answers is decided in
-- int_acknowledgment_answers_matched.
with

segments as (

    select * from {{ source('raw', 'x12_segments') }}

),

implementation_acks as (

    {{ x12_guide_transactions(source('raw', 'x12_transactions'), '999', '005010X231A1') }}

),

group_headers as (

    -- the 999's own GS: GS02 sender, GS03 receiver, GS04 date, GS05 time
    {{ x12_group_headers('segments') }}

),

ack_segments as (

    select
        segments.transaction_id,
        segments.segment_position,
        segments.segment_id,
        {% for n in range(1, 10) -%}
            {{ x12_element('segments.elements', n) }} as e{{ '%02d' % n }},
        {% endfor -%}
        -- the AK2 loop a segment belongs to (AK9 closes the last one)
        max(case when segments.segment_id = 'AK2' then segments.segment_position end) over (
            partition by segments.transaction_id order by segments.segment_position
            rows between unbounded preceding and current row
        ) as ak2_position,
        -- the IK3 an IK4 belongs to
        max(case when segments.segment_id = 'IK3' then segments.segment_position end) over (
            partition by segments.transaction_id order by segments.segment_position
            rows between unbounded preceding and current row
        ) as ik3_position
    from segments
    inner join implementation_acks
        on segments.transaction_id = implementation_acks.transaction_id

),

functional_groups as (

    -- AK1: the 837's functional group this 999 answers
    select
        transaction_id,
        max(e01) as functional_id_code,
        max(e02) as answered_group_control_number
    from ack_segments
    where segment_id = 'AK1'
    group by transaction_id

),

answers as (

    -- each AK2 loop with its IK501, and the AK9
    select
        ak2.transaction_id,
        ak2.segment_position as answer_position,
        'transaction' as answer_level,
        ak2.e01 as answered_transaction_set_id,
        ak2.e02 as answered_transaction_control_number,
        'IK501' as acknowledgment_element,
        max(ik5.e01) as acknowledgment_code
    from ack_segments as ak2
    left join ack_segments as ik5
        on
            ak2.transaction_id = ik5.transaction_id
            and ak2.segment_position = ik5.ak2_position
            and ik5.segment_id = 'IK5'
    where ak2.segment_id = 'AK2'
    group by ak2.transaction_id, ak2.segment_position, ak2.e01, ak2.e02

    union all

    select
        transaction_id,
        segment_position as answer_position,
        'group' as answer_level,
        cast(null as {{ dbt.type_string() }}) as answered_transaction_set_id,
        cast(null as {{ dbt.type_string() }}) as answered_transaction_control_number,
        'AK901' as acknowledgment_element,
        e01 as acknowledgment_code
    from ack_segments
    where segment_id = 'AK9'

),

error_codes as (

    -- IK3 segment errors, IK4 element errors, IK5 / AK9 transaction and group errors
    select
        transaction_id,
        ak2_position as answer_position,
        segment_position as error_position,
        'IK304' as error_element,
        e04 as error_code,
        e01 as error_segment_id
    from ack_segments
    where segment_id = 'IK3'
    union all
    select
        ik4.transaction_id,
        ik4.ak2_position as answer_position,
        ik4.segment_position as error_position,
        'IK403' as error_element,
        ik4.e03 as error_code,
        ik3.e01 as error_segment_id
    from ack_segments as ik4
    left join ack_segments as ik3
        on
            ik4.transaction_id = ik3.transaction_id
            and ik4.ik3_position = ik3.segment_position
    where ik4.segment_id = 'IK4'
    {% for n in range(2, 7) %}
        union all
        select
            transaction_id,
            ak2_position as answer_position,
            segment_position as error_position,
            'IK502' as error_element,
            e{{ '%02d' % n }} as error_code,
            cast(null as {{ dbt.type_string() }}) as error_segment_id
        from ack_segments
        where segment_id = 'IK5' and e{{ '%02d' % n }} is not null
    {% endfor %}
    {% for n in range(5, 10) %}
        union all
        select
            transaction_id,
            segment_position as answer_position,
            segment_position as error_position,
            'AK905' as error_element,
            e{{ '%02d' % n }} as error_code,
            cast(null as {{ dbt.type_string() }}) as error_segment_id
        from ack_segments
        where segment_id = 'AK9' and e{{ '%02d' % n }} is not null
    {% endfor %}

),

final as (

    select
        implementation_acks.transaction_id as ack_transaction_id,
        implementation_acks.file_name,
        implementation_acks.file_sha256,
        implementation_acks.interchange_control_number,
        implementation_acks.group_control_number,
        implementation_acks.transaction_control_number,
        group_headers.sender_code,
        group_headers.receiver_code,
        group_headers.group_date as acknowledged_on,
        group_headers.group_time as acknowledged_time,
        functional_groups.functional_id_code,
        functional_groups.answered_group_control_number,
        answers.answer_position,
        answers.answer_level,
        answers.answered_transaction_set_id,
        answers.answered_transaction_control_number,
        answers.acknowledgment_element,
        answers.acknowledgment_code,
        error_codes.error_position,
        error_codes.error_element,
        error_codes.error_code,
        error_codes.error_segment_id
    from implementation_acks
    inner join answers
        on implementation_acks.transaction_id = answers.transaction_id
    left join functional_groups
        on implementation_acks.transaction_id = functional_groups.transaction_id
    left join group_headers
        on
            implementation_acks.file_sha256 = group_headers.file_sha256
            and implementation_acks.interchange_control_number = group_headers.interchange_control_number
            and implementation_acks.group_control_number = group_headers.group_control_number
    left join error_codes
        on
            answers.transaction_id = error_codes.transaction_id
            and answers.answer_position = error_codes.answer_position
    where {{ known_as_of('group_headers.group_date') }}

)

select * from final
