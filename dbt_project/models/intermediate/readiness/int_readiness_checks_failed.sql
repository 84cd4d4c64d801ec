{#-
    rules.md §13: one row per upcoming line (scheduled, after the as-of date, of the checked
    families) and failed check, with the detail sentence and the recommended action. Add-on
    codes carry only levels_exceeded. A prior session = a completed line of the same patient,
    family group and LCD region on an earlier date; its relief is the best documented on the
    session's lines (empty when none is).
-#}
{%- set n = 'cast(cast({} as integer) as ' ~ dbt.type_string() ~ ')' -%}
{%- set d = 'cast({} as ' ~ dbt.type_string() ~ ')' -%}
{%- set conservative_gap = '7 * (conservative_therapy_weeks_min - conservative_therapy_weeks)' -%}
with

scoped_lines as (
    select * from {{ ref('int_readiness_lines_scoped') }}
),

upcoming as (
    select * from scoped_lines
    where
        status = 'scheduled'
        and service_date > {{ as_of_date() }}
        and procedure_family in (
            'esi_interlaminar', 'esi_transforaminal', 'esi_catheter',
            'facet_mbb', 'facet_rfa', 'scs_trial', 'scs_permanent'
        )
),

primaries as (
    select * from upcoming
    where not is_add_on
),

prior_sessions as (
    select
        patient_id,
        family_group,
        lcd_region,
        service_date,
        max(relief_pct) as relief_pct,
        max(relief_weeks) as relief_weeks
    from scoped_lines
    where status = 'completed' and lcd_region is not null
    group by patient_id, family_group, lcd_region, service_date
),

-- documentation fields (ESI and facet families)
documented_fields as (
    select
        *,
        case
            when family_group = 'esi' then 'an ESI'
            when family_group = 'facet_mbb' then 'a facet block'
            else 'facet RFA'
        end as procedure_label
    from primaries
    where family_group in ('esi', 'facet_mbb', 'facet_rfa')
),

documentation_missing as (
    select
        appointment_id,
        line_number,
        'documentation_missing' as finding,
        concat(
            'Not documented: ',
            case
                when pain_duration_weeks is null and conservative_therapy_weeks is null
                    then 'pain duration and weeks of conservative therapy'
                when pain_duration_weeks is null then 'pain duration'
                else 'weeks of conservative therapy'
            end,
            '; the payer requires this before ', procedure_label, '.'
        ) as detail,
        concat(
            'Document ',
            case
                when pain_duration_weeks is null and conservative_therapy_weeks is null
                    then 'pain duration and weeks of conservative therapy'
                when pain_duration_weeks is null then 'pain duration'
                else 'weeks of conservative therapy'
            end,
            ' before ', {{ d.format('service_date') }}, '.'
        ) as recommended_action
    from documented_fields
    where pain_duration_weeks is null or conservative_therapy_weeks is null
),

pain_duration_short as (
    select
        appointment_id,
        line_number,
        'pain_duration_short' as finding,
        concat(
            'Pain duration documented as ', {{ n.format('pain_duration_weeks') }}, ' weeks; ',
            procedure_label, ' requires at least ', {{ n.format('pain_duration_weeks_min') }}, ' weeks.'
        ) as detail,
        concat(
            'Document pain of at least ', {{ n.format('pain_duration_weeks_min') }},
            ' weeks before ', {{ d.format('service_date') }}, ', or reschedule to ',
            {{ d.format(add_days('service_date', '7 * (pain_duration_weeks_min - pain_duration_weeks)')) }},
            ' or later.'
        ) as recommended_action
    from documented_fields
    where pain_duration_weeks < pain_duration_weeks_min
),

conservative_care_short as (
    select
        appointment_id,
        line_number,
        'conservative_care_short' as finding,
        concat(
            'Conservative care documented for ', {{ n.format('conservative_therapy_weeks') }}, ' weeks; ',
            procedure_label, ' requires at least ', {{ n.format('conservative_therapy_weeks_min') }}, ' weeks.'
        ) as detail,
        concat(
            'Document at least ', {{ n.format('conservative_therapy_weeks_min') }},
            ' weeks of conservative care before ', {{ d.format('service_date') }}, ', or reschedule to ',
            {{ d.format(add_days('service_date', conservative_gap)) }},
            ' or later.'
        ) as recommended_action
    from documented_fields
    where conservative_therapy_weeks < conservative_therapy_weeks_min
),

-- repeat ESI and repeat RFA: the most recent prior session decides
repeat_candidates as (
    select
        primaries.appointment_id,
        primaries.line_number,
        primaries.family_group,
        primaries.service_date,
        primaries.repeat_relief_pct_min,
        primaries.repeat_relief_weeks_min,
        prior_sessions.service_date as prior_date,
        prior_sessions.relief_pct,
        prior_sessions.relief_weeks,
        row_number() over (
            partition by primaries.appointment_id, primaries.line_number
            order by prior_sessions.service_date desc
        ) as recency
    from primaries
    inner join prior_sessions
        on
            primaries.patient_id = prior_sessions.patient_id
            and primaries.family_group = prior_sessions.family_group
            and primaries.lcd_region = prior_sessions.lcd_region
            and primaries.service_date > prior_sessions.service_date
    where
        primaries.family_group = 'facet_rfa'
        or (
            primaries.family_group = 'esi'
            and {{ days_between('prior_sessions.service_date', 'primaries.service_date') }}
            <= primaries.repeat_lookback_days
        )
),

last_sessions as (
    select * from repeat_candidates
    where recency = 1
),

repeat_relief_insufficient as (
    select
        appointment_id,
        line_number,
        'repeat_relief_insufficient' as finding,
        concat(
            'The last ', case when family_group = 'esi' then 'ESI' else 'RFA' end,
            ' in this region (', {{ d.format('prior_date') }}, ') ',
            case
                when relief_pct is null then 'has relief not documented'
                when family_group = 'facet_rfa' and relief_weeks is null
                    then concat('gave ', {{ n.format('relief_pct') }}, '% relief, duration not documented')
                when family_group = 'facet_rfa'
                    then concat(
                            'gave ', {{ n.format('relief_pct') }}, '% relief for ',
                            {{ n.format('relief_weeks') }}, ' weeks'
                        )
                else concat('gave ', {{ n.format('relief_pct') }}, '% relief')
            end,
            '; a repeat requires at least ', {{ n.format('repeat_relief_pct_min') }}, '% relief',
            case
                when family_group = 'facet_rfa'
                    then concat(' lasting at least ', {{ n.format('repeat_relief_weeks_min') }}, ' weeks')
                else ''
            end,
            '.'
        ) as detail,
        concat(
            'Document the relief (percent',
            case when family_group = 'facet_rfa' then ' and weeks' else '' end,
            ') from the ', {{ d.format('prior_date') }}, ' session before ',
            {{ d.format('service_date') }}, ', or reconsider the repeat.'
        ) as recommended_action
    from last_sessions
    where
        relief_pct is null
        or relief_pct < repeat_relief_pct_min
        or (
            family_group = 'facet_rfa'
            and (relief_weeks is null or relief_weeks < repeat_relief_weeks_min)
        )
),

-- first RFA in a region: two diagnostic blocks, each >= 80% relief, >= 14 days apart
first_rfa_lines as (
    select primaries.*
    from primaries
    left join last_sessions
        on
            primaries.appointment_id = last_sessions.appointment_id
            and primaries.line_number = last_sessions.line_number
    where primaries.family_group = 'facet_rfa' and last_sessions.appointment_id is null
),

rfa_blocks as (
    select
        first_rfa_lines.appointment_id,
        first_rfa_lines.line_number,
        prior_sessions.service_date as block_date,
        prior_sessions.relief_pct,
        prior_sessions.relief_pct >= first_rfa_lines.diagnostic_block_relief_pct_min as is_qualifying,
        concat(
            {{ d.format('prior_sessions.service_date') }}, ' (',
            case
                when prior_sessions.relief_pct is null then 'relief not documented'
                else concat({{ n.format('prior_sessions.relief_pct') }}, '% relief')
            end,
            ')'
        ) as block_text
    from first_rfa_lines
    inner join prior_sessions
        on
            first_rfa_lines.patient_id = prior_sessions.patient_id
            and first_rfa_lines.lcd_region = prior_sessions.lcd_region
            and prior_sessions.family_group = 'facet_mbb'
            and first_rfa_lines.service_date > prior_sessions.service_date
),

rfa_block_summary as (
    select
        appointment_id,
        line_number,
        count(*) as blocks_found,
        sum(case when is_qualifying then 1 else 0 end) as qualifying_blocks,
        min(case when is_qualifying then block_date end) as first_qualifying_date,
        max(case when is_qualifying then block_date end) as last_qualifying_date,
        {{ string_agg_ordered('block_text', ', ', 'block_date') }} as blocks_text
    from rfa_blocks
    group by appointment_id, line_number
),

diagnostic_blocks_missing as (
    select
        first_rfa_lines.appointment_id,
        first_rfa_lines.line_number,
        'diagnostic_blocks_missing' as finding,
        concat(
            case
                when coalesce(rfa_block_summary.blocks_found, 0) = 0
                    then 'No diagnostic medial branch block found in this region'
                else concat(
                        'Found ', {{ n.format('rfa_block_summary.blocks_found') }},
                        ' diagnostic medial branch block(s) in this region: ', rfa_block_summary.blocks_text
                    )
            end,
            '; a first RFA requires ', {{ n.format('first_rfa_lines.diagnostic_blocks_min') }},
            ' blocks at least ', {{ n.format('first_rfa_lines.diagnostic_block_interval_days_min') }},
            ' days apart, each with at least ',
            {{ n.format('first_rfa_lines.diagnostic_block_relief_pct_min') }}, '% relief.'
        ) as detail,
        case
            when coalesce(rfa_block_summary.qualifying_blocks, 0) = 0
                then concat(
                        'Schedule two diagnostic MBBs at least ',
                        {{ n.format('first_rfa_lines.diagnostic_block_interval_days_min') }},
                        ' days apart and document their relief before the RFA on ',
                        {{ d.format('first_rfa_lines.service_date') }}, '.'
                    )
            else concat(
                    'Schedule a second diagnostic MBB at least ',
                    {{ n.format('first_rfa_lines.diagnostic_block_interval_days_min') }},
                    ' days after ', {{ d.format('rfa_block_summary.last_qualifying_date') }},
                    ' and document its relief before the RFA.'
                )
        end as recommended_action
    from first_rfa_lines
    left join rfa_block_summary
        on
            first_rfa_lines.appointment_id = rfa_block_summary.appointment_id
            and first_rfa_lines.line_number = rfa_block_summary.line_number
    where
        coalesce(rfa_block_summary.qualifying_blocks, 0) < first_rfa_lines.diagnostic_blocks_min
        or {{ days_between('rfa_block_summary.first_qualifying_date', 'rfa_block_summary.last_qualifying_date') }}
        < first_rfa_lines.diagnostic_block_interval_days_min
),

-- spinal cord stimulation
scs_lines as (
    select * from scoped_lines
    where family_group in ('scs_trial', 'scs_permanent')
),

psych_on_file as (
    select distinct
        primaries.appointment_id,
        primaries.line_number
    from primaries
    inner join scs_lines
        on
            primaries.patient_id = scs_lines.patient_id
            and scs_lines.psych_eval_documented
            and (
                primaries.service_date > scs_lines.service_date
                or (
                    primaries.appointment_id = scs_lines.appointment_id
                    and primaries.line_number = scs_lines.line_number
                )
            )
    where primaries.family_group in ('scs_trial', 'scs_permanent')
),

psych_eval_missing as (
    select
        primaries.appointment_id,
        primaries.line_number,
        'psych_eval_missing' as finding,
        concat(
            'No psychological evaluation is documented on this or an earlier stimulator line; ',
            'the payer requires one before ',
            case when primaries.family_group = 'scs_trial' then 'an SCS trial' else 'a permanent implant' end,
            '.'
        ) as detail,
        concat(
            'Document a psychological evaluation before ', {{ d.format('primaries.service_date') }}, '.'
        ) as recommended_action
    from primaries
    left join psych_on_file
        on
            primaries.appointment_id = psych_on_file.appointment_id
            and primaries.line_number = psych_on_file.line_number
    where
        primaries.family_group in ('scs_trial', 'scs_permanent')
        and primaries.psych_eval_required = 1
        and psych_on_file.appointment_id is null
),

permanent_dates as (
    select distinct
        patient_id,
        service_date
    from scs_lines
    where family_group = 'scs_permanent'
),

completed_trials as (
    select
        scs_lines.patient_id,
        scs_lines.service_date,
        max(scs_lines.relief_pct) as relief_pct
    from scs_lines
    left join permanent_dates
        on
            scs_lines.patient_id = permanent_dates.patient_id
            and scs_lines.service_date = permanent_dates.service_date
    where
        scs_lines.code_role = 'scs_trial_lead'
        and scs_lines.status = 'completed'
        and permanent_dates.patient_id is null
    group by scs_lines.patient_id, scs_lines.service_date
),

permanent_trials as (
    select
        primaries.appointment_id,
        primaries.line_number,
        count(completed_trials.service_date) as trials_found,
        max(case when completed_trials.relief_pct >= primaries.trial_relief_pct_min then 1 else 0 end)
            as has_successful_trial,
        max(completed_trials.service_date) as last_trial_date
    from primaries
    left join completed_trials
        on
            primaries.patient_id = completed_trials.patient_id
            and primaries.service_date > completed_trials.service_date
            and {{ days_between('completed_trials.service_date', 'primaries.service_date') }}
            <= primaries.trial_lookback_days
    where primaries.family_group = 'scs_permanent'
    group by primaries.appointment_id, primaries.line_number
),

scs_trial_not_successful as (
    select
        primaries.appointment_id,
        primaries.line_number,
        'scs_trial_not_successful' as finding,
        concat(
            case
                when permanent_trials.trials_found = 0
                    then concat(
                            'No completed SCS trial in the ', {{ n.format('primaries.trial_lookback_days') }},
                            ' days before the implant'
                        )
                when last_trial.relief_pct is null
                    then concat(
                            'The SCS trial of ', {{ d.format('permanent_trials.last_trial_date') }},
                            ' has relief not documented'
                        )
                else concat(
                        'The SCS trial of ', {{ d.format('permanent_trials.last_trial_date') }}, ' gave ',
                        {{ n.format('last_trial.relief_pct') }}, '% relief'
                    )
            end,
            '; a permanent implant requires a completed trial within ',
            {{ n.format('primaries.trial_lookback_days') }}, ' days with at least ',
            {{ n.format('primaries.trial_relief_pct_min') }}, '% relief.'
        ) as detail,
        case
            when permanent_trials.trials_found = 0
                then concat(
                        'Complete and document an SCS trial before the implant on ',
                        {{ d.format('primaries.service_date') }}, '.'
                    )
            else concat(
                    'Document the relief from the ', {{ d.format('permanent_trials.last_trial_date') }},
                    ' trial before ', {{ d.format('primaries.service_date') }}, '.'
                )
        end as recommended_action
    from primaries
    inner join permanent_trials
        on
            primaries.appointment_id = permanent_trials.appointment_id
            and primaries.line_number = permanent_trials.line_number
    left join completed_trials as last_trial
        on
            primaries.patient_id = last_trial.patient_id
            and permanent_trials.last_trial_date = last_trial.service_date
    where permanent_trials.has_successful_trial = 0
),

-- levels per session (patient, date, region), counted in line order
level_lines as (
    select
        upcoming.*,
        -- seed readiness_code_roles names the codes each count is about
        case upcoming.code_role
            when 'transforaminal_level' then 'transforaminal'
            when 'interlaminar_injection' then 'interlaminar'
            when 'third_facet_level' then 'third_facet_level'
        end as level_kind
    from upcoming
),

level_counts as (
    select
        *,
        sum(units) over (
            partition by patient_id, service_date, coalesce(lcd_region, ''), level_kind
            order by appointment_id, line_number
            rows between unbounded preceding and current row
        ) as running_units
    from level_lines
    where level_kind is not null
),

levels_exceeded as (
    select
        appointment_id,
        line_number,
        'levels_exceeded' as finding,
        case level_kind
            when 'transforaminal'
                then concat(
                        {{ n.format('running_units') }}, ' transforaminal levels planned in this session; at most ',
                        {{ n.format('transforaminal_levels_max') }}, ' are covered per session and region.'
                    )
            when 'interlaminar'
                then concat(
                        {{ n.format('running_units') }}, ' interlaminar injections planned in this session; at most ',
                        {{ n.format('interlaminar_units_max') }}, ' is covered per session and region.'
                    )
            else concat(
                    'A third facet level is planned; at most ', {{ n.format('facet_levels_max') }},
                    ' levels are covered per session (Medicare has not covered a third since 2024).'
                )
        end as detail,
        concat(
            'Remove the extra level or split the session before ', {{ d.format('service_date') }}, '.'
        ) as recommended_action
    from level_counts
    where
        (level_kind = 'transforaminal' and running_units > transforaminal_levels_max)
        or (level_kind = 'interlaminar' and running_units > interlaminar_units_max)
        -- a 64492/64495 line is the third level or a further one (seed readiness_code_roles)
        or (level_kind = 'third_facet_level' and facet_levels_max < 3)
),

final as (
    select * from documentation_missing
    union all
    select * from pain_duration_short
    union all
    select * from conservative_care_short
    union all
    select * from repeat_relief_insufficient
    union all
    select * from diagnostic_blocks_missing
    union all
    select * from psych_eval_missing
    union all
    select * from scs_trial_not_successful
    union all
    select * from levels_exceeded
)

select * from final
