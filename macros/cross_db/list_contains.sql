{#-
    True when a list/array column holds value (NULL list -> NULL).
-#}
{% macro list_contains(list_expr, value) -%}
    {{ return(adapter.dispatch('list_contains', 'painrcm')(list_expr, value)) }}
{%- endmacro %}

{% macro default__list_contains(list_expr, value) -%}
    ({{ value }} = any({{ list_expr }}))
{%- endmacro %}

{% macro duckdb__list_contains(list_expr, value) -%}
    list_contains({{ list_expr }}, {{ value }})
{%- endmacro %}

{% macro spark__list_contains(list_expr, value) -%}
    array_contains({{ list_expr }}, {{ value }})
{%- endmacro %}
