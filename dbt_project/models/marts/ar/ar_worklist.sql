{#-
    RULES 10: one row per claim with an insurance balance, ranked in the order a biller
    should work it (every claim to act on before every `wait` claim; then score, balance,
    the oldest service, claim_id), with one plain sentence saying why.
-#}
with

claims as (
    select * from {{ ref('int_ar_claims_actioned') }}
),

-- Every claim with something to do today ranks above every `wait` claim (RULES 10, as
-- changed by issue #18): a wait claim's score is cut to a tenth, but a large one still
-- outscored appeals and timely-filing deadlines. The score and its seed weights are unchanged.
ranked as (
    select
        *,
        row_number() over (
            order by
                case when next_action = 'wait' then 1 else 0 end asc,
                priority_score desc,
                open_balance desc,
                service_date asc,
                claim_id asc
        ) as priority_rank
    from claims
),

-- Phrases a biller reads: "1 day", "20 days", "today", "5 days ago"; dates as ISO text.
phrased as (
    select
        *,
        case when is_resubmitted then 'Resubmitted ' else 'Submitted ' end
        || cast(aged_from_date as {{ dbt.type_string() }}) as submitted_text,
        case
            when age_days = 0 then 'today'
            when age_days = 1 then '1 day ago'
            else cast(age_days as {{ dbt.type_string() }}) || ' days ago'
        end as age_text,
        case
            when days_to_timely_filing < 0
                then
                    'timely filing ended ' || cast(timely_filing_deadline as {{ dbt.type_string() }})
                    || case
                        when days_to_timely_filing = -1 then ' (1 day ago)'
                        else ' (' || cast(-days_to_timely_filing as {{ dbt.type_string() }}) || ' days ago)'
                    end
            else
                'timely filing ends ' || cast(timely_filing_deadline as {{ dbt.type_string() }})
                || case
                    when days_to_timely_filing = 0 then ' (today)'
                    when days_to_timely_filing = 1 then ' (1 day)'
                    else ' (' || cast(days_to_timely_filing as {{ dbt.type_string() }}) || ' days)'
                end
        end as timely_filing_text,
        cast(appeal_deadline as {{ dbt.type_string() }})
        || case
            when days_to_appeal_deadline = 0 then ' (today)'
            when days_to_appeal_deadline = 1 then ' (1 day)'
            else ' (' || cast(days_to_appeal_deadline as {{ dbt.type_string() }}) || ' days)'
        end as appeal_deadline_text
    from ranked
),

explained as (
    select
        *,
        case next_action
            -- RULES 16: "Rejected 2026-06-12 by the payer: subscriber id not found; timely
            -- filing ends 2026-08-30 (61 days); $1,100.00 open."
            when 'fix_rejection'
                then
                    'Rejected ' || cast(rejected_on as {{ dbt.type_string() }}) || ' by the '
                    || rejecter || ': ' || rejection_reason || '; ' || timely_filing_text || '; '
            when 'escalate_timely_filing'
                then submitted_text || '; no answer yet; ' || timely_filing_text || '; '
            when 'appeal'
                then
                    'Appeal window for CARC ' || open_hard_carc
                    || ' (' || replace(open_hard_category, '_', ' ') || ') closes '
                    || appeal_deadline_text || '; '
            when 'correct_resubmit'
                then
                    'CARC ' || open_soft_carc || ' (' || replace(open_soft_category, '_', ' ')
                    || ') can be corrected and resubmitted; ' || timely_filing_text || '; '
            when 'resolution_review'
                then
                    case
                        when written_off_carc is not null
                            then
                                'CARC ' || written_off_carc
                                || ' (' || replace(written_off_category, '_', ' ') || ') passed its deadline '
                                || cast(written_off_deadline as {{ dbt.type_string() }})
                                || ' with no appeal or resubmission; review it; '
                        else
                            'Paid ' || cast(latest_remit_date as {{ dbt.type_string() }})
                            || ' with a balance left and no denial; review the payment; '
                    end
            when 'call_payer'
                then submitted_text || ' (' || age_text || '); no answer yet; call the payer; '
            when 'portal_status_check'
                then submitted_text || ' (' || age_text || '); no answer yet; check the payer portal; '
            else
                submitted_text || ' (' || age_text || '); still within the payer''s normal turnaround; '
        end
        || {{ money_text('open_balance') }} || ' open.' as priority_reason
    from phrased
),

final as (
    select
        claim_id,
        patient_id,
        payer_id,
        rendering_npi,
        service_date,
        submitted_date,
        open_balance,
        age_days,
        age_bucket,
        timely_filing_deadline,
        days_to_timely_filing,
        appeal_deadline,
        next_action,
        priority_score,
        cast(priority_rank as {{ dbt.type_int() }}) as priority_rank,
        priority_reason
    from explained
)

select * from final
