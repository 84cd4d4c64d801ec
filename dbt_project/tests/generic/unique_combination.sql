{% test unique_combination(model, combination) %}
{#- The grain test of a mart: no two rows share the listed columns (nulls compare equal,
    so an optional key such as appointment_id still counts as part of the grain). -#}
with keyed as (
    select
        {%- for column in combination %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

duplicates as (
    select
        {%- for column in combination %}
        {{ column }},
        {%- endfor %}
        count(*) as row_count
    from keyed
    group by
        {%- for column in combination %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    having count(*) > 1
)

select * from duplicates
{% endtest %}
