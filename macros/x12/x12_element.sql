{#-
    Element n (1-based: 1 = the first element after the segment id) of an X12 segment's
    element list (raw.x12_segments.elements); NULL when absent or sent empty.
    The only way models read segment elements.
-#}
{% macro x12_element(elements, n) -%}
    {{ return(adapter.dispatch('x12_element', 'painrcm')(elements, n)) }}
{%- endmacro %}

{% macro default__x12_element(elements, n) -%}
    nullif({{ elements }}[{{ n }}], '')
{%- endmacro %}

{% macro duckdb__x12_element(elements, n) -%}
    nullif({{ elements }}[{{ n }}], '')
{%- endmacro %}

{% macro spark__x12_element(elements, n) -%}
    nullif(try_element_at({{ elements }}, {{ n }}), '')
{%- endmacro %}
