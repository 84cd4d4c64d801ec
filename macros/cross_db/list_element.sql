{#-
    Element n (1-based) of a list/array column; NULL when the list is shorter.
    duckdb: list[n] (1-based, NULL out of range); spark: try_element_at (1-based).
-#}
{% macro list_element(list_expr, n) -%}
    {{ return(adapter.dispatch('list_element', 'painrcm')(list_expr, n)) }}
{%- endmacro %}

{% macro default__list_element(list_expr, n) -%}
    ({{ list_expr }})[{{ n }}]
{%- endmacro %}

{% macro duckdb__list_element(list_expr, n) -%}
    ({{ list_expr }})[{{ n }}]
{%- endmacro %}

{% macro spark__list_element(list_expr, n) -%}
    try_element_at({{ list_expr }}, {{ n }})
{%- endmacro %}
