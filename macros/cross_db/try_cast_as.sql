{#-
    Cast that yields NULL instead of failing (for payer-sent X12 text, which ingest keeps
    verbatim). Not for the CSV extracts: ingest validated those, so a plain cast is right.
-#}
{% macro try_cast_as(expr, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'painrcm')(expr, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_as(expr, data_type) -%}
    cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__try_cast_as(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast_as(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}
