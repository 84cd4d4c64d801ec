{#-
    Component n (1-based) of an X12 composite element (e.g. SVC01 `HC:64483:50`), split on
    the interchange's component separator (ISA16; an expression or column). NULL when absent
    or empty. split_part takes a literal delimiter on both engines (Spark >= 3.3).
-#}
{% macro x12_component(expr, n, component_separator) -%}
    {{ return(adapter.dispatch('x12_component', 'painrcm')(expr, n, component_separator)) }}
{%- endmacro %}

{% macro default__x12_component(expr, n, component_separator) -%}
    nullif(split_part({{ expr }}, {{ component_separator }}, {{ n }}), '')
{%- endmacro %}
