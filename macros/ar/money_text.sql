{#-
    A dollar amount as a biller reads it: $1,240.00 (thousands separators, 2 decimals,
    a leading minus for negatives). For sentences such as ar_worklist.priority_reason.
-#}
{% macro money_text(amount) -%}
    {{ return(adapter.dispatch('money_text', 'painrcm')(amount)) }}
{%- endmacro %}

{#- Portable: whole dollars split into groups of three, each zero-padded after the first. -#}
{% macro default__money_text(amount) -%}
    (
        case when {{ amount }} < 0 then '-' else '' end
        || '$'
        || case
            when abs({{ amount }}) >= 1000000
                then cast(cast(floor(abs({{ amount }}) / 1000000) as bigint) as varchar)
                || ','
                || lpad(cast(cast(floor(mod(abs({{ amount }}), 1000000) / 1000) as bigint) as varchar), 3, '0')
                || ','
                || lpad(cast(cast(floor(mod(abs({{ amount }}), 1000)) as bigint) as varchar), 3, '0')
            when abs({{ amount }}) >= 1000
                then cast(cast(floor(abs({{ amount }}) / 1000) as bigint) as varchar)
                || ','
                || lpad(cast(cast(floor(mod(abs({{ amount }}), 1000)) as bigint) as varchar), 3, '0')
            else cast(cast(floor(abs({{ amount }})) as bigint) as varchar)
        end
        || '.'
        || lpad(
            cast(cast(round(abs({{ amount }}) * 100) - floor(abs({{ amount }})) * 100 as bigint) as varchar),
            2,
            '0'
        )
    )
{%- endmacro %}

{% macro duckdb__money_text(amount) -%}
    (case when {{ amount }} < 0 then '-' else '' end || '$' || format('{:,.2f}', abs(cast({{ amount }} as double))))
{%- endmacro %}

{% macro spark__money_text(amount) -%}
    concat(case when {{ amount }} < 0 then '-' else '' end, '$', format_number(abs({{ amount }}), 2))
{%- endmacro %}
