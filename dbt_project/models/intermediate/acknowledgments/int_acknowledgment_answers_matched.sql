{#-
    INPUTS.md "acknowledgments", RULES.md s16: every answer of every 999 and 277CA (one row
    per reason: each 999 error code, each STC composite) with the submission(s) it answers.
    - 999: AK1-02 names the 837's functional group (GS06): the 837 group with that GS06 (and
      the same sender, the 837's GS02 = the 999's GS03, when both are known) with the
      latest GS04 on or before the 999's GS04 (then GS05, file order). An AK2 loop answers
      that group's transaction with ST02 = AK2-02; the AK9 answers every transaction of it.
    - 277CA: 2200B TRN02 = the 837's BHT03 (the latest such 837 dated on or before the
      277CA's BHT04) names the transaction; a 2200B loop answers every claim of it, a 2200C
      loop the claims of that billing provider (2010AA NM109) in it, a 2200D loop the claim
      whose CLM01 = its TRN02. Where that 837 is unknown (CSV claims, or a TRN02 naming no
      loaded 837), a 2200D loop answers the newest submission of claim TRN02 on or before
      the BHT04 date (match_method claim_fallback). A 2220D line is the claim line with
      line_control_number = REF*FJ, else the one line with SVC01's code and SVC02's charge;
      else the reason stays at claim level (line_number null).
    An answer that matches no submission is kept with submission_id null
    (int_acknowledgments_unmatched lists it). `rejects`: the 999's IK501/AK901 code
    rejects (seed x12_error_codes), or the STC's STC03 is U or the composite's category
    rejects (seed claim_status_categories).
-#}
-- OUTPUTS.md names the columns source and level
-- sqlfluff:rules:references.keywords:ignore_words:source,level
with

acks_999 as (
    select * from {{ ref('stg_x12__acknowledgments_999') }}
),

acks_277 as (
    select * from {{ ref('stg_x12__acknowledgments_277ca') }}
),

batches as (
    select * from {{ ref('stg_x12__claim_837_transactions') }}
),

submissions as (
    select * from {{ ref('int_claim_submissions') }}
),

submission_lines as (
    select * from {{ ref('int_claim_submission_lines') }}
),

error_codes as (
    select * from {{ ref('x12_error_codes') }}
),

categories as (
    select * from {{ ref('claim_status_categories') }}
),

status_codes as (
    select * from {{ ref('claim_status_codes') }}
),

entities as (
    select * from {{ ref('x12_entity_codes') }}
),

-- 999 ---------------------------------------------------------------------------------

answered_groups as (
    select distinct
        ack_transaction_id,
        answered_group_control_number,
        receiver_code,
        acknowledged_on
    from acks_999
),

group_candidates as (
    select
        answered_groups.ack_transaction_id,
        batches.file_sha256,
        batches.interchange_control_number,
        batches.group_control_number,
        row_number() over (
            partition by answered_groups.ack_transaction_id
            order by
                batches.group_date desc,
                batches.group_time desc,
                batches.file_name desc,
                batches._loaded_at desc
        ) as group_rank
    from answered_groups
    inner join batches
        on
            answered_groups.answered_group_control_number = batches.group_control_number
            and answered_groups.acknowledged_on >= batches.group_date
            and (
                answered_groups.receiver_code is null
                or batches.sender_code is null
                or answered_groups.receiver_code = batches.sender_code
            )
),

answered_transactions_999 as (
    -- per 999 answer (AK2 loop or AK9), the 837 transactions it answers
    select distinct
        acks_999.ack_transaction_id,
        acks_999.answer_position,
        batches.transaction_id
    from acks_999
    inner join group_candidates
        on
            acks_999.ack_transaction_id = group_candidates.ack_transaction_id
            and group_candidates.group_rank = 1
    inner join batches
        on
            group_candidates.file_sha256 = batches.file_sha256
            and group_candidates.interchange_control_number = batches.interchange_control_number
            and group_candidates.group_control_number = batches.group_control_number
            and (
                acks_999.answer_level = 'group'
                or acks_999.answered_transaction_control_number = batches.transaction_control_number
            )
),

matched_999 as (
    select
        '999' as source,
        acks_999.ack_transaction_id,
        acks_999.file_name,
        acks_999.acknowledged_on,
        'clearinghouse' as rejecter,
        'transaction' as level,
        acks_999.answer_level,
        concat(acks_999.ack_transaction_id, '/', cast(acks_999.answer_position as {{ dbt.type_string() }}))
            as answer_key,
        case
            when acks_999.answer_level = 'group'
                then concat('functional group ', coalesce(acks_999.answered_group_control_number, '?'))
            else concat(
                    'functional group ', coalesce(acks_999.answered_group_control_number, '?'),
                    ', transaction ', coalesce(acks_999.answered_transaction_control_number, '?')
                )
        end as answer_reference,
        acks_999.acknowledgment_code as category_code,
        acks_999.error_code as status_code,
        cast(null as {{ dbt.type_string() }}) as entity_code,
        acks_999.error_element,
        coalesce(
            error_descriptions.description,
            case
                when acks_999.error_code is not null then concat(acks_999.error_element, ' code ', acks_999.error_code)
            end,
            ack_descriptions.description,
            concat(acks_999.acknowledgment_element, ' code ', coalesce(acks_999.acknowledgment_code, '(none)'))
        ) as reason,
        coalesce(ack_descriptions.rejects, false) as rejects,
        false as is_error_response,
        submissions.submission_id,
        submissions.claim_id,
        cast(null as {{ dbt.type_int() }}) as line_number,
        case when submissions.submission_id is not null then '837' end as match_method
    from acks_999
    left join error_codes as error_descriptions
        on
            acks_999.error_element = error_descriptions.element
            and acks_999.error_code = error_descriptions.code
    left join error_codes as ack_descriptions
        on
            acks_999.acknowledgment_element = ack_descriptions.element
            and acks_999.acknowledgment_code = ack_descriptions.code
    left join answered_transactions_999
        on
            acks_999.ack_transaction_id = answered_transactions_999.ack_transaction_id
            and acks_999.answer_position = answered_transactions_999.answer_position
    left join submissions
        on answered_transactions_999.transaction_id = submissions.transaction_id
),

-- 277CA -------------------------------------------------------------------------------

named_batches as (
    select distinct
        ack_transaction_id,
        submission_reference,
        acknowledged_on
    from acks_277
    where submission_reference is not null
),

batch_candidates as (
    select
        named_batches.ack_transaction_id,
        named_batches.submission_reference,
        batches.transaction_id,
        row_number() over (
            partition by named_batches.ack_transaction_id, named_batches.submission_reference
            order by
                batches.group_date desc,
                batches.group_time desc,
                batches.file_name desc,
                batches._loaded_at desc,
                batches.transaction_control_number desc
        ) as batch_rank
    from named_batches
    inner join batches
        on
            named_batches.submission_reference = batches.bht_reference
            and coalesce(batches.submitted_date, batches.group_date) <= named_batches.acknowledged_on
),

acks_277_batched as (
    select
        acks_277.*,
        batch_candidates.transaction_id as answered_transaction_id
    from acks_277
    left join batch_candidates
        on
            acks_277.ack_transaction_id = batch_candidates.ack_transaction_id
            and acks_277.submission_reference = batch_candidates.submission_reference
            and batch_candidates.batch_rank = 1
    where acks_277.loop_level != 'source'
),

fallback_candidates as (
    -- the 837 is unknown: the newest submission of the claim on or before the BHT04 date
    select
        acks_277_batched.ack_transaction_id,
        acks_277_batched.hl_position,
        submissions.submission_id,
        row_number() over (
            partition by acks_277_batched.ack_transaction_id, acks_277_batched.hl_position
            order by submissions.submission_order desc
        ) as submission_rank
    from acks_277_batched
    inner join submissions
        on
            acks_277_batched.claim_reference = submissions.claim_id
            and acks_277_batched.acknowledged_on >= submissions.submitted_date
    where
        acks_277_batched.answered_transaction_id is null
        and acks_277_batched.loop_level in ('claim', 'line')
),

answered_submissions_277 as (
    select distinct
        acks_277_batched.ack_transaction_id,
        acks_277_batched.stc_position,
        acks_277_batched.composite_element,
        coalesce(by_batch.submission_id, fallback_candidates.submission_id) as submission_id,
        case
            when by_batch.submission_id is not null then '837'
            when fallback_candidates.submission_id is not null then 'claim_fallback'
        end as match_method
    from acks_277_batched
    left join submissions as by_batch
        on
            acks_277_batched.answered_transaction_id = by_batch.transaction_id
            and (
                acks_277_batched.loop_level = 'transaction'
                or (acks_277_batched.loop_level = 'provider' and acks_277_batched.billing_npi = by_batch.billing_npi)
                or (
                    acks_277_batched.loop_level in ('claim', 'line')
                    and acks_277_batched.claim_reference = by_batch.clm01
                )
            )
    left join fallback_candidates
        on
            acks_277_batched.ack_transaction_id = fallback_candidates.ack_transaction_id
            and acks_277_batched.hl_position = fallback_candidates.hl_position
            and fallback_candidates.submission_rank = 1
),

line_candidates as (
    -- a 2220D line: REF*FJ = line_control_number, else SVC01 code and SVC02 charge
    select
        acks_277_batched.ack_transaction_id,
        acks_277_batched.stc_position,
        acks_277_batched.composite_element,
        answered_submissions_277.submission_id,
        min(submission_lines.line_number) as line_number,
        count(distinct submission_lines.line_number) as line_count
    from acks_277_batched
    inner join answered_submissions_277
        on
            acks_277_batched.ack_transaction_id = answered_submissions_277.ack_transaction_id
            and acks_277_batched.stc_position = answered_submissions_277.stc_position
            and acks_277_batched.composite_element = answered_submissions_277.composite_element
    inner join submission_lines
        on
            answered_submissions_277.submission_id = submission_lines.submission_id
            and answered_submissions_277.submission_id is not null
            and (
                (
                    acks_277_batched.line_control_number is not null
                    and acks_277_batched.line_control_number = submission_lines.line_control_number
                )
                or (
                    acks_277_batched.line_control_number is null
                    and acks_277_batched.line_procedure_code = submission_lines.procedure_code
                    and acks_277_batched.line_charge_amount = submission_lines.charge_amount
                )
            )
    where acks_277_batched.loop_level = 'line'
    group by
        acks_277_batched.ack_transaction_id,
        acks_277_batched.stc_position,
        acks_277_batched.composite_element,
        answered_submissions_277.submission_id
),

matched_277 as (
    select
        '277CA' as source,
        acks_277_batched.ack_transaction_id,
        acks_277_batched.file_name,
        acks_277_batched.acknowledged_on,
        case when acks_277_batched.rejecter_entity_code = 'PR' then 'payer' else 'clearinghouse' end
            as rejecter,
        case
            when acks_277_batched.loop_level = 'line' and line_candidates.line_count = 1 then 'line'
            when acks_277_batched.loop_level = 'line' then 'claim'
            else acks_277_batched.loop_level
        end as level,
        acks_277_batched.loop_level as answer_level,
        concat(
            acks_277_batched.ack_transaction_id, '/',
            cast(acks_277_batched.hl_position as {{ dbt.type_string() }})
        ) as answer_key,
        case acks_277_batched.loop_level
            when 'transaction' then concat('837 batch ', coalesce(acks_277_batched.submission_reference, '?'))
            when 'provider'
                then concat(
                        '837 batch ', coalesce(acks_277_batched.submission_reference, '?'),
                        ', billing provider ', coalesce(acks_277_batched.billing_npi, '?')
                    )
            else concat(
                    '837 batch ', coalesce(acks_277_batched.submission_reference, '?'),
                    ', claim ', coalesce(acks_277_batched.claim_reference, '?')
                )
        end as answer_reference,
        acks_277_batched.category_code,
        acks_277_batched.status_code,
        acks_277_batched.entity_code,
        cast(null as {{ dbt.type_string() }}) as error_element,
        case
            when status_codes.names_entity and entities.description is not null
                then concat(entities.description, ' ', status_codes.description)
            else coalesce(
                    status_codes.description,
                    concat('status code ', coalesce(acks_277_batched.status_code, '(none)'))
                )
        end as reason,
        coalesce(acks_277_batched.action_code = 'U', false) or coalesce(categories.rejects, false)
            as rejects,
        coalesce(categories.is_error_response, false) as is_error_response,
        answered_submissions_277.submission_id,
        submissions.claim_id,
        case when line_candidates.line_count = 1 then line_candidates.line_number end as line_number,
        answered_submissions_277.match_method
    from acks_277_batched
    left join answered_submissions_277
        on
            acks_277_batched.ack_transaction_id = answered_submissions_277.ack_transaction_id
            and acks_277_batched.stc_position = answered_submissions_277.stc_position
            and acks_277_batched.composite_element = answered_submissions_277.composite_element
    left join submissions
        on answered_submissions_277.submission_id = submissions.submission_id
    left join line_candidates
        on
            acks_277_batched.ack_transaction_id = line_candidates.ack_transaction_id
            and acks_277_batched.stc_position = line_candidates.stc_position
            and acks_277_batched.composite_element = line_candidates.composite_element
            and answered_submissions_277.submission_id = line_candidates.submission_id
    left join categories
        on acks_277_batched.category_code = categories.category_code
    left join status_codes
        on acks_277_batched.status_code = status_codes.status_code
    left join entities
        on acks_277_batched.entity_code = entities.entity_code
),

unioned as (
    select * from matched_999
    union all
    select * from matched_277
),

final as (
    select * from unioned
)

select * from final
