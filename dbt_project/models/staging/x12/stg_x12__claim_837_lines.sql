-- One row per service line (2400 LX) of every 837P claim (005010X222A1) kept in raw, of
-- every subscriber loop (SBR01 P, S, T, ...): the loops interpreted from the verbatim
-- segments (INPUTS.md "claims_837" mapping table). Payer and patient are resolved in
-- stg_x12__claims_837. Ingest (ingest/claims_837.py) set aside the claims and lines it
-- could not read, so every line here has an SV1 amount, a whole unit count and a DTP*472.
{%- set max_hi_elements = 12 %}
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

    -- GS04 date and GS05 time order the submissions of one claim (INPUTS.md acknowledgments)
    {{ x12_group_headers('segments') }}

),

claim_segments as (

    select
        segments.transaction_id,
        segments.file_name,
        segments.file_sha256,
        segments.interchange_control_number,
        segments.group_control_number,
        segments.segment_position,
        segments.segment_id,
        coalesce(segments.component_separator, ':') as component_separator,
        segments.elements,
        segments._loaded_at
    from segments
    inner join professional
        on segments.transaction_id = professional.transaction_id

),

with_elements as (

    select
        transaction_id,
        file_name,
        file_sha256,
        interchange_control_number,
        group_control_number,
        segment_position,
        segment_id,
        component_separator,
        {% for n in range(1, max_hi_elements + 1) -%}
            {{ x12_element('elements', n) }} as e{{ '%02d' % n }},
        {% endfor -%}
        -- the enclosing loops: the latest HL, subscriber HL (HL03 22), billing provider HL
        -- (HL03 20), CLM and LX at or before this segment
        max(case when segment_id = 'HL' then segment_position end) over (
            partition by transaction_id order by segment_position
            rows between unbounded preceding and current row
        ) as hl_position,
        max(case when segment_id = 'HL' and {{ x12_element('elements', 3) }} = '22' then segment_position end) over (
            partition by transaction_id order by segment_position
            rows between unbounded preceding and current row
        ) as subscriber_hl_position,
        max(case when segment_id = 'HL' and {{ x12_element('elements', 3) }} = '20' then segment_position end) over (
            partition by transaction_id order by segment_position
            rows between unbounded preceding and current row
        ) as billing_hl_position,
        max(case when segment_id = 'CLM' then segment_position end) over (
            partition by transaction_id order by segment_position
            rows between unbounded preceding and current row
        ) as last_clm_position,
        max(case when segment_id = 'LX' then segment_position end) over (
            partition by transaction_id order by segment_position
            rows between unbounded preceding and current row
        ) as last_lx_position
    from claim_segments

),

transaction_files as (

    select
        transaction_id,
        file_name,
        file_sha256,
        interchange_control_number,
        group_control_number,
        max(_loaded_at) as _loaded_at
    from claim_segments
    group by transaction_id, file_name, file_sha256, interchange_control_number, group_control_number

),

positioned as (

    select
        *,
        -- a CLM loop runs to the next HL (or CLM, SE); a line loop to the next LX
        case when last_clm_position > hl_position then last_clm_position end as clm_position,
        case
            when last_clm_position > hl_position and last_lx_position > last_clm_position
                then last_lx_position
        end as lx_position
    from with_elements

),

headers as (

    select
        transaction_id,
        {{ x12_date('max(case when segment_id = \'BHT\' then e04 end)') }} as submitted_date,
        max(case when segment_id = 'BHT' then e03 end) as bht_reference
    from positioned
    group by transaction_id

),

billing_providers as (

    select
        transaction_id,
        billing_hl_position,
        max(case when segment_id = 'NM1' and e01 = '85' then e09 end) as billing_npi
    from positioned
    where clm_position is null and billing_hl_position is not null
    group by transaction_id, billing_hl_position

),

subscribers as (

    -- 2000B: SBR, 2010BA NM1*IL and 2010BB NM1*PR before the first CLM (the 2320/2330
    -- loops inside a claim carry SBR and NM1*PR of the other payers)
    select
        transaction_id,
        subscriber_hl_position,
        max(case when segment_id = 'SBR' then e01 end) as payer_responsibility_code,
        max(case when segment_id = 'SBR' then e09 end) as claim_filing_indicator_code,
        max(case when segment_id = 'NM1' and e01 = 'IL' then e09 end) as member_id,
        max(case when segment_id = 'NM1' and e01 = 'PR' then e09 end) as x12_payer_id
    from positioned
    where clm_position is null and subscriber_hl_position is not null
    group by transaction_id, subscriber_hl_position

),

claims as (

    select
        transaction_id,
        clm_position,
        max(subscriber_hl_position) as subscriber_hl_position,
        max(billing_hl_position) as billing_hl_position,
        max(case when segment_id = 'CLM' then e01 end) as claim_id,
        max(case when segment_id = 'CLM' then {{ x12_component('e05', 1, 'component_separator') }} end)
            as claim_place_of_service,
        max(case when segment_id = 'CLM' then {{ x12_component('e05', 3, 'component_separator') }} end)
            as frequency_code,
        max(case when segment_id = 'REF' and e01 = 'EA' then e02 end) as medical_record_number,
        max(case when segment_id = 'REF' and e01 = 'G1' then e02 end) as claim_prior_auth_number,
        max(case when segment_id = 'REF' and e01 = 'F8' then e02 end) as payer_claim_control_number,
        max(case when segment_id = 'NM1' and e01 = '82' then e09 end) as claim_rendering_npi
    from positioned
    where clm_position is not null and lx_position is null
    group by transaction_id, clm_position

),

diagnosis_elements as (

    {% for n in range(1, max_hi_elements + 1) -%}
        select
            transaction_id,
            clm_position,
            segment_position,
            {{ n }} as element_number,
            upper({{ x12_component('e%02d' % n, 1, 'component_separator') }}) as qualifier,
            upper({{ x12_component('e%02d' % n, 2, 'component_separator') }}) as code
        from positioned
        where segment_id = 'HI' and clm_position is not null and lx_position is null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

diagnoses as (

    -- INPUTS.md: only the ABK (principal) and ABF (other) HI composites are diagnoses; a
    -- dot goes after the third character of a code longer than three (M5416 -> M54.16)
    select
        transaction_id,
        clm_position,
        row_number() over (
            partition by transaction_id, clm_position
            order by segment_position, element_number
        ) as pointer,
        {{ dotted_icd10('code') }} as diagnosis_code
    from diagnosis_elements
    where qualifier in ('ABK', 'ABF') and code is not null

),

lines as (

    select
        transaction_id,
        clm_position,
        lx_position,
        max(component_separator) as component_separator,
        max(case when segment_id = 'LX' then e01 end) as lx_number,
        max(case when segment_id = 'SV1' then e01 end) as sv101,
        max(case when segment_id = 'SV1' then e02 end) as sv102,
        max(case when segment_id = 'SV1' then e04 end) as sv104,
        max(case when segment_id = 'SV1' then e05 end) as line_place_of_service,
        max(case when segment_id = 'SV1' then e07 end) as sv107,
        max(case when segment_id = 'DTP' and e01 = '472' then e03 end) as service_dates,
        max(case when segment_id = 'REF' and e01 = '6R' then e02 end) as line_control_number,
        max(case when segment_id = 'REF' and e01 = 'G1' and e04 is null then e02 end)
            as line_prior_auth_number,
        max(case when segment_id = 'NM1' and e01 = '82' then e09 end) as line_rendering_npi
    from positioned
    where lx_position is not null
    group by transaction_id, clm_position, lx_position

),

line_codes as (

    -- SV101: HC:<procedure>:<modifier 1>:...:<modifier 4>
    select
        transaction_id,
        lx_position,
        {{ x12_component('sv101', 2, 'component_separator') }} as procedure_code,
        {{ x12_component('sv101', 3, 'component_separator') }} as modifier_1,
        {{ x12_component('sv101', 4, 'component_separator') }} as modifier_2,
        {{ x12_component('sv101', 5, 'component_separator') }} as modifier_3,
        {{ x12_component('sv101', 6, 'component_separator') }} as modifier_4
    from lines

),

pointers as (

    {% for n in range(1, 5) -%}
        select
            transaction_id,
            clm_position,
            lx_position,
            {{ n }} as pointer_order,
            {{ try_cast_as(x12_component('sv107', n, 'component_separator'), 'integer') }} as pointer
        from lines
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

line_diagnoses as (

    -- SV107-1..4 in pointer order; all of the claim's diagnoses when the line has none
    select
        lines.transaction_id,
        lines.clm_position,
        lines.lx_position,
        {{ string_agg_ordered('diagnoses.diagnosis_code', ' ', 'coalesce(pointers.pointer_order, diagnoses.pointer)') }}
            as diagnosis_codes
    from lines
    left join pointers
        on
            lines.transaction_id = pointers.transaction_id
            and lines.lx_position = pointers.lx_position
            and pointers.pointer is not null
    inner join diagnoses
        on
            lines.transaction_id = diagnoses.transaction_id
            and lines.clm_position = diagnoses.clm_position
            and (pointers.pointer is null or pointers.pointer = diagnoses.pointer)
    group by lines.transaction_id, lines.clm_position, lines.lx_position

),

final as (

    select
        claims.claim_id,
        cast(lines.lx_number as integer) as line_number,
        lines.line_control_number,
        claims.medical_record_number,
        subscribers.member_id,
        subscribers.x12_payer_id,
        subscribers.payer_responsibility_code,
        subscribers.claim_filing_indicator_code,
        coalesce(lines.line_rendering_npi, claims.claim_rendering_npi, billing_providers.billing_npi)
            as rendering_npi,
        billing_providers.billing_npi,
        -- D8 CCYYMMDD, or the first date of RD8 CCYYMMDD-CCYYMMDD
        {{ x12_date("substring(lines.service_dates, 1, 8)") }} as service_date,
        headers.submitted_date,
        line_codes.procedure_code,
        nullif(
            concat_ws(' ', line_codes.modifier_1, line_codes.modifier_2, line_codes.modifier_3, line_codes.modifier_4),
            ''
        ) as modifiers,
        cast(cast(lines.sv104 as decimal(18, 4)) as integer) as units,
        {{ x12_amount('lines.sv102') }} as charge_amount,
        line_diagnoses.diagnosis_codes,
        coalesce(lines.line_prior_auth_number, claims.claim_prior_auth_number) as prior_auth_number,
        coalesce(lines.line_place_of_service, claims.claim_place_of_service) as place_of_service,
        coalesce(claims.frequency_code, '1') as frequency_code,
        claims.payer_claim_control_number,
        headers.bht_reference,
        lines.transaction_id,
        claims.clm_position,
        lines.lx_position,
        transaction_files.file_name as _file_name,
        transaction_files.file_sha256 as _file_sha256,
        transaction_files._loaded_at,
        group_headers.group_date_text as gs_date,
        group_headers.group_time as gs_time
    from lines
    inner join claims
        on lines.transaction_id = claims.transaction_id and lines.clm_position = claims.clm_position
    inner join headers
        on lines.transaction_id = headers.transaction_id
    inner join line_codes
        on lines.transaction_id = line_codes.transaction_id and lines.lx_position = line_codes.lx_position
    inner join transaction_files
        on lines.transaction_id = transaction_files.transaction_id
    left join group_headers
        on
            transaction_files.file_sha256 = group_headers.file_sha256
            and transaction_files.interchange_control_number = group_headers.interchange_control_number
            and transaction_files.group_control_number = group_headers.group_control_number
    left join subscribers
        on
            claims.transaction_id = subscribers.transaction_id
            and claims.subscriber_hl_position = subscribers.subscriber_hl_position
    left join billing_providers
        on
            claims.transaction_id = billing_providers.transaction_id
            and claims.billing_hl_position = billing_providers.billing_hl_position
    left join line_diagnoses
        on
            lines.transaction_id = line_diagnoses.transaction_id
            and lines.lx_position = line_diagnoses.lx_position

)

select * from final
