{#-
    rules.md §7 fee lookup, written once: the fee_schedules rows that price each request of
    `requests` (a CTE with payer_id, procedure_code, pricing_modifier ('' when none),
    setting and service_date), ranked per request: a row of the request's setting beats an
    empty-setting row, then the latest effective_from. The fee is the row with
    preference = 1; a request with no row has no candidate (an inner join).
    `partition_by`: the columns that identify one request.
-#}
{% macro ranked_fee_rows(requests, fee_schedules, partition_by) %}
    select
        {% for column in partition_by -%}
            {{ requests }}.{{ column }},
        {% endfor -%}
        {{ fee_schedules }}.allowed_amount,
        {{ fee_schedules }}.effective_from,
        coalesce({{ fee_schedules }}.setting, '') as fee_setting,
        row_number() over (
            partition by
                {% for column in partition_by -%}
                    {{ requests }}.{{ column }}{{ "," if not loop.last }}
                {% endfor %}
            order by
                case when coalesce({{ fee_schedules }}.setting, '') = '' then 1 else 0 end,
                {{ fee_schedules }}.effective_from desc
        ) as preference
    from {{ requests }}
    inner join {{ fee_schedules }}
        on
            {{ requests }}.payer_id = {{ fee_schedules }}.payer_id
            and {{ requests }}.procedure_code = {{ fee_schedules }}.procedure_code
            and {{ requests }}.pricing_modifier = coalesce({{ fee_schedules }}.modifier, '')
            and (
                coalesce({{ fee_schedules }}.setting, '') = ''
                or {{ requests }}.setting = {{ fee_schedules }}.setting
            )
            and {{ requests }}.service_date >= {{ fee_schedules }}.effective_from
            and (
                {{ fee_schedules }}.effective_to is null
                or {{ requests }}.service_date <= {{ fee_schedules }}.effective_to
            )
{% endmacro %}
