{#-
    marts.documentation_risk (OUTPUTS.md; rules.md §15): cloned notes (similarity to the
    patient's previous same-family note at or above the seed threshold, computed in
    int_procedure_notes_compared) and missing notes (a completed procedure appointment at
    least N days old with no note signed from its service date to N days after). Judged only
    once a procedure_notes file has been loaded: without the extract every procedure would
    look undocumented.
-#}
with

compared_notes as (
    select * from {{ ref('int_procedure_notes_compared') }}
),

notes as (
    select * from {{ ref('stg_pm__procedure_notes') }}
),

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

claims as (
    select * from {{ ref('stg_pm__claims') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

documentation_rules as (
    select * from {{ ref('documentation_rules') }}
),

load_log as (
    select * from {{ source('raw', 'load_log') }}
),

notes_delivered as (
    select count(*) as delivered_files
    from load_log
    where kind = 'procedure_notes' and status like 'loaded%'
),

clone_threshold as (
    select cast(numeric_value as decimal(9, 4)) as threshold
    from documentation_rules
    where rule = 'clone_similarity_threshold'
),

note_window as (
    select cast(numeric_value as integer) as window_days
    from documentation_rules
    where rule = 'note_window_days'
),

skipped_families as (
    select text_value as procedure_family
    from documentation_rules
    where rule = 'skipped_family'
),

billed as (
    select
        appointment_id,
        sum(charge_amount) as billed_amount
    from claims
    where appointment_id is not null
    group by appointment_id
),

completed_procedure_lines as (
    select
        appointments.appointment_id,
        appointments.patient_id,
        appointments.rendering_npi,
        appointments.service_date,
        procedure_families.procedure_family,
        row_number() over (
            partition by appointments.appointment_id
            order by appointments.line_number
        ) as family_line_order
    from appointments
    inner join procedure_families
        on appointments.procedure_code = procedure_families.procedure_code
    left join skipped_families
        on procedure_families.procedure_family = skipped_families.procedure_family
    where
        appointments.status = 'completed'
        and skipped_families.procedure_family is null
),

notes_in_window as (
    select distinct completed_procedure_lines.appointment_id
    from completed_procedure_lines
    cross join note_window
    inner join notes
        on completed_procedure_lines.appointment_id = notes.appointment_id
    where
        completed_procedure_lines.family_line_order = 1
        and notes.signed_at >= completed_procedure_lines.service_date
        and notes.signed_at <= {{ add_days('completed_procedure_lines.service_date', 'note_window.window_days') }}
),

missing_notes as (
    select
        completed_procedure_lines.appointment_id,
        completed_procedure_lines.patient_id,
        completed_procedure_lines.rendering_npi,
        completed_procedure_lines.service_date,
        completed_procedure_lines.procedure_family,
        cast(null as {{ dbt.type_string() }}) as note_id,
        'note_missing' as risk,
        cast(null as decimal(9, 4)) as similarity,
        cast(null as {{ dbt.type_string() }}) as previous_note_id
    from completed_procedure_lines
    cross join note_window
    left join notes_in_window
        on completed_procedure_lines.appointment_id = notes_in_window.appointment_id
    where
        completed_procedure_lines.family_line_order = 1
        and completed_procedure_lines.service_date
        <= {{ add_days(as_of_date(), '0 - note_window.window_days') }}
        and notes_in_window.appointment_id is null
),

cloned_notes as (
    select
        compared_notes.appointment_id,
        compared_notes.patient_id,
        coalesce(compared_notes.rendering_npi, compared_notes.author_npi) as rendering_npi,
        compared_notes.service_date,
        compared_notes.procedure_family,
        compared_notes.note_id,
        'cloned_note' as risk,
        compared_notes.similarity,
        compared_notes.previous_note_id
    from compared_notes
    cross join clone_threshold
    where compared_notes.similarity >= clone_threshold.threshold
),

risks as (
    select * from cloned_notes
    union all
    select * from missing_notes
),

final as (
    select
        risks.appointment_id,
        risks.patient_id,
        risks.rendering_npi,
        risks.service_date,
        risks.procedure_family,
        risks.note_id,
        risks.risk,
        risks.similarity,
        risks.previous_note_id,
        cast(coalesce(billed.billed_amount, 0) as decimal(18, 2)) as billed_amount
    from risks
    cross join notes_delivered
    left join billed
        on risks.appointment_id = billed.appointment_id
    where notes_delivered.delivered_files > 0
)

select * from final
