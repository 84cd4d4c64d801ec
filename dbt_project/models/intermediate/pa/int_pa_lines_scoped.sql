{#-
    rules.md §2-4: every considered procedure line (int_procedure_lines_linked) with
    - the authorization program it needs, if any: a pa_requirements row (a payer_id override
      beats the payer_type rows; a code- or place-specific row beats a family-wide one), else
      WISeR (rules.md §3: medicare_ffs only, service_state in wiser_states between the model's
      start and end, place of service in wiser_places_of_service, code in wiser_codes). The
      hospital-outpatient list (a pa_requirements row) wins over WISeR in POS 19/22;
    - its WISeR role (primary / add_on / associated) when in WISeR scope;
    - line_status (rules.md §4), the fee x units at risk (rules.md §7 lookup) and a line order.
-#}
with

lines as (
    select * from {{ ref('int_procedure_lines_linked') }}
),

pa_requirements as (
    select * from {{ ref('pa_requirements') }}
),

wiser_codes as (
    select * from {{ ref('wiser_codes') }}
),

wiser_states as (
    select * from {{ ref('wiser_states') }}
),

wiser_places as (
    select * from {{ ref('wiser_places_of_service') }}
),

fees as (
    select * from {{ ref('int_fee_schedule_lookup') }}
),

remit_lines as (
    select * from {{ ref('int_remit_lines_matched') }}
),

claim_versions as (
    select * from {{ ref('stg_pm__claim_versions') }}
),

matching_requirements as (
    select
        lines.procedure_line_id,
        pa_requirements.requires_auth,
        pa_requirements.program,
        row_number() over (
            partition by lines.procedure_line_id
            order by
                case when pa_requirements.payer_id is not null then 0 else 1 end,
                case when pa_requirements.procedure_code is not null then 0 else 1 end,
                case when pa_requirements.place_of_service is not null then 0 else 1 end,
                pa_requirements.pa_rule_id
        ) as preference
    from lines
    inner join pa_requirements
        on
            (
                lines.payer_id = pa_requirements.payer_id
                or (pa_requirements.payer_id is null and lines.payer_type = pa_requirements.payer_type)
            )
            and lines.procedure_family = pa_requirements.procedure_family
            and (
                pa_requirements.procedure_code is null
                or lines.procedure_code = pa_requirements.procedure_code
            )
            and (
                pa_requirements.place_of_service is null
                or lines.place_of_service = pa_requirements.place_of_service
            )
            and (
                pa_requirements.effective_from is null
                or lines.service_date >= pa_requirements.effective_from
            )
            and (
                pa_requirements.effective_to is null
                or lines.service_date <= pa_requirements.effective_to
            )
),

chosen_requirements as (
    select * from matching_requirements
    where preference = 1
),

wiser_scope as (
    select
        lines.procedure_line_id,
        wiser_codes.role as wiser_role,
        wiser_places.utn_on_professional_claim
    from lines
    inner join wiser_codes
        on lines.procedure_code = wiser_codes.procedure_code
    inner join wiser_states
        on
            lines.service_state = wiser_states.state
            and lines.service_date >= wiser_states.model_start_date
            and lines.service_date <= wiser_states.model_end_date
    inner join wiser_places
        on lines.place_of_service = wiser_places.place_of_service
    where lines.payer_type = 'medicare_ffs'
),

remit_status as (
    select
        claim_id,
        claim_line_number,
        max(case when is_denied then remit_date end) as last_denial_date,
        count(*) as remit_line_count
    from remit_lines
    where
        is_primary
        and is_line_matched
        and remit_date <= {{ as_of_date() }}
    group by claim_id, claim_line_number
),

paid_after_denial as (
    select
        remit_lines.claim_id,
        remit_lines.claim_line_number,
        sum(remit_lines.paid) as paid_after
    from remit_lines
    inner join remit_status
        on
            remit_lines.claim_id = remit_status.claim_id
            and remit_lines.claim_line_number = remit_status.claim_line_number
    where
        remit_lines.is_primary
        and remit_lines.is_line_matched
        and remit_lines.remit_date <= {{ as_of_date() }}
        and remit_lines.remit_date > remit_status.last_denial_date
    group by remit_lines.claim_id, remit_lines.claim_line_number
),

latest_submissions as (
    select
        claim_id,
        line_number as claim_line_number,
        max(submitted_date) as latest_submitted_date
    from claim_versions
    group by claim_id, line_number
),

scoped as (
    select
        lines.*,
        case
            when chosen_requirements.requires_auth then chosen_requirements.program
            when wiser_scope.procedure_line_id is not null then 'wiser'
        end as program,  -- noqa: RF04
        case
            when not coalesce(chosen_requirements.requires_auth, false) then wiser_scope.wiser_role
        end as wiser_role,
        coalesce(wiser_scope.utn_on_professional_claim, false) as utn_on_professional_claim,
        case
            when not lines.is_billed and lines.service_date > {{ as_of_date() }} then 'upcoming'
            when not lines.is_billed then 'unbilled'
            when remit_status.last_denial_date is not null and coalesce(paid_after_denial.paid_after, 0) > 0
                then 'paid'
            when
                remit_status.last_denial_date is not null
                and latest_submissions.latest_submitted_date > remit_status.last_denial_date
                then 'awaiting_payment'
            when remit_status.last_denial_date is not null then 'denied'
            when remit_status.remit_line_count > 0 then 'paid'
            else 'awaiting_payment'
        end as line_status,
        cast(coalesce(coalesce(claim_fees.fee, appointment_fees.fee) * lines.units, 0) as decimal(18, 2))
            as revenue_at_risk,
        coalesce(lines.appointment_id, lines.claim_id) as line_order_key,
        coalesce(lines.line_number, lines.claim_line_number) as line_order_number
    from lines
    left join chosen_requirements
        on lines.procedure_line_id = chosen_requirements.procedure_line_id
    left join wiser_scope
        on lines.procedure_line_id = wiser_scope.procedure_line_id
    left join remit_status
        on
            lines.claim_id = remit_status.claim_id
            and lines.claim_line_number = remit_status.claim_line_number
    left join paid_after_denial
        on
            lines.claim_id = paid_after_denial.claim_id
            and lines.claim_line_number = paid_after_denial.claim_line_number
    left join latest_submissions
        on
            lines.claim_id = latest_submissions.claim_id
            and lines.claim_line_number = latest_submissions.claim_line_number
    left join fees as claim_fees
        on
            claim_fees.line_source = 'claim'
            and lines.claim_id = claim_fees.claim_id
            and lines.claim_line_number = claim_fees.claim_line_number
    left join fees as appointment_fees
        on
            lines.claim_id is null
            and appointment_fees.line_source = 'appointment'
            and lines.appointment_id = appointment_fees.appointment_id
            and lines.line_number = appointment_fees.appointment_line_number
),

final as (
    select * from scoped
)

select * from final
