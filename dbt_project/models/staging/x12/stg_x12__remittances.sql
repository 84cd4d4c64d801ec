-- One row per 835 transaction (ST/SE): who paid whom, how much, when (rules.md §8: the
-- remit date is BPR16, the check/EFT date; DTM*405, the production date, only when BPR16
-- is absent), with ingest's balancing flags. A flagged transaction's money still counts.
-- Only the transactions known on the as-of date (stg_x12__remit_dates).
with

transactions as (

    -- a re-delivery is read once, from its first copy (see stg_x12__segments)
    {{ x12_guide_transactions(source('raw', 'x12_transactions'), '835', first_copies_only=true) }}

),

segments as (

    select * from {{ ref('stg_x12__segments') }}

),

remit_dates as (

    select * from {{ ref('stg_x12__remit_dates') }}

),

header_segments as (

    -- the header (Table 1) before the first CLP; the first occurrence of each segment and
    -- qualifier wins (N1*PR, N1*PE, REF*2U, DTM*405 ...)
    select
        transaction_id,
        segment_id,
        e01,
        e02,
        e03,
        e04,
        e16,
        row_number() over (
            partition by transaction_id, segment_id, case when segment_id in ('N1', 'REF', 'DTM') then e01 end
            order by segment_position
        ) as occurrence

    from segments
    where
        clp_position is null
        and transaction_id is not null
        and segment_id in ('BPR', 'TRN', 'DTM', 'N1', 'REF')

),

header as (

    select
        transaction_id,
        max(case when segment_id = 'BPR' then e01 end) as transaction_handling_code,
        max(case when segment_id = 'BPR' then e02 end) as bpr_amount_text,
        max(case when segment_id = 'BPR' then e03 end) as credit_debit_flag,
        max(case when segment_id = 'BPR' then e04 end) as payment_method_code,
        max(case when segment_id = 'BPR' then e16 end) as payment_date_text,
        max(case when segment_id = 'TRN' then e02 end) as trace_number,
        max(case when segment_id = 'TRN' then e03 end) as trace_originator_id,
        max(case when segment_id = 'DTM' and e01 = '405' then e02 end) as production_date_text,
        max(case when segment_id = 'N1' and e01 = 'PR' then e02 end) as payer_name,
        max(case when segment_id = 'N1' and e01 = 'PR' then e04 end) as payer_n1_id,
        max(case when segment_id = 'REF' and e01 = '2U' then e02 end) as payer_ref_2u_id,
        max(case when segment_id = 'N1' and e01 = 'PE' then e02 end) as payee_name,
        max(case when segment_id = 'N1' and e01 = 'PE' then e03 end) as payee_id_qualifier,
        max(case when segment_id = 'N1' and e01 = 'PE' then e04 end) as payee_id

    from header_segments
    where occurrence = 1
    group by transaction_id

),

joined as (

    select
        transactions.transaction_id,
        transactions.file_name,
        transactions.file_sha256,
        transactions.interchange_control_number,
        transactions.group_control_number,
        transactions.transaction_control_number,
        transactions.version,
        transactions.sender_id,
        transactions.receiver_id,
        coalesce(header.payer_n1_id, header.payer_ref_2u_id) as payer_x12_id,
        header.payer_name,
        header.payee_name,
        header.payee_id_qualifier,
        header.payee_id,
        header.transaction_handling_code,
        {{ x12_amount('header.bpr_amount_text') }} as payment_amount,
        header.credit_debit_flag,
        header.payment_method_code,
        {{ x12_date('header.payment_date_text') }} as payment_date,
        {{ x12_date('header.production_date_text') }} as production_date,
        {{ x12_remit_date('header.payment_date_text', 'header.production_date_text') }} as remit_date,
        header.trace_number,
        header.trace_originator_id,
        transactions.clp_paid_total,
        transactions.plb_total,
        transactions.se_count_ok,
        transactions.bpr_balanced,
        transactions.status as transaction_status,
        transactions.envelope_ok,
        transactions.message as transaction_message,
        transactions._loaded_at

    from transactions
    inner join remit_dates
        on transactions.transaction_id = remit_dates.transaction_id
    left join header
        on transactions.transaction_id = header.transaction_id

),

final as (

    select * from joined

)

select * from final
