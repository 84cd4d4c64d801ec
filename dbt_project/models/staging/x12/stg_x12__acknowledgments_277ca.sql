-- One row per STC composite (STC01, STC10, STC11; the STC segment repeats) of every 277CA
-- claim acknowledgment (005010X214) kept in raw (INPUTS.md "acknowledgments"), with the
-- loop it stands in: `transaction` (2200B: TRN02 = the 837's BHT03), `provider` (2200C:
-- the billing provider's 2100C NM109), `claim` (2200D: TRN02 = the claim id, REF*1K the
-- payer's claim number) or `line` (2220D: REF*FJ = line control number, SVC01 code and
-- SVC02 charge). Loops are read with window functions (the latest HL of each level, the
-- latest SVC after it). The rejecter is the 2100A NM101 (AY clearinghouse, PR payer).
-- Known by its date (BHT04): rules.md "What a build as of D sees". Which submission it
-- answers is decided in int_acknowledgment_answers_matched.
with

segments as (

    select * from {{ source('raw', 'x12_segments') }}

),

claim_acks as (

    {{ x12_guide_transactions(source('raw', 'x12_transactions'), '277', '005010X214') }}

),

ack_segments as (

    select
        segments.transaction_id,
        segments.segment_position,
        segments.segment_id,
        coalesce(segments.component_separator, ':') as component_separator,
        {% for n in range(1, 12) -%}
            {{ x12_element('segments.elements', n) }} as e{{ '%02d' % n }},
        {% endfor -%}
        max(case when segments.segment_id = 'HL' then segments.segment_position end) over (
            partition by segments.transaction_id order by segments.segment_position
            rows between unbounded preceding and current row
        ) as hl_position,
        {% for level, name in [('20', 'source'), ('21', 'receiver'), ('19', 'provider'), ('PT', 'patient')] -%}
            max(
                case
                    when segments.segment_id = 'HL' and {{ x12_element('segments.elements', 3) }} = '{{ level }}'
                        then segments.segment_position
                end
            ) over (
                partition by segments.transaction_id order by segments.segment_position
                rows between unbounded preceding and current row
            ) as {{ name }}_hl_position,
        {% endfor -%}
        max(case when segments.segment_id = 'SVC' then segments.segment_position end) over (
            partition by segments.transaction_id order by segments.segment_position
            rows between unbounded preceding and current row
        ) as last_svc_position
    from segments
    inner join claim_acks
        on segments.transaction_id = claim_acks.transaction_id

),

positioned as (

    select
        *,
        -- a 2220D service line loop runs from its SVC to the next HL
        case when last_svc_position > hl_position then last_svc_position end as svc_position
    from ack_segments

),

headers as (

    select
        transaction_id,
        max(case when segment_id = 'BHT' then e03 end) as ack_reference,
        {{ x12_date("max(case when segment_id = 'BHT' then e04 end)") }} as acknowledged_on
    from positioned
    group by transaction_id

),

hl_loops as (

    -- per HL: its level, the first TRN02 (2200x trace), the NM1 (2100x) and REF*1K
    select
        transaction_id,
        hl_position,
        max(case when segment_id = 'HL' then e03 end) as hl_level,
        max(case when segment_id = 'TRN' then e02 end) as trace_number,
        max(case when segment_id = 'NM1' then e01 end) as entity_code,
        max(case when segment_id = 'NM1' then e03 end) as entity_name,
        max(case when segment_id = 'NM1' then e09 end) as entity_id,
        max(case when segment_id = 'REF' and e01 = '1K' then e02 end) as payer_claim_control_number
    from positioned
    where svc_position is null
    group by transaction_id, hl_position

),

line_loops as (

    select
        transaction_id,
        svc_position,
        max(case when segment_id = 'SVC' then {{ x12_component('e01', 2, 'component_separator') }} end)
            as line_procedure_code,
        max(case when segment_id = 'SVC' then {{ x12_amount('e02') }} end) as line_charge_amount,
        max(case when segment_id = 'REF' and e01 = 'FJ' then e02 end) as line_control_number
    from positioned
    where svc_position is not null
    group by transaction_id, svc_position

),

status_segments as (

    select * from positioned
    where segment_id = 'STC'

),

composites as (

    {% for n in [1, 10, 11] %}
        {%- if not loop.first %}
            union all
        {% endif -%}
        select
            transaction_id,
            segment_position as stc_position,
            hl_position,
            receiver_hl_position,
            provider_hl_position,
            patient_hl_position,
            source_hl_position,
            svc_position,
            '{{ 'STC%02d' % n }}' as composite_element,
            {{ x12_component('e%02d' % n, 1, 'component_separator') }} as category_code,
            {{ x12_component('e%02d' % n, 2, 'component_separator') }} as status_code,
            {{ x12_component('e%02d' % n, 3, 'component_separator') }} as entity_code,
            {{ x12_date('e02') }} as status_date,
            e03 as action_code,
            {{ x12_amount('e04') }} as status_amount
        from status_segments
        where e{{ '%02d' % n }} is not null
    {% endfor %}

),

final as (

    select
        composites.transaction_id as ack_transaction_id,
        claim_acks.file_name,
        claim_acks.file_sha256,
        headers.ack_reference,
        headers.acknowledged_on,
        source_loops.entity_code as rejecter_entity_code,
        source_loops.entity_name as rejecter_name,
        case
            when composites.svc_position is not null then 'line'
            when own_loops.hl_level = '21' then 'transaction'
            when own_loops.hl_level = '19' then 'provider'
            when own_loops.hl_level = 'PT' then 'claim'
            else 'source'
        end as loop_level,
        composites.hl_position,
        composites.svc_position,
        receiver_loops.trace_number as submission_reference,
        case
            when own_loops.hl_level in ('19', 'PT') or composites.svc_position is not null
                then provider_loops.entity_id
        end as billing_npi,
        case
            when own_loops.hl_level = 'PT' then own_loops.trace_number
        end as claim_reference,
        case
            when own_loops.hl_level = 'PT' then own_loops.payer_claim_control_number
        end as payer_claim_control_number,
        line_loops.line_control_number,
        line_loops.line_procedure_code,
        line_loops.line_charge_amount,
        composites.stc_position,
        composites.composite_element,
        composites.category_code,
        composites.status_code,
        composites.entity_code,
        composites.status_date,
        composites.action_code,
        composites.status_amount
    from composites
    inner join claim_acks
        on composites.transaction_id = claim_acks.transaction_id
    inner join headers
        on composites.transaction_id = headers.transaction_id
    left join hl_loops as own_loops
        on
            composites.transaction_id = own_loops.transaction_id
            and composites.hl_position = own_loops.hl_position
    left join hl_loops as source_loops
        on
            composites.transaction_id = source_loops.transaction_id
            and composites.source_hl_position = source_loops.hl_position
    left join hl_loops as receiver_loops
        on
            composites.transaction_id = receiver_loops.transaction_id
            and composites.receiver_hl_position = receiver_loops.hl_position
    left join hl_loops as provider_loops
        on
            composites.transaction_id = provider_loops.transaction_id
            and composites.provider_hl_position = provider_loops.hl_position
    left join line_loops
        on
            composites.transaction_id = line_loops.transaction_id
            and composites.svc_position = line_loops.svc_position
    where {{ known_as_of('headers.acknowledged_on') }}

)

select * from final
