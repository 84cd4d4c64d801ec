{#-
    round(expr, digits) where digits is a column or expression (e.g. a seed value), half
    away from zero. Spark's round() takes only a constant scale, so its variant scales by
    10^digits itself (in double, as DuckDB's round of a ratio does).
-#}
{% macro round_to(expr, digits) -%}
    {{ return(adapter.dispatch('round_to', 'painrcm')(expr, digits)) }}
{%- endmacro %}

{% macro default__round_to(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}

{% macro duckdb__round_to(expr, digits) -%}
    round({{ expr }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_to(expr, digits) -%}
    (signum(cast({{ expr }} as double))
        * floor(abs(cast({{ expr }} as double)) * power(10, {{ digits }}) + 0.5)
        / power(10, {{ digits }}))
{%- endmacro %}
