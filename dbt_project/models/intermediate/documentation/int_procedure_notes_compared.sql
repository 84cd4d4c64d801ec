{#-
    rules.md §15 similarity, step 2: each note with its family (the family of its appointment's
    first line by line_number, skipping the seed's skipped families) and the patient's
    previous note of the same family (most recent earlier one by signed_at, then note_id).
    Jaccard similarity = shared shingles / (shingles of A + shingles of B - shared), 0 when
    both are empty, rounded to the seed's decimals. Only note and predecessor are compared,
    so the cost grows with the number of notes, not its square.
-#}
with

notes as (
    select * from {{ ref('stg_pm__procedure_notes') }}
),

shingles as (
    select * from {{ ref('int_procedure_notes_shingled') }}
),

appointments as (
    select * from {{ ref('stg_pm__appointments') }}
),

procedure_families as (
    select * from {{ ref('procedure_families') }}
),

documentation_rules as (
    select * from {{ ref('documentation_rules') }}
),

skipped_families as (
    select text_value as procedure_family
    from documentation_rules
    where rule = 'skipped_family'
),

appointment_family_lines as (
    select
        appointments.appointment_id,
        appointments.line_number,
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
    where skipped_families.procedure_family is null
),

note_families as (
    select
        notes.note_id,
        notes.appointment_id,
        notes.patient_id,
        notes.author_npi,
        notes.signed_at,
        appointment_family_lines.rendering_npi,
        appointment_family_lines.service_date,
        appointment_family_lines.procedure_family
    from notes
    inner join appointment_family_lines
        on
            notes.appointment_id = appointment_family_lines.appointment_id
            and appointment_family_lines.family_line_order = 1
),

with_previous as (
    select
        *,
        lag(note_id) over (
            partition by patient_id, procedure_family
            order by signed_at, note_id
        ) as previous_note_id
    from note_families
),

-- one list of 64-bit shingle keys per note (macros/documentation/text_tokens.sql): a pair's
-- shared shingles are the size of the two lists' intersection, so no shingle rows are joined
shingle_sets as (
    select
        note_id,
        {{ shingle_key_set(shingle_key('shingle')) }} as shingle_keys,
        count(*) as shingle_count
    from shingles
    group by note_id
),

decimals as (
    select cast(numeric_value as integer) as similarity_decimals
    from documentation_rules
    where rule = 'similarity_decimals'
),

compared as (
    select
        with_previous.*,
        coalesce(current_sets.shingle_count, 0) as shingle_count,
        coalesce(previous_sets.shingle_count, 0) as previous_shingle_count,
        coalesce(
            {{ key_set_overlap('current_sets.shingle_keys', 'previous_sets.shingle_keys') }}, 0
        ) as shared_count
    from with_previous
    left join shingle_sets as current_sets
        on with_previous.note_id = current_sets.note_id
    left join shingle_sets as previous_sets
        on with_previous.previous_note_id = previous_sets.note_id
),

final as (
    select
        compared.note_id,
        compared.appointment_id,
        compared.patient_id,
        compared.author_npi,
        compared.rendering_npi,
        compared.service_date,
        compared.signed_at,
        compared.procedure_family,
        compared.previous_note_id,
        compared.shingle_count,
        compared.previous_shingle_count,
        compared.shared_count,
        case
            when compared.previous_note_id is null then cast(null as decimal(9, 4))
            when compared.shingle_count + compared.previous_shingle_count = 0 then cast(0 as decimal(9, 4))
            -- round(x * 10^d) / 10^d: Spark's round() needs a constant scale, the seed's is a column
            else cast(
                    round(
                        power(10, decimals.similarity_decimals) * compared.shared_count
                        / (compared.shingle_count + compared.previous_shingle_count - compared.shared_count)
                    ) / power(10, decimals.similarity_decimals)
                    as decimal(9, 4)
                )
        end as similarity
    from compared
    cross join decimals
)

select * from final
