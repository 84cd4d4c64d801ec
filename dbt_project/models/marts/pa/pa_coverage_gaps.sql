{#-
    marts.pa_coverage_gaps (OUTPUTS.md; rules.md §2-5): one row per procedure line and gap.
    Matching is in int_pa_lines_matched, frequency counting in int_pa_frequency_lines_counted.
    This model turns match states into gap rows:
    - step 2/3/4 states -> no_auth / wiser_utn_missing, code_mismatch /
      scs_permanent_needs_auth, renewal_due (future) / auth_expired (past),
      auth_not_yet_valid, auth_pending, auth_denied;
    - step 5 checks on covered lines (one row per failed check), units by running total;
    - step 6: a WISeR add_on or associated line beside an uncovered WISeR primary of the
      same patient and date -> wiser_associated_unaffirmed only;
    - step 7: auth_number_missing_on_claim for payer PA (not the Original Medicare
      hospital-outpatient list) and for WISeR in POS 11/12 only;
    - rules.md §5: frequency_limit, an extra row whatever the auth state.
-#}
with

scoped_lines as (
    select * from {{ ref('int_pa_lines_scoped') }}
),

matched_lines as (
    select * from {{ ref('int_pa_lines_matched') }}
),

frequency_lines as (
    select * from {{ ref('int_pa_frequency_lines_counted') }}
),

practice_policies as (
    select * from {{ ref('practice_policies') }}
),

renewal_lead as (
    select cast(value as integer) as lead_days
    from practice_policies
    where policy = 'renewal_lead_days'
),

uncovered_wiser_primaries as (
    select
        patient_id,
        service_date,
        row_number() over (
            partition by patient_id, service_date
            order by line_order_key, line_order_number
        ) as primary_order
    from matched_lines
    where
        program = 'wiser'
        and wiser_role = 'primary'
        and match_state <> 'covered'
),

first_uncovered_primary as (
    select * from uncovered_wiser_primaries
    where primary_order = 1
),

-- Step 6: add-ons and associated codes riding on an unaffirmed primary. Such a row has no
-- chosen authorization: it carries the line's own latest candidate (step 4).
unaffirmed_dependants as (
    select
        scoped_lines.procedure_line_id,
        matched_lines.auth_id
    from scoped_lines
    inner join first_uncovered_primary
        on
            scoped_lines.patient_id = first_uncovered_primary.patient_id
            and scoped_lines.service_date = first_uncovered_primary.service_date
    left join matched_lines
        on scoped_lines.procedure_line_id = matched_lines.procedure_line_id
    where
        scoped_lines.program = 'wiser'
        and scoped_lines.wiser_role in ('add_on', 'associated')
),

judged_lines as (
    select matched_lines.*
    from matched_lines
    left join unaffirmed_dependants
        on matched_lines.procedure_line_id = unaffirmed_dependants.procedure_line_id
    where unaffirmed_dependants.procedure_line_id is null
),

state_gaps as (
    select
        procedure_line_id,
        auth_id,
        case match_state
            when 'no_candidate'
                then case when program = 'wiser' then 'wiser_utn_missing' else 'no_auth' end
            when 'code_not_listed'
                then
                    case
                        when procedure_family = 'scs_permanent' and scs_trial_only_candidates
                            then 'scs_permanent_needs_auth'
                        else 'code_mismatch'
                    end
            when 'expired'
                then case when service_date > {{ as_of_date() }} then 'renewal_due' else 'auth_expired' end
            when 'not_yet_valid' then 'auth_not_yet_valid'
            when 'pending' then 'auth_pending'
            when 'denied' then 'auth_denied'
        end as gap_type,
        case
            when
                match_state = 'expired'
                then concat('authorization valid to ', cast(auth_valid_to as {{ dbt.type_string() }}))
            when match_state = 'not_yet_valid'
                then concat('authorization valid from ', cast(auth_valid_from as {{ dbt.type_string() }}))
            when match_state = 'code_not_listed' then concat(procedure_code, ' not on any ', program, ' request')
        end as gap_detail
    from judged_lines
    where match_state in ('no_candidate', 'code_not_listed', 'expired', 'not_yet_valid', 'pending', 'denied')
),

covered_lines as (
    select
        judged_lines.*,
        sum(judged_lines.units) over (
            partition by judged_lines.auth_id
            order by judged_lines.service_date, judged_lines.line_order_key, judged_lines.line_order_number
            rows between unbounded preceding and current row
        ) as running_units
    from judged_lines
    where judged_lines.match_state = 'covered'
),

check_gaps as (
    select
        procedure_line_id,
        auth_id,
        'region_mismatch' as gap_type,
        concat('line ', spinal_region, ', authorization ', auth_spinal_region) as gap_detail
    from covered_lines
    where
        nullif(trim(spinal_region), '') is not null
        and nullif(trim(auth_spinal_region), '') is not null
        and lower(trim(spinal_region)) <> lower(trim(auth_spinal_region))
    union all
    select
        procedure_line_id,
        auth_id,
        'level_mismatch' as gap_type,
        concat('line levels ', levels, ' not all authorized') as gap_detail
    from covered_lines
    where
        auth_level_list is not null
        and levels is not null
        and not {{ list_has_all('auth_level_list', split_words('levels')) }}
    union all
    select
        procedure_line_id,
        auth_id,
        'laterality_mismatch' as gap_type,
        concat('line ', laterality, ', authorization ', auth_laterality) as gap_detail
    from covered_lines
    where
        (laterality = 'bilateral' and auth_laterality in ('left', 'right'))
        or (laterality = 'left' and auth_laterality = 'right')
        or (laterality = 'right' and auth_laterality = 'left')
    union all
    select
        procedure_line_id,
        auth_id,
        'units_exceeded' as gap_type,
        concat(
            'running total ', cast(running_units as {{ dbt.type_string() }}),
            ' of ', cast(units_approved as {{ dbt.type_string() }}), ' approved units'
        ) as gap_detail
    from covered_lines
    where units_approved is not null and running_units > units_approved
    union all
    select
        procedure_line_id,
        auth_id,
        'auth_number_missing_on_claim' as gap_type,
        case
            when nullif(trim(prior_auth_number), '') is null then 'claim carries no authorization number'
            else concat('claim carries ', prior_auth_number, ', authorization is ', auth_number)
        end as gap_detail
    from covered_lines
    where
        is_billed
        and (
            (program = 'payer_pa' and payer_type <> 'medicare_ffs')
            or (program = 'wiser' and utn_on_professional_claim)
        )
        and (
            nullif(trim(prior_auth_number), '') is null
            or auth_number is null
            or trim(prior_auth_number) <> auth_number
        )
),

dependant_gaps as (
    select
        procedure_line_id,
        auth_id,
        'wiser_associated_unaffirmed' as gap_type,
        'primary WISeR service of the same day is not affirmed' as gap_detail
    from unaffirmed_dependants
),

frequency_gaps as (
    select
        frequency_lines.procedure_line_id,
        matched_lines.auth_id,
        'frequency_limit' as gap_type,
        concat(
            'session ', cast(frequency_lines.sessions_in_window as {{ dbt.type_string() }}),
            ' in ', cast(frequency_lines.window_days as {{ dbt.type_string() }}), ' days (',
            frequency_lines.lcd_region, ', limit ', cast(frequency_lines.max_sessions as {{ dbt.type_string() }}), ')'
        ) as gap_detail
    from frequency_lines
    left join matched_lines
        on frequency_lines.procedure_line_id = matched_lines.procedure_line_id
    where frequency_lines.is_over_limit
),

gaps as (
    select * from state_gaps
    union all
    select * from check_gaps
    union all
    select * from dependant_gaps
    union all
    select * from frequency_gaps
),

gap_lines as (
    select
        scoped_lines.*,
        gaps.gap_type,
        gaps.auth_id,
        gaps.gap_detail,
        matched_lines.auth_number,
        renewal_lead.lead_days,
        case
            when scoped_lines.service_date > {{ as_of_date() }}
                then greatest(
                        {{ as_of_date() }},
                        {{ add_days('scoped_lines.service_date', '0 - renewal_lead.lead_days') }}
                    )
            else {{ as_of_date() }}
        end as act_by
    from gaps
    inner join scoped_lines
        on gaps.procedure_line_id = scoped_lines.procedure_line_id
    left join matched_lines
        on gaps.procedure_line_id = matched_lines.procedure_line_id
    cross join renewal_lead
),

final as (
    select
        procedure_line_id,
        appointment_id,
        line_number,
        claim_id,
        claim_line_number,
        patient_id,
        payer_id,
        payer_type,
        service_date,
        procedure_code,
        procedure_family,
        program,
        gap_type,
        auth_id,
        gap_detail,
        line_status,
        -- int on both engines (DuckDB's date difference is a bigint, Spark's an int): the contract
        cast({{ days_between(as_of_date(), 'service_date') }} as {{ dbt.type_int() }}) as days_until_service,
        revenue_at_risk,
        case gap_type
            when 'renewal_due'
                then concat(
                        'Submit renewal by ',
                        cast({{ add_days('service_date', '0 - lead_days') }} as {{ dbt.type_string() }})
                    )
            when 'wiser_utn_missing'
                then concat(
                        'Request WISeR prior auth or expect pre-payment review; act by ',
                        cast(act_by as {{ dbt.type_string() }})
                    )
            when 'no_auth'
                then concat(
                        case
                            when line_status = 'upcoming' then 'Request prior auth' else 'Request retro-authorization'
                        end,
                        ' by ', cast(act_by as {{ dbt.type_string() }})
                    )
            when 'auth_expired' then concat('Request retro-authorization by ', cast(act_by as {{ dbt.type_string() }}))
            when 'auth_not_yet_valid'
                then concat('Ask the payer to move the valid dates by ', cast(act_by as {{ dbt.type_string() }}))
            when
                'auth_pending'
                then concat('Follow up on the pending request by ', cast(act_by as {{ dbt.type_string() }}))
            when 'auth_denied'
                then concat('Appeal the denial or reschedule by ', cast(act_by as {{ dbt.type_string() }}))
            when 'code_mismatch'
                then concat(
                        'Add ', procedure_code, ' to the authorization by ', cast(act_by as {{ dbt.type_string() }})
                    )
            when 'region_mismatch'
                then concat('Correct the authorized region by ', cast(act_by as {{ dbt.type_string() }}))
            when 'level_mismatch'
                then concat('Correct the authorized levels by ', cast(act_by as {{ dbt.type_string() }}))
            when 'laterality_mismatch'
                then concat('Correct the authorized side by ', cast(act_by as {{ dbt.type_string() }}))
            when 'units_exceeded' then concat('Request more units by ', cast(act_by as {{ dbt.type_string() }}))
            when 'wiser_associated_unaffirmed'
                then concat('Get the primary WISeR service affirmed by ', cast(act_by as {{ dbt.type_string() }}))
            when 'frequency_limit'
                then concat(
                        'Document necessity beyond the frequency limit by ', cast(act_by as {{ dbt.type_string() }})
                    )
            when 'scs_permanent_needs_auth'
                then concat('Request auth for the permanent implant by ', cast(act_by as {{ dbt.type_string() }}))
            when 'auth_number_missing_on_claim'
                then concat(
                        'Put auth number ',
                        coalesce(auth_number, '(see authorization)'),
                        ' on the claim and resubmit by ',
                        cast(act_by as {{ dbt.type_string() }})
                    )
        end as recommended_action
    from gap_lines
)

select * from final
