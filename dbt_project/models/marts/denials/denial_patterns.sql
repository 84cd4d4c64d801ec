{#-
    OUTPUTS.md denial_patterns: payer x CARC x group x procedure family x remit month, over
    primary remits (reversals and secondary remits left out). lines_billed = primary remit
    lines of that payer and family in the month (a claim payment without SVC loops counts
    as one line of its first line's family, as its claim-level denial does); lines_denied =
    lines denied with that CARC and group; top_rarc = the most frequent RARC on them
    (ties: lowest code). Rates on a 0-100 scale, 2 decimals.
-#}
-- sqlfluff:rules:references.keywords:ignore_words:month
with

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

claim_payments as (
    select * from {{ ref('stg_x12__claim_payments') }}
),

service_lines as (
    select * from {{ ref('stg_x12__service_lines') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

denials as (
    select * from {{ ref('int_denials_statused') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

rarc_positions as (
    {% for position in range(1, 11) -%}
        select {{ position }} as rarc_position
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}
),

first_line_numbers as (
    select
        claim_id,
        min(line_number) as line_number,
        min(payer_id) as payer_id
    from claims
    group by claim_id
),

first_claim_lines as (
    select
        claims.claim_id,
        first_line_numbers.payer_id,
        claims.procedure_code
    from claims
    inner join first_line_numbers
        on
            claims.claim_id = first_line_numbers.claim_id
            and claims.line_number = first_line_numbers.line_number
),

claim_payments_with_lines as (
    select distinct
        transaction_id,
        clp_position
    from service_lines
),

billed_lines as (
    select
        remit_lines.payer_id,
        coalesce(remit_lines.claim_procedure_code, remit_lines.remit_procedure_code)
            as procedure_code,
        remit_lines.remit_date
    from remit_lines
    where
        remit_lines.is_primary
        and not remit_lines.is_reversal
        and remit_lines.is_claim_matched
        and remit_lines.remit_date <= {{ as_of_date() }}
    union all
    select
        first_claim_lines.payer_id,
        first_claim_lines.procedure_code,
        claim_payments.remit_date
    from claim_payments
    inner join first_claim_lines
        on claim_payments.claim_id = first_claim_lines.claim_id
    left join claim_payments_with_lines
        on
            claim_payments.transaction_id = claim_payments_with_lines.transaction_id
            and claim_payments.clp_position = claim_payments_with_lines.clp_position
    where
        claim_payments.is_primary
        and not claim_payments.is_reversal
        and claim_payments_with_lines.transaction_id is null
        and claim_payments.remit_date <= {{ as_of_date() }}
),

billed_by_month as (
    select
        billed_lines.payer_id,
        coalesce(procedure_families.procedure_family, 'other') as procedure_family,
        cast({{ dbt.date_trunc('month', 'billed_lines.remit_date') }} as date) as month,
        count(*) as lines_billed
    from billed_lines
    left join procedure_families
        on billed_lines.procedure_code = procedure_families.procedure_code
    group by
        billed_lines.payer_id,
        coalesce(procedure_families.procedure_family, 'other'),
        cast({{ dbt.date_trunc('month', 'billed_lines.remit_date') }} as date)
),

-- One row per denied remit line and CARC (a CARC repeated on a line counts once).
denied_lines as (
    select
        denials.transaction_id,
        denials.clp_position,
        denials.svc_position,
        denials.payer_id,
        denials.carc,
        denials.group_code,
        coalesce(procedure_families.procedure_family, 'other') as procedure_family,
        cast({{ dbt.date_trunc('month', 'denials.denial_date') }} as date) as month,
        min(denials.rarcs) as rarcs,
        sum(denials.denied_amount) as denied_amount,
        max(denials.recovered_amount) as recovered_amount
    from denials
    left join procedure_families
        on denials.procedure_code = procedure_families.procedure_code
    group by
        denials.transaction_id,
        denials.clp_position,
        denials.svc_position,
        denials.payer_id,
        denials.carc,
        denials.group_code,
        coalesce(procedure_families.procedure_family, 'other'),
        cast({{ dbt.date_trunc('month', 'denials.denial_date') }} as date)
),

denied_by_pattern as (
    select
        payer_id,
        carc,
        group_code,
        procedure_family,
        month,
        count(*) as lines_denied,
        sum(denied_amount) as denied_amount,
        sum(recovered_amount) as recovered_amount
    from denied_lines
    group by payer_id, carc, group_code, procedure_family, month
),

rarc_words as (
    select
        denied_lines.payer_id,
        denied_lines.carc,
        denied_lines.group_code,
        denied_lines.procedure_family,
        denied_lines.month,
        {{ list_element(split_words('denied_lines.rarcs'), 'rarc_positions.rarc_position') }}
            as rarc
    from denied_lines
    cross join rarc_positions
    where denied_lines.rarcs is not null
),

rarc_counts as (
    select
        payer_id,
        carc,
        group_code,
        procedure_family,
        month,
        rarc,
        count(*) as rarc_count
    from rarc_words
    where rarc is not null and rarc <> ''
    group by payer_id, carc, group_code, procedure_family, month, rarc
),

rarcs_ranked as (
    select
        *,
        row_number() over (
            partition by payer_id, carc, group_code, procedure_family, month
            order by rarc_count desc, rarc asc
        ) as rarc_rank
    from rarc_counts
),

top_rarcs as (
    select * from rarcs_ranked
    where rarc_rank = 1
),

final as (
    select
        denied_by_pattern.payer_id,
        denied_by_pattern.carc,
        denied_by_pattern.group_code,
        denied_by_pattern.procedure_family,
        denied_by_pattern.month,
        cast(coalesce(billed_by_month.lines_billed, 0) as {{ dbt.type_int() }}) as lines_billed,
        cast(denied_by_pattern.lines_denied as {{ dbt.type_int() }}) as lines_denied,
        cast(
            coalesce(
                {{ pct('denied_by_pattern.lines_denied', 'billed_by_month.lines_billed') }},
                0
            ) as decimal(9, 2)
        ) as denial_rate,
        cast(denied_by_pattern.denied_amount as decimal(18, 2)) as denied_amount,
        cast(denied_by_pattern.recovered_amount as decimal(18, 2)) as recovered_amount,
        cast(
            coalesce(
                {{ pct('denied_by_pattern.recovered_amount', 'denied_by_pattern.denied_amount') }},
                0
            ) as decimal(9, 2)
        ) as recovery_rate,
        top_rarcs.rarc as top_rarc
    from denied_by_pattern
    left join billed_by_month
        on
            denied_by_pattern.payer_id = billed_by_month.payer_id
            and denied_by_pattern.procedure_family = billed_by_month.procedure_family
            and denied_by_pattern.month = billed_by_month.month
    left join top_rarcs
        on
            denied_by_pattern.payer_id = top_rarcs.payer_id
            and denied_by_pattern.carc = top_rarcs.carc
            and denied_by_pattern.group_code = top_rarcs.group_code
            and denied_by_pattern.procedure_family = top_rarcs.procedure_family
            and denied_by_pattern.month = top_rarcs.month
)

select * from final
