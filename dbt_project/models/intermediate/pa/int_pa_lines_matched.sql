{#-
    rules.md §4 steps 1-4: each line that needs an authorization matched to its candidates.
    WISeR `associated` lines are never matched (step 6): their match_state is `not_matched`,
    and auth_id is only their latest candidate, which a wiser_associated_unaffirmed row
    carries (step 4: a gap row without a chosen authorization carries the latest candidate
    by the same order). Every other line of a program is matched.
    match_state:
      no_candidate          - no authorization of the patient, payer and program
                              (withdrawn ones ignored; a denial overturned on appeal counts
                              as approved)
      code_not_listed       - candidates exist, none lists the code (scs_trial_only_candidates
                              tells the scs_permanent case apart)
      covered / expired / not_yet_valid / pending / denied - the first state that exists
                              among the candidates that list the code, in that order; ties
                              by the latest decision_date, then the latest request_date.
-#}
with

lines as (
    select * from {{ ref('int_pa_lines_scoped') }}
    where program is not null
),

authorizations as (
    select * from {{ ref('stg_pm__authorizations') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

candidate_auths as (
    select
        auth_id,
        patient_id,
        payer_id,
        program,
        auth_number,
        request_date,
        decision_date,
        case
            when decision = 'denied' and appeal_decision = 'approved' then 'approved'
            else decision
        end as effective_decision,
        procedure_codes,
        -- the list again from the normalised text (not staging's list column), so that the
        -- unit test's given rows need no list literal and run on DuckDB and Spark alike
        {{ split_words('procedure_codes') }} as procedure_code_list,
        spinal_region,
        level_list,
        laterality,
        units_approved,
        valid_from,
        valid_to,
        -- number of codes on the request (space-separated, normalised)
        case
            when procedure_codes is null then 0
            else length(procedure_codes) - length(replace(procedure_codes, ' ', '')) + 1
        end as code_count
    from authorizations
    where coalesce(decision, '') <> 'withdrawn'
),

trial_code_counts as (
    select
        candidate_auths.auth_id,
        count(*) as trial_code_count
    from candidate_auths
    inner join procedure_families
        on {{ list_contains('candidate_auths.procedure_code_list', 'procedure_families.procedure_code') }}
    where procedure_families.procedure_family = 'scs_trial'
    group by candidate_auths.auth_id
),

candidates as (
    select
        lines.procedure_line_id,
        candidate_auths.*,
        coalesce(
            {{ list_contains('candidate_auths.procedure_code_list', 'lines.procedure_code') }}, false
        ) as lists_code,
        candidate_auths.code_count > 0
        and coalesce(trial_code_counts.trial_code_count, 0) = candidate_auths.code_count as is_trial_only,
        case
            when
                candidate_auths.effective_decision in ('approved', 'partial')
                and candidate_auths.valid_from <= lines.service_date
                and candidate_auths.valid_to >= lines.service_date
                then 1
            when
                candidate_auths.effective_decision in ('approved', 'partial')
                and candidate_auths.valid_to < lines.service_date
                then 2
            when
                candidate_auths.effective_decision in ('approved', 'partial')
                and candidate_auths.valid_from > lines.service_date
                then 3
            when candidate_auths.effective_decision = 'pending' then 4
            when candidate_auths.effective_decision = 'denied' then 5
        end as state_rank
    from lines
    inner join candidate_auths
        on
            lines.patient_id = candidate_auths.patient_id
            and lines.payer_id = candidate_auths.payer_id
            and lines.program = candidate_auths.program
    left join trial_code_counts
        on candidate_auths.auth_id = trial_code_counts.auth_id
),

candidate_summary as (
    select
        procedure_line_id,
        count(*) as candidate_count,
        sum(case when lists_code then 1 else 0 end) as listing_count,
        min(case when is_trial_only then 1 else 0 end) = 1 as all_trial_only
    from candidates
    group by procedure_line_id
),

-- The closest authorization: among those listing the code the best state; without one,
-- the latest candidate (the request that should have listed the code).
ranked_candidates as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.procedure_line_id
            order by
                case when candidates.lists_code then 0 else 1 end,
                coalesce(case when candidates.lists_code then candidates.state_rank end, 9),
                case when candidates.decision_date is null then 1 else 0 end,
                candidates.decision_date desc,
                candidates.request_date desc,
                candidates.auth_id desc
        ) as closeness
    from candidates
),

closest as (
    select * from ranked_candidates
    where closeness = 1
),

final as (
    select
        lines.*,
        case
            when coalesce(lines.wiser_role, '') = 'associated' then 'not_matched'
            when candidate_summary.procedure_line_id is null then 'no_candidate'
            when candidate_summary.listing_count = 0 then 'code_not_listed'
            when closest.state_rank = 1 then 'covered'
            when closest.state_rank = 2 then 'expired'
            when closest.state_rank = 3 then 'not_yet_valid'
            when closest.state_rank = 4 then 'pending'
            when closest.state_rank = 5 then 'denied'
            else 'unknown_state'
        end as match_state,
        coalesce(candidate_summary.all_trial_only, false) as scs_trial_only_candidates,
        closest.auth_id,
        closest.auth_number,
        closest.spinal_region as auth_spinal_region,
        closest.level_list as auth_level_list,
        closest.laterality as auth_laterality,
        closest.units_approved,
        closest.valid_from as auth_valid_from,
        closest.valid_to as auth_valid_to
    from lines
    left join candidate_summary
        on lines.procedure_line_id = candidate_summary.procedure_line_id
    left join closest
        on lines.procedure_line_id = closest.procedure_line_id
)

select * from final
