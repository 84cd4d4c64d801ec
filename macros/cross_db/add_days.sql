{#-
    date_expr + n calendar days, as a date (n may be a column or negative).
-#}
{% macro add_days(date_expr, n) -%}
    {{ return(adapter.dispatch('add_days', 'painrcm')(date_expr, n)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, n) -%}
    cast({{ date_expr }} + cast({{ n }} as integer) as date)
{%- endmacro %}

{% macro duckdb__add_days(date_expr, n) -%}
    cast({{ date_expr }} + cast({{ n }} as integer) as date)
{%- endmacro %}

{% macro spark__add_days(date_expr, n) -%}
    date_add({{ date_expr }}, cast({{ n }} as int))
{%- endmacro %}
