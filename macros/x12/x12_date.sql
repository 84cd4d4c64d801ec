{#-
    An X12 date (CCYYMMDD, e.g. DTM02, BPR16, PLB02) as a date; NULL when not a valid date
    (spark: try_to_date, NULL on a bad date with ANSI mode on or off).
-#}
{% macro x12_date(expr) -%}
    {{ return(adapter.dispatch('x12_date', 'painrcm')(expr)) }}
{%- endmacro %}

{% macro default__x12_date(expr) -%}
    cast(
        case when length({{ expr }}) = 8 then
            substring({{ expr }}, 1, 4) || '-' || substring({{ expr }}, 5, 2) || '-' || substring({{ expr }}, 7, 2)
        end as date
    )
{%- endmacro %}

{% macro duckdb__x12_date(expr) -%}
    cast(try_strptime({{ expr }}, '%Y%m%d') as date)
{%- endmacro %}

{% macro spark__x12_date(expr) -%}
    try_to_date({{ expr }}, 'yyyyMMdd')
{%- endmacro %}
