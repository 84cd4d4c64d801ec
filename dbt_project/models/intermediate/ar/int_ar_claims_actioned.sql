{#-
    rules.md §10: every claim with an insurance balance (int_claims_open_balance), its age,
    deadlines, next action and priority score. Step 0 (rules.md §16): a claim whose newest
    submission a 999 or 277CA rejected, not submitted again since, is `fix_rejection`: its
    age counts from that submission and its deadline is timely filing. Denials with group
    PR are the patient's and take no part. Thresholds come from seed practice_policies, weights from seed
    ar_priority_weights (bounds inclusive; an empty upper bound has no limit).
-#}
with

balances as (
    select * from {{ ref('int_claims_open_balance') }}
),

denials as (
    select * from {{ ref('int_denials_statused') }}
),

payers as (
    select * from {{ ref('stg_pm__payers') }}
),

practice_policies as (
    select * from {{ ref('practice_policies') }}
),

weights as (
    select * from {{ ref('ar_priority_weights') }}
),

rejected_submissions as (
    select * from {{ ref('int_claim_submissions_rejected') }}
),

rejection_reasons as (
    select * from {{ ref('int_claim_rejection_reasons') }}
),

submissions as (
    select * from {{ ref('int_claim_submissions') }}
),

-- rules.md §16: the open rejection of each claim's newest rejected submission, and the reason
-- its priority_reason names (the first acknowledgment's, widest level first).
open_rejections as (
    select
        rejected_submissions.claim_id,
        rejected_submissions.submission_id,
        submissions.submitted_date as rejected_submitted_date,
        row_number() over (
            partition by rejected_submissions.claim_id
            order by submissions.submission_order desc
        ) as submission_rank
    from rejected_submissions
    inner join submissions
        on rejected_submissions.submission_id = submissions.submission_id
    where rejected_submissions.status = 'open'
),

lead_rejections as (
    select
        open_rejections.claim_id,
        open_rejections.rejected_submitted_date,
        rejection_reasons.rejected_on,
        rejection_reasons.rejecter,
        rejection_reasons.reason,
        row_number() over (
            partition by open_rejections.claim_id
            order by
                rejection_reasons.rejected_on asc,
                case rejection_reasons.level
                    when 'transaction' then 1
                    when 'provider' then 2
                    when 'claim' then 3
                    else 4
                end asc,
                rejection_reasons.line_number asc,
                rejection_reasons.category_code asc,
                rejection_reasons.status_code asc
        ) as reason_rank
    from open_rejections
    inner join rejection_reasons
        on open_rejections.submission_id = rejection_reasons.submission_id
    where open_rejections.submission_rank = 1
),

policy as (
    select
        max(
            case when policy = 'timely_filing_escalation_days' then cast(value as integer) end
        ) as timely_filing_escalation_days,
        max(case when policy = 'call_payer_min_age_days' then cast(value as integer) end)
            as call_payer_min_age_days,
        max(case when policy = 'portal_check_min_age_days' then cast(value as integer) end)
            as portal_check_min_age_days
    from practice_policies
),

group_codes as (
    select * from {{ ref('carc_group_codes') }}
),

age_buckets as (
    select * from {{ ref('ar_age_buckets') }}
),

-- a denial with a patient-responsibility group (PR) is the patient's (seed carc_group_codes)
insurance_denials as (
    select denials.*
    from denials
    left join group_codes
        on denials.group_code = group_codes.group_code
    where not coalesce(group_codes.is_patient_responsibility, false)
),

-- The denial each action is about: the earliest deadline first, then the lowest CARC.
denials_ranked as (
    select
        claim_id,
        carc,
        denial_category,
        denial_class,
        status,
        appeal_deadline,
        timely_filing_deadline,
        status_deadline,
        -- Open denials: one lead per class (hard -> appeal, soft -> correct_resubmit);
        -- written-off denials: one lead per claim, so its CARC and deadline go together.
        row_number() over (
            partition by claim_id, status, case when status = 'open' then denial_class end
            order by status_deadline, carc
        ) as deadline_rank
    from insurance_denials
    where status in ('open', 'written_off')
),

lead_denials as (
    select
        claim_id,
        max(
            case when status = 'open' and denial_class = 'hard' then appeal_deadline end
        ) as open_hard_appeal_deadline,
        max(case when status = 'open' and denial_class = 'hard' then carc end) as open_hard_carc,
        max(
            case when status = 'open' and denial_class = 'hard' then denial_category end
        ) as open_hard_category,
        max(case when status = 'open' and denial_class = 'soft' then carc end) as open_soft_carc,
        max(
            case when status = 'open' and denial_class = 'soft' then denial_category end
        ) as open_soft_category,
        max(case when status = 'written_off' then carc end) as written_off_carc,
        max(case when status = 'written_off' then denial_category end) as written_off_category,
        max(case when status = 'written_off' then status_deadline end)
            as written_off_deadline
    from denials_ranked
    where deadline_rank = 1
    group by claim_id
),

claims as (
    select
        balances.claim_id,
        balances.patient_id,
        balances.payer_id,
        balances.rendering_npi,
        balances.service_date,
        balances.submitted_date,
        balances.open_balance,
        balances.latest_remit_date,
        balances.is_resubmitted,
        not balances.has_primary_remit or balances.is_resubmitted as is_awaiting_remit,
        -- Age counts from the first submission, or from the newest one once resubmitted;
        -- a rejected claim's from the rejected submission (rules.md §16).
        case
            when lead_rejections.claim_id is not null then lead_rejections.rejected_submitted_date
            when balances.is_resubmitted then balances.submitted_date
            else balances.first_submitted_date
        end as aged_from_date,
        lead_rejections.claim_id is not null as has_open_rejection,
        lead_rejections.rejected_on,
        lead_rejections.rejecter,
        lead_rejections.reason as rejection_reason,
        {{ add_days('balances.service_date', 'payers.timely_filing_days') }}
            as timely_filing_deadline_any,
        lead_denials.open_hard_appeal_deadline,
        lead_denials.open_hard_carc,
        lead_denials.open_hard_category,
        lead_denials.open_soft_carc,
        lead_denials.open_soft_category,
        lead_denials.written_off_carc,
        lead_denials.written_off_category,
        lead_denials.written_off_deadline
    from balances
    left join payers
        on balances.payer_id = payers.payer_id
    left join lead_denials
        on balances.claim_id = lead_denials.claim_id
    left join lead_rejections
        on
            balances.claim_id = lead_rejections.claim_id
            and lead_rejections.reason_rank = 1
    where balances.is_open
),

with_deadlines as (
    select
        claims.*,
        case
            when
                claims.has_open_rejection
                or claims.is_awaiting_remit
                or claims.open_soft_carc is not null
                then claims.timely_filing_deadline_any
        end as timely_filing_deadline
    from claims
),

with_days as (
    select
        with_deadlines.*,
        {{ days_between('with_deadlines.aged_from_date', as_of_date()) }} as age_days,
        {{ days_between(as_of_date(), 'with_deadlines.timely_filing_deadline') }}
            as days_to_timely_filing,
        {{ days_between(as_of_date(), 'with_deadlines.open_hard_appeal_deadline') }}
            as days_to_appeal_deadline
    from with_deadlines
),

actioned as (
    select
        with_days.*,
        case
            when with_days.has_open_rejection then 'fix_rejection'
            when
                with_days.is_awaiting_remit
                and with_days.days_to_timely_filing <= policy.timely_filing_escalation_days
                then 'escalate_timely_filing'
            when with_days.open_hard_carc is not null then 'appeal'
            when with_days.open_soft_carc is not null then 'correct_resubmit'
            when with_days.written_off_carc is not null then 'resolution_review'
            when not with_days.is_awaiting_remit then 'resolution_review'
            when with_days.age_days >= policy.call_payer_min_age_days then 'call_payer'
            when with_days.age_days >= policy.portal_check_min_age_days then 'portal_status_check'
            else 'wait'
        end as next_action,
        -- The nearest open deadline still ahead (a passed one does not count).
        case
            when with_days.days_to_appeal_deadline >= 0 and with_days.days_to_timely_filing >= 0
                then
                    case
                        when with_days.days_to_appeal_deadline < with_days.days_to_timely_filing
                            then with_days.days_to_appeal_deadline
                        else with_days.days_to_timely_filing
                    end
            when with_days.days_to_appeal_deadline >= 0 then with_days.days_to_appeal_deadline
            when with_days.days_to_timely_filing >= 0 then with_days.days_to_timely_filing
        end as days_to_deadline
    from with_days
    cross join policy
),

deadline_weights as (
    select * from weights
    where weight_type = 'urgency' and measure = 'days_to_deadline'
),

wait_weight as (
    select max(weight) as weight
    from weights
    where weight_type = 'urgency_wait'
),

-- No open deadline weighs as the open-ended (furthest) band.
no_deadline_weight as (
    select max(weight) as weight
    from deadline_weights
    where upper_bound is null
),

collectability_weights as (
    select * from weights
    where weight_type = 'collectability' and measure = 'age_days'
),

weighted as (
    select
        actioned.*,
        case
            when actioned.next_action = 'wait' then wait_weight.weight
            when actioned.days_to_deadline is null then no_deadline_weight.weight
            else deadline_weights.weight
        end as urgency,
        collectability_weights.weight as collectability
    from actioned
    cross join wait_weight
    cross join no_deadline_weight
    left join deadline_weights
        on
            actioned.days_to_deadline >= deadline_weights.lower_bound
            and (
                deadline_weights.upper_bound is null
                or actioned.days_to_deadline <= deadline_weights.upper_bound
            )
    left join collectability_weights
        on
            actioned.age_days >= collectability_weights.lower_bound
            and (
                collectability_weights.upper_bound is null
                or actioned.age_days <= collectability_weights.upper_bound
            )
),

-- seed ar_age_buckets (bounds inclusive; an empty upper bound has no limit)
bucketed as (
    select
        weighted.*,
        age_buckets.age_bucket
    from weighted
    left join age_buckets
        on
            weighted.age_days >= age_buckets.min_age_days
            and (age_buckets.max_age_days is null or weighted.age_days <= age_buckets.max_age_days)
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
        latest_remit_date,
        is_resubmitted,
        is_awaiting_remit,
        aged_from_date,
        cast(age_days as {{ dbt.type_int() }}) as age_days,
        age_bucket,
        timely_filing_deadline,
        cast(days_to_timely_filing as {{ dbt.type_int() }}) as days_to_timely_filing,
        open_hard_appeal_deadline as appeal_deadline,
        cast(days_to_appeal_deadline as {{ dbt.type_int() }}) as days_to_appeal_deadline,
        open_hard_carc,
        open_hard_category,
        open_soft_carc,
        open_soft_category,
        written_off_carc,
        written_off_category,
        written_off_deadline,
        rejected_on,
        rejecter,
        rejection_reason,
        next_action,
        cast(days_to_deadline as {{ dbt.type_int() }}) as days_to_deadline,
        urgency,
        collectability,
        cast(round(open_balance * urgency * collectability, 2) as decimal(18, 2)) as priority_score
    from bucketed
)

select * from final
