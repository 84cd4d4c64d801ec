-- One row per service line (SVC loop, 2110) of an 835 claim payment. SVC01 and SVC06 are
-- composites (qualifier:code:modifier1..4:description) split on the interchange's component
-- separator; SVC06 is the code as submitted when the payer recoded the line (rules.md §8).
with

segments as (

    select * from {{ ref('stg_x12__segments') }}

),

claims as (

    -- CLP01 of the enclosing claim payment
    select
        transaction_id,
        clp_position,
        e01 as claim_id

    from segments
    where segment_id = 'CLP'

),

line_segments as (

    -- the first occurrence of each segment and qualifier in the service loop wins
    select
        transaction_id,
        clp_position,
        svc_position,
        segment_id,
        component_separator,
        e01,
        e02,
        e03,
        e04,
        e05,
        e06,
        e07,
        row_number() over (
            partition by
                transaction_id,
                svc_position,
                segment_id,
                case when segment_id in ('REF', 'DTM', 'AMT') then e01 end
            order by segment_position
        ) as occurrence

    from segments
    where
        svc_position is not null
        and transaction_id is not null
        and segment_id in ('SVC', 'REF', 'DTM', 'AMT')

),

remark_codes as (

    -- LQ*HE: remittance advice remark codes (RARC) of the line, in the order sent
    select
        transaction_id,
        svc_position,
        {{ string_agg_ordered('e02', ' ', 'segment_position') }} as remark_codes

    from segments
    where
        svc_position is not null
        and transaction_id is not null
        and segment_id = 'LQ'
        and e01 = 'HE'
    group by transaction_id, svc_position

),

pivoted as (

    select
        transaction_id,
        clp_position,
        svc_position,
        max(case when segment_id = 'SVC' then component_separator end) as component_separator,
        max(case when segment_id = 'SVC' then e01 end) as procedure_composite,
        max(case when segment_id = 'SVC' then e02 end) as charge_text,
        max(case when segment_id = 'SVC' then e03 end) as paid_text,
        max(case when segment_id = 'SVC' then e04 end) as revenue_code,
        max(case when segment_id = 'SVC' then e05 end) as units_text,
        max(case when segment_id = 'SVC' then e06 end) as submitted_composite,
        max(case when segment_id = 'SVC' then e07 end) as original_units_text,
        max(case when segment_id = 'REF' and e01 = '6R' then e02 end) as line_control_number,
        max(case when segment_id = 'REF' and e01 = 'G1' then e02 end) as prior_auth_number,
        max(case when segment_id = 'AMT' and e01 = 'B6' then e02 end) as allowed_text,
        max(case when segment_id = 'DTM' and e01 = '472' then e02 end) as service_date_text,
        max(case when segment_id = 'DTM' and e01 = '150' then e02 end) as service_from_text,
        max(case when segment_id = 'DTM' and e01 = '151' then e02 end) as service_to_text

    from line_segments
    where occurrence = 1
    group by transaction_id, clp_position, svc_position

),

split as (

    select
        transaction_id,
        clp_position,
        svc_position,
        {{ x12_component('procedure_composite', 1, 'component_separator') }} as procedure_code_qualifier,
        {{ x12_component('procedure_composite', 2, 'component_separator') }} as procedure_code,
        {{ x12_component('procedure_composite', 3, 'component_separator') }} as modifier_1,
        {{ x12_component('procedure_composite', 4, 'component_separator') }} as modifier_2,
        {{ x12_component('procedure_composite', 5, 'component_separator') }} as modifier_3,
        {{ x12_component('procedure_composite', 6, 'component_separator') }} as modifier_4,
        {{ x12_component('submitted_composite', 1, 'component_separator') }} as submitted_code_qualifier,
        {{ x12_component('submitted_composite', 2, 'component_separator') }} as submitted_procedure_code,
        nullif(
            concat_ws(
                ' ',
                {{ x12_component('submitted_composite', 3, 'component_separator') }},
                {{ x12_component('submitted_composite', 4, 'component_separator') }},
                {{ x12_component('submitted_composite', 5, 'component_separator') }},
                {{ x12_component('submitted_composite', 6, 'component_separator') }}
            ),
            ''
        ) as submitted_modifiers,
        {{ x12_amount('charge_text') }} as charge_amount,
        {{ x12_amount('paid_text') }} as paid_amount,
        revenue_code,
        coalesce({{ try_cast_as('units_text', 'decimal(18, 3)') }}, cast(1 as decimal(18, 3))) as units,
        {{ try_cast_as('original_units_text', 'decimal(18, 3)') }} as original_units,
        line_control_number,
        prior_auth_number,
        {{ x12_amount('allowed_text') }} as allowed_amount,
        coalesce({{ x12_date('service_date_text') }}, {{ x12_date('service_from_text') }}) as service_date,
        coalesce(
            {{ x12_date('service_to_text') }},
            {{ x12_date('service_date_text') }},
            {{ x12_date('service_from_text') }}
        ) as service_date_to

    from pivoted

),

joined as (

    select
        split.transaction_id,
        split.clp_position,
        split.svc_position,
        claims.claim_id,
        row_number() over (
            partition by split.transaction_id, split.clp_position
            order by split.svc_position
        ) as line_ordinal,
        split.procedure_code_qualifier,
        split.procedure_code,
        split.modifier_1,
        split.modifier_2,
        split.modifier_3,
        split.modifier_4,
        nullif(concat_ws(' ', split.modifier_1, split.modifier_2, split.modifier_3, split.modifier_4), '')
            as modifiers,
        {{ split_words("concat_ws(' ', split.modifier_1, split.modifier_2, split.modifier_3, split.modifier_4)") }}
            as modifier_list,
        split.submitted_code_qualifier,
        split.submitted_procedure_code,
        split.submitted_modifiers,
        split.charge_amount,
        split.paid_amount,
        split.revenue_code,
        split.units,
        split.original_units,
        split.line_control_number,
        split.prior_auth_number,
        split.allowed_amount,
        split.service_date,
        split.service_date_to,
        remark_codes.remark_codes

    from split
    left join claims
        on
            split.transaction_id = claims.transaction_id
            and split.clp_position = claims.clp_position
    left join remark_codes
        on
            split.transaction_id = remark_codes.transaction_id
            and split.svc_position = remark_codes.svc_position

),

final as (

    select * from joined

)

select * from final
